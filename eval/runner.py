"""Runs configurations of the assistant over a dataset and writes metrics.json, per_question.jsonl, report.html."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.embedding.factory import create_embedder
from assistant.retrieval.hybrid import HybridRetriever, RetrievalMode
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.text.query import QueryNormalizer
from assistant.types import ANONYMOUS, Embedder, Principal
from eval import metrics as m
from eval.calibration import sweep_threshold
from eval.datasets import Dataset, DatasetError, EvalQuestion, content_hash, load_dataset
from eval.report import write_report
from ingest.pipeline import IngestPipeline
from ingest.report import IngestReport, TextRecord

logger = logging.getLogger(__name__)

DEPTH = 10
HEADLINE = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")


@dataclass(frozen=True)
class EvalConfig:
    name: str
    mode: RetrievalMode = "hybrid"
    restore_diacritics: bool = True
    expand_abbreviations: bool = True
    fusion: str | None = None  # None: the product default from settings


CONFIGS: dict[str, EvalConfig] = {
    c.name: c
    for c in (
        EvalConfig("bm25", mode="bm25"),
        EvalConfig("dense", mode="dense"),
        EvalConfig("hybrid"),
        EvalConfig("hybrid-rrf", fusion="rrf"),
        EvalConfig("hybrid-no-diacritic-restoration", restore_diacritics=False),
        EvalConfig("hybrid-no-abbreviation-expansion", expand_abbreviations=False),
        EvalConfig("hybrid-no-query-normalisation", restore_diacritics=False, expand_abbreviations=False),
    )
}
DEFAULT_CONFIGS = tuple(CONFIGS)


def prepare_index(
    dataset: Dataset, settings: Settings, embedder: Embedder, *, progress: bool
) -> tuple[Settings, IngestReport]:
    """Ingest the dataset's corpus into a throw-away index keyed by its content hash (re-used when unchanged)."""
    key = content_hash(dataset)[:16]
    work = settings.data_dir / "eval" / f"{dataset.kind}-{key}"
    local = settings.model_copy(update={"data_dir": work, "embedding_cache_dir": settings.cache_dir})
    pipeline = IngestPipeline(local, embedder, progress=progress)
    if dataset.records is not None:
        records = [TextRecord(r.doc_id, r.title, r.text) for r in dataset.records]
        report = pipeline.ingest_records(records)
    elif dataset.files_dir is not None:
        report = pipeline.ingest_paths([dataset.files_dir])
    else:
        raise DatasetError(f"{dataset.root}: the dataset has no corpus to index")
    for failure in report.failed:
        logger.warning("corpus file not indexed: %s: %s", failure.path, failure.reason)
    logger.info("eval index %s: %d chunks (%d new)", report.version, report.chunks_total, report.chunks_added)
    return local, report


def _principal(question: EvalQuestion) -> Principal:
    if question.asker_unit:
        return Principal(user_id="eval", units=frozenset({question.asker_unit}))
    return ANONYMOUS


def evaluate_question(
    service: AssistantService, retriever: HybridRetriever, question: EvalQuestion, config: str
) -> dict[str, Any]:
    """One per-question row: what was retrieved and answered, its latency and its retrieval scores."""
    started = time.perf_counter()
    query = retriever.normalizer.normalize(question.question)
    result = retriever.search(query, principal=_principal(question), top_k=DEPTH)
    retrieved_ms = (time.perf_counter() - started) * 1000
    t = time.perf_counter()
    answer = service.composer.compose(query, result.passages)
    compose_ms = (time.perf_counter() - t) * 1000
    docs = m.dedupe(p.document.doc_id for p in result.passages)
    chunks = [p.chunk.chunk_id for p in result.passages]
    row: dict[str, Any] = {
        "config": config,
        "qid": question.qid,
        "question": question.question,
        "categories": list(question.categories),
        "language": answer.language,
        "gold": list(question.gold_doc_ids),
        "gold_chunks": list(question.gold_chunk_ids),
        "retrieved": docs,
        "retrieved_chunks": chunks,
        "rank": m.first_gold_rank(docs, question.gold_doc_ids) if question.gold_doc_ids else None,
        "abstained": answer.abstained,
        "evidence": round(answer.evidence, 4),
        "cited": m.dedupe(c.doc_id for c in answer.citations),
        "cited_chunks": [c.chunk_id for c in answer.citations],
        "answer": answer.text,
        "gold_answer": question.answer,
        "answerable": question.answerable,
        "latency_ms": round(retrieved_ms + compose_ms, 3),
        "retrieve_ms": round(retrieved_ms, 3),
        "compose_ms": round(compose_ms, 3),
    }
    if question.gold_doc_ids:
        row["scores"] = m.retrieval_scores(docs, question.gold_doc_ids, (1, 3, 5, 10))
    if question.gold_chunk_ids:
        chunk_scores = m.retrieval_scores(chunks, question.gold_chunk_ids, (1, 5, 10))
        row["chunk_scores"] = {f"chunk_{k}": v for k, v in chunk_scores.items()}
    return row


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Metrics of one configuration from its per-question rows (flat keys, plus by_category)."""
    answerable = [r for r in rows if r["gold"]]
    out: dict[str, Any] = {"n": len(rows), "n_answerable": len(answerable)}
    out.update(
        {
            k: v
            for k, v in m.retrieval_metrics(
                [r["retrieved"] for r in answerable], [r["gold"] for r in answerable], (1, 3, 5, 10)
            ).items()
            if k != "n"
        }
    )
    per_k = [m.retrieval_scores(r["retrieved"], r["gold"], tuple(range(1, 11))) for r in answerable]
    for k in range(1, 11):
        out[f"recall@{k}"] = sum(s[f"recall@{k}"] for s in per_k) / len(per_k) if per_k else 0.0
    with_chunks = [r for r in rows if r["gold_chunks"]]
    if with_chunks:
        chunk = m.retrieval_metrics(
            [r["retrieved_chunks"] for r in with_chunks], [r["gold_chunks"] for r in with_chunks], (1, 5, 10)
        )
        out.update({f"chunk_{k}": v for k, v in chunk.items()})
    citation = m.citation_metrics([r["cited"] for r in answerable], [r["gold"] for r in answerable])
    out.update({k if k.startswith("citation_") else f"citation_{k}": v for k, v in citation.items()})
    if any(not r["answerable"] for r in rows):
        out.update(m.abstention_metrics([r["abstained"] for r in rows], [r["answerable"] for r in rows]))
        # Each language has its own threshold (English evidence is the dense score alone): "calibration" is for
        # the questions not in English (abstain_threshold), "calibration_en" for English (abstain_threshold_english).
        for key, subset in (
            ("calibration", [r for r in rows if r.get("language") != "en"]),
            ("calibration_en", [r for r in rows if r.get("language") == "en"]),
        ):
            if subset:
                out[key] = sweep_threshold([r["evidence"] for r in subset], [r["answerable"] for r in subset])
    golds = [r for r in answerable if r["gold_answer"] and not r["abstained"]]
    if golds:
        out.update(
            {
                f"answer_{k}": v
                for k, v in m.answer_metrics([r["answer"] for r in golds], [r["gold_answer"] for r in golds]).items()
            }
        )
    out.update({f"latency_{k}": v for k, v in m.latency_summary([r["latency_ms"] / 1000 for r in rows]).items()})
    out.update({f"retrieve_{k}": v for k, v in m.latency_summary([r["retrieve_ms"] / 1000 for r in rows]).items()})
    out.update({f"compose_{k}": v for k, v in m.latency_summary([r["compose_ms"] / 1000 for r in rows]).items()})
    out.update(m.confidence_intervals([r["scores"] for r in answerable], HEADLINE))
    score_rows = [{**r.get("scores", {}), "abstained": float(r["abstained"])} for r in rows]
    out["by_category"] = m.metrics_by_category(score_rows, [r["categories"] for r in rows])
    return out


class EvalRun:
    """One evaluation run into ``out_dir``; rows already in per_question.jsonl for the same dataset are reused."""

    def __init__(
        self, settings: Settings, out_dir: Path, *, embedder: Embedder | None = None, progress: bool = True
    ) -> None:
        self.settings = settings
        self.out_dir = out_dir
        self.embedder = embedder
        self.progress = progress

    def run(
        self,
        dataset_dir: Path,
        configs: Sequence[str] = DEFAULT_CONFIGS,
        *,
        limit: int | None = None,
        split: str | None = None,
    ) -> dict[str, Any]:
        unknown = [c for c in configs if c not in CONFIGS]
        if unknown:
            raise DatasetError(f"unknown configuration(s) {unknown}; choose from {', '.join(CONFIGS)}")
        started = time.perf_counter()
        dataset = load_dataset(dataset_dir, split=split, limit=limit)
        embedder = self.embedder or create_embedder(self.settings)
        embedder.load()
        local, _ = prepare_index(dataset, self.settings, embedder, progress=self.progress)
        service = AssistantService(local, embedder=embedder)
        service.load()
        index_seconds = time.perf_counter() - started
        done = self._resume(dataset)
        rows_file = self.out_dir / "per_question.jsonl"
        per_config: dict[str, list[dict[str, Any]]] = {}
        seconds: dict[str, float] = {}
        with rows_file.open("a", encoding="utf-8") as fh:
            for name in configs:
                cfg = CONFIGS[name]
                normalizer = QueryNormalizer(
                    restore_diacritics=cfg.restore_diacritics, expand_abbreviations=cfg.expand_abbreviations
                )
                normalizer.load()
                retriever = service.retriever_for(cfg.mode, normalizer, fusion=cfg.fusion)
                rows = []
                t = time.perf_counter()
                for question in tqdm(dataset.questions, desc=name, unit="câu", disable=not self.progress):
                    row = done.get((name, question.qid))
                    if row is None:
                        row = evaluate_question(service, retriever, question, name)
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                        fh.flush()
                    rows.append(row)
                seconds[name] = round(time.perf_counter() - t, 2)
                per_config[name] = rows
        metrics: dict[str, Any] = {name: summarize(rows) for name, rows in per_config.items()}
        for name in metrics:
            metrics[name]["seconds"] = seconds[name]
        meta = {
            "dataset": str(dataset.root),
            "kind": dataset.kind,
            "questions": len(dataset.questions),
            "split": split or "all",
            "embedder": service.embedder.name,
            "index_version": service.holder.get().version,
            "index_seconds": round(index_seconds, 2),
            "settings": {k: str(v) for k, v in dataclasses.asdict(_settings_view(self.settings)).items()},
        }
        (self.out_dir / "metrics.json").write_text(
            json.dumps({**metrics, "_meta": meta}, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        write_report(metrics, per_config, self.out_dir / "report.html", title=f"Đánh giá: {dataset.name}", meta=meta)
        return metrics

    def _resume(self, dataset: Dataset) -> dict[tuple[str, str], dict[str, Any]]:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        run_file = self.out_dir / "run.json"
        key = {
            "dataset_hash": content_hash(dataset),
            "questions": [q.qid for q in dataset.questions],
            "embedder": self.settings.embedder,
            "settings": repr(_settings_view(self.settings)),
        }
        rows_file = self.out_dir / "per_question.jsonl"
        previous = json.loads(run_file.read_text(encoding="utf-8")) if run_file.exists() else None
        if previous != key:
            rows_file.unlink(missing_ok=True)
            run_file.write_text(json.dumps(key, ensure_ascii=False), encoding="utf-8")
            return {}
        done: dict[tuple[str, str], dict[str, Any]] = {}
        if rows_file.exists():
            for line in rows_file.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    done[(row["config"], row["qid"])] = row
        if done:
            logger.info("resuming: %d question results reused from %s", len(done), rows_file)
        return done


@dataclass(frozen=True)
class _SettingsView:
    embedder: str
    top_k: int
    candidate_k: int
    fusion: str
    fusion_lexical_share: float
    rrf_k: int
    abstain_threshold: float
    abstain_threshold_english: float
    chunk_max_chars: int
    non_current_penalty: float


def _settings_view(s: Settings) -> _SettingsView:
    return _SettingsView(
        s.embedder,
        s.top_k,
        s.candidate_k,
        s.fusion,
        s.fusion_lexical_share,
        s.rrf_k,
        s.abstain_threshold,
        s.abstain_threshold_english,
        s.chunk_max_chars,
        s.non_current_penalty,
    )
