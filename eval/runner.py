"""Runs configurations of the assistant over a dataset and writes metrics.json, per_question.jsonl, report.html."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.embedding.factory import create_embedder
from assistant.service import AssistantService, RetrievalConfig
from assistant.settings import Settings
from assistant.types import ANONYMOUS, Embedder, Principal, SearchFilters
from eval import metrics as m
from eval.calibration import sweep_threshold
from eval.code_stamp import package_hash
from eval.datasets import Dataset, DatasetError, EvalQuestion, content_hash, load_dataset
from eval.report import write_report
from ingest.pipeline import IngestPipeline
from ingest.report import IngestReport, TextRecord

logger = logging.getLogger(__name__)

DEPTH = 10
HEADLINE = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")


CONFIGS: dict[str, RetrievalConfig] = {
    "hybrid": RetrievalConfig(),  # the product: fused candidates, learned ranker, answerability model
    "hybrid-no-ranker": RetrievalConfig(ranker=False),
    "bm25": RetrievalConfig(mode="bm25"),
    "dense": RetrievalConfig(mode="dense"),
    "hybrid-rrf": RetrievalConfig(fusion="rrf"),
    "hybrid-no-diacritic-restoration": RetrievalConfig(restore_diacritics=False),
    "hybrid-no-abbreviation-expansion": RetrievalConfig(expand_abbreviations=False),
    "hybrid-no-translation": RetrievalConfig(translate_english=False),
    "hybrid-no-query-normalisation": RetrievalConfig(restore_diacritics=False, expand_abbreviations=False),
}
DEFAULT_CONFIGS = ("hybrid", "hybrid-no-ranker", "bm25", "dense")


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


def principal_of(question: EvalQuestion) -> Principal:
    if question.asker_unit:
        return Principal(user_id="eval", units=frozenset({question.asker_unit}))
    return ANONYMOUS


def with_gold_removed(questions: Sequence[EvalQuestion]) -> list[EvalQuestion]:
    """Each answerable question again, answered as if its gold documents were not on the shelf: retrieval on the
    rest must then abstain (qid ``<id>#nogold``, category ``gold_removed``)."""
    return [
        dataclasses.replace(
            q,
            qid=f"{q.qid}#nogold",
            gold_doc_ids=(),
            gold_chunk_ids=(),
            answer="",
            categories=(*q.categories, "gold_removed"),
            excluded_doc_ids=q.gold_doc_ids,
        )
        for q in questions
        if q.gold_doc_ids
    ]


def evaluate_question(
    service: AssistantService, question: EvalQuestion, config_name: str, config: RetrievalConfig
) -> dict[str, Any]:
    """One per-question row, from the same ``AssistantService.ask`` call /v1/ask makes: the fields of its response
    (answer, abstained, language, evidence, threshold, context, composer, citations, passages, index_version,
    timings) plus what eval scores (gold, ranks, retrieval scores)."""
    filters = SearchFilters(exclude_doc_ids=question.excluded_doc_ids)
    result = service.ask(
        question.asked,
        principal=principal_of(question),
        history=question.history,
        filters=filters,
        top_k=DEPTH,
        config=config,
    )
    answer = result.answer
    docs = m.dedupe(p.document.doc_id for p in answer.passages)
    chunks = [p.chunk.chunk_id for p in answer.passages]
    timings = {k: round(v, 3) for k, v in result.timings_ms.items()}
    row: dict[str, Any] = {
        "config": config_name,
        "qid": question.qid,
        "question": question.question,
        "history": list(question.history),
        "context": result.query.context,
        "categories": list(question.categories),
        "gold": list(question.gold_doc_ids),
        "gold_chunks": list(question.gold_chunk_ids),
        "gold_answer": question.answer,
        "answerable": question.answerable,
        # The fields of /v1/ask's response:
        "answer": answer.text,
        "abstained": answer.abstained,
        "language": answer.language,
        "evidence": round(answer.evidence, 4),
        "threshold": round(result.evidence.threshold, 4),
        "follow_up": result.query.is_follow_up,
        "composer": answer.composer,
        "citations": [{"n": c.n, "chunk_id": c.chunk_id, "doc_id": c.doc_id, "path": c.path} for c in answer.citations],
        "passages": chunks,
        "index_version": result.index_version,
        "timings": timings,
        # Derived for scoring:
        "retrieved": docs,
        "retrieved_chunks": chunks,
        "rank": m.first_gold_rank(docs, question.gold_doc_ids) if question.gold_doc_ids else None,
        "cited": m.dedupe(c.doc_id for c in answer.citations),
        "cited_chunks": [c.chunk_id for c in answer.citations],
        "latency_ms": round(result.timings_ms.get("total_ms", 0.0), 3),
        "retrieve_ms": round(result.timings_ms.get("total_ms", 0.0) - result.timings_ms.get("compose_ms", 0.0), 3),
        "compose_ms": round(result.timings_ms.get("compose_ms", 0.0), 3),
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
    english = [r for r in answerable if r.get("language") == "en"]
    if english:
        out["english_n"] = len(english)
        out["english_recall@5"] = sum(r["scores"]["recall@5"] for r in english) / len(english)
    if any(not r["answerable"] for r in rows):
        out.update(m.abstention_metrics([r["abstained"] for r in rows], [r["answerable"] for r in rows]))
        out["abstain_auc"] = m.abstention_auc([r["evidence"] for r in rows], [r["answerable"] for r in rows])
        sweep = sweep_threshold([r["evidence"] for r in rows], [r["answerable"] for r in rows])
        out["abstain_catch_at_10fa"] = sweep.get("abstain_recall", 0.0)
        # Each language has its own threshold: "calibration" is for the questions not in English,
        # "calibration_en" for English; "gold_removed" measures answerable questions whose gold was taken out.
        for key, subset in (
            ("calibration", [r for r in rows if r.get("language") != "en"]),
            ("calibration_en", [r for r in rows if r.get("language") == "en"]),
            ("real_unanswerable", [r for r in rows if "gold_removed" not in r["categories"]]),
            ("gold_removed", [r for r in rows if "gold_removed" in r["categories"] or r["answerable"]]),
        ):
            if subset and any(not r["answerable"] for r in subset) and any(r["answerable"] for r in subset):
                evidence, labels = [r["evidence"] for r in subset], [r["answerable"] for r in subset]
                out[key] = {
                    **m.abstention_metrics([r["abstained"] for r in subset], labels),
                    "auc": m.abstention_auc(evidence, labels),
                    "sweep": sweep_threshold(evidence, labels),
                }
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
        remove_gold: bool = False,
    ) -> dict[str, Any]:
        """Run ``configs`` over the dataset; with ``remove_gold`` each answerable question is asked again with
        its gold documents taken out (it should then abstain)."""
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
        questions = list(dataset.questions) + (with_gold_removed(dataset.questions) if remove_gold else [])
        done = self._resume(dataset, remove_gold)
        rows_file = self.out_dir / "per_question.jsonl"
        per_config: dict[str, list[dict[str, Any]]] = {}
        seconds: dict[str, float] = {}
        with rows_file.open("a", encoding="utf-8") as fh:
            for name in configs:
                rows = []
                t = time.perf_counter()
                for question in tqdm(questions, desc=name, unit="câu", disable=not self.progress):
                    row = done.get((name, question.qid))
                    if row is None:
                        row = evaluate_question(service, question, name, CONFIGS[name])
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
            "gold_removed_questions": len(questions) - len(dataset.questions),
            "split": split or "all",
            "embedder": service.embedder.name,
            "index_version": service.holder.get().version,
            "index_seconds": round(index_seconds, 2),
            "settings": settings_record(self.settings),
            "ranker": str(self.settings.ranker_path) if service.ranker is not None else "none",
            "answerability": service.answerability.info if service.answerability is not None else "heuristic",
            "support": service.extractive.support.info if service.extractive.support is not None else "weights",
        }
        (self.out_dir / "metrics.json").write_text(
            json.dumps({**metrics, "_meta": meta}, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        write_report(metrics, per_config, self.out_dir / "report.html", title=f"Đánh giá: {dataset.name}", meta=meta)
        return metrics

    def _resume(self, dataset: Dataset, remove_gold: bool) -> dict[tuple[str, str], dict[str, Any]]:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        run_file = self.out_dir / "run.json"
        key = {
            "dataset_hash": content_hash(dataset),
            "questions": [q.qid for q in dataset.questions],
            "embedder": self.settings.embedder,
            "settings": settings_record(self.settings),
            "remove_gold": remove_gold,
            "models": _model_stamp(self.settings),
            "code": package_hash(),  # the package's code and resources: rows made by other code are not reused
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


# The settings that decide which candidates a question gets (training keys its candidate cache on them).
RETRIEVAL_SETTINGS = frozenset(
    {
        "embedder",
        "top_k",
        "candidate_k",
        "fusion",
        "fusion_lexical_share",
        "fusion_lexical_share_english",
        "rrf_k",
        "pinned_per_document",
        "restore_diacritics",
        "expand_abbreviations",
        "translate_english",
    }
)
# ... and those that shape answers besides, recorded in metrics.json and in the resume key.
RECORDED_SETTINGS = RETRIEVAL_SETTINGS | {
    "non_current_penalty",
    "passages_per_document",
    "ranker",
    "abstain_threshold",
    "abstain_threshold_english",
    "chunk_max_chars",
    "answer_passages",
    "composer",
}


def settings_record(settings: Settings) -> dict[str, Any]:
    """The settings that shape answers, as recorded in metrics.json and in the resume key."""
    return settings.model_dump(mode="json", include=set(RECORDED_SETTINGS))


def _model_stamp(settings: Settings) -> dict[str, float]:
    """Modification times of the learned models, so a retrained model invalidates resumed rows."""
    return {
        str(path.name): path.stat().st_mtime
        for path in (settings.ranker_path, settings.answerability_path, settings.support_path)
        if path.is_file()
    }
