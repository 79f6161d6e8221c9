"""Training the learned ranker and the answerability model from dev question sets (``assistant train ranker``).

1. Every question is retrieved as the product does (fused BM25 + dense candidates, what its asker may see) and
   each candidate gets :data:`PASSAGE_FEATURES` and a graded label (2 gold chunk, 1 gold document, 0 other).
2. The ranker (LightGBM lambdarank) is cross-validated in folds grouped by question: every question is scored by
   a model that never saw it, which gives the cross-validated recall figures, and the out-of-fold rankings.
3. The answerability examples are the out-of-fold rankings of answerable questions (label 1), the same questions
   with their gold documents taken out of the candidates (label 0: the rest must not answer), and the real
   unanswerable questions (label 0). A logistic model is cross-validated the same way; its threshold is the
   highest that refuses at most ``max_false_abstain`` of the answerable questions of the threshold split.
4. Final models are fit on everything and written as a LightGBM text file and a JSON file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.index.snapshot import NumberedDocument
from assistant.ranking.answerability import AnswerabilityModel
from assistant.ranking.features import (
    PASSAGE_FEATURES,
    answerability_features,
    passage_features,
)
from assistant.retrieval.hybrid import arrange, in_ranker_order
from assistant.service import AssistantService, RetrievalConfig
from assistant.settings import Settings
from assistant.text.entities import mentioned_entities, mentioned_years
from assistant.types import Embedder, NormalizedQuery, Passage
from eval import metrics as m
from eval.calibration import sweep_threshold
from eval.code_stamp import package_hash
from eval.datasets import EvalQuestion, content_hash, load_dataset
from eval.runner import RETRIEVAL_SETTINGS, prepare_index, principal_of

logger = logging.getLogger(__name__)

RANKER_PARAMS: dict[str, Any] = {
    "objective": "lambdarank",
    "n_estimators": 250,
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_child_samples": 20,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "reg_lambda": 1.0,
    "verbose": -1,
    "n_jobs": 2,
    "random_state": 7,
}


CACHE_FORMAT = "7"  # bumped by hand before the key held the code below (2: slotted DocumentMeta and Chunk; 4: a
# time limit asked also searches "thời hạn"; 5: the lists as the ranker is served them); the code hash covers both
# now. The code that decides what is collected: a cache made by other code is never read (an edit that changes how
# questions are read or searched, then reverted, must not leave lists that look current).
_COLLECTING_CODE = ("text", "retrieval", "index", "embedding", "types.py", "service.py")


def collecting_code_hash(root: Path | None = None) -> str:
    """A hash of the sources of :data:`_COLLECTING_CODE` (default root: the installed package)."""
    return package_hash(_COLLECTING_CODE, root=root, pattern="*.py")


# A threshold set on fewer answerable questions moves with one or two of them: the shelf dev split's 18 English
# ones refused 1 in nested cross-validation with their own threshold, none with the all-language one (same catch).
MIN_ANSWERABLE_FOR_THRESHOLD = 30


@dataclass
class CandidateList:
    """One question's fused candidates with features and labels."""

    qid: str
    source: str  # the dataset's name
    query: NormalizedQuery
    candidates: list[Passage]
    features: npt.NDArray[np.float32]
    labels: npt.NDArray[np.int32]
    gold_docs: tuple[str, ...]
    number_found: bool
    pinned: tuple[NumberedDocument, ...] = ()  # the documents the question names by số hiệu (search puts them first)
    split: str = ""
    fold: int = -1
    oof_scores: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    @property
    def answerable(self) -> bool:
        return bool(self.gold_docs)


def _labels(candidates: Sequence[Passage], question: EvalQuestion) -> npt.NDArray[np.int32]:
    gold_chunks, gold_docs = set(question.gold_chunk_ids), set(question.gold_doc_ids)
    return np.array(
        [2 if p.chunk.chunk_id in gold_chunks else 1 if p.document.doc_id in gold_docs else 0 for p in candidates],
        dtype=np.int32,
    )


def collect(
    dataset_dir: Path, settings: Settings, embedder: Embedder, *, split: str | None, name: str
) -> list[CandidateList]:
    """The fused candidate lists of every question of a dataset (its index built or reused as eval does)."""
    dataset = load_dataset(dataset_dir, split=split)
    local, _ = prepare_index(dataset, settings, embedder, progress=False)
    service = AssistantService(local.model_copy(update={"ranker": "none"}), embedder=embedder)
    service.load(learned=False)
    retriever = service.retriever(RetrievalConfig(ranker=False))
    lists = []
    for question in dataset.questions:
        query = service.read_question(question.asked, question.history, retriever)
        principal = principal_of(question)
        result = retriever.ranking_candidates(query, principal=principal)
        candidates = result.candidates
        lists.append(
            CandidateList(
                qid=question.qid,
                source=name,
                query=query,
                candidates=candidates,
                features=passage_features(query, candidates),
                labels=_labels(candidates, question),
                gold_docs=question.gold_doc_ids,
                number_found=result.number_found,
                pinned=result.pinned,
                split=question.split,
            )
        )
    logger.info("%s: %d questions, %d candidates", name, len(lists), sum(len(x.candidates) for x in lists))
    return lists


def collect_cached(
    dataset_dir: Path, settings: Settings, embedder: Embedder, *, split: str | None, name: str, cache: Path
) -> list[CandidateList]:
    """:func:`collect`, kept in ``cache`` (keyed by the corpus, the questions, the retrieval settings and the code
    that reads and searches them) so that retraining after a feature change does not retrieve again; features are
    always recomputed."""
    dataset = load_dataset(dataset_dir, split=split)
    key = hashlib.sha256(
        "\x00".join(
            (
                content_hash(dataset),
                json.dumps([dataclasses.astuple(q) for q in dataset.questions], default=str, ensure_ascii=False),
                json.dumps([q.asked for q in dataset.questions], ensure_ascii=False),  # as put to the service
                json.dumps(settings.model_dump(mode="json", include=set(RETRIEVAL_SETTINGS)), sort_keys=True),
                embedder.name,
                CACHE_FORMAT,
                collecting_code_hash(),
            )
        ).encode("utf-8")
    ).hexdigest()[:16]
    path = cache / f"candidates-{name}-{key}.pickle"
    if path.is_file():
        with path.open("rb") as handle:
            lists: list[CandidateList] = pickle.load(handle)  # noqa: S301 - our own cache file
        for x in lists:  # names and years do not change retrieval: read with the current code
            entities, years = mentioned_entities(x.query.text), mentioned_years(x.query.text)
            x.query = dataclasses.replace(x.query, entities=entities, years=years)
            x.features = passage_features(x.query, x.candidates)
        logger.info("%s: %d candidate lists from %s", name, len(lists), path)
        return lists
    lists = collect(dataset_dir, settings, embedder, split=split, name=name)
    cache.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        pickle.dump(lists, handle)
    return lists


def _fit_ranker(lists: Sequence[CandidateList]) -> Any:
    import lightgbm

    usable = [x for x in lists if x.labels.max(initial=0) > 0]
    x = np.vstack([c.features for c in usable])
    y = np.concatenate([c.labels for c in usable])
    model = lightgbm.LGBMRanker(**RANKER_PARAMS)
    model.fit(x, y, group=[len(c.candidates) for c in usable], feature_name=list(PASSAGE_FEATURES))
    return model


def _doc_order(candidates: Sequence[Passage], scores: npt.NDArray[np.float64]) -> list[str]:
    order = np.argsort(-scores, kind="stable")
    return m.dedupe(candidates[int(i)].document.doc_id for i in order)


def assign_folds(lists: Sequence[CandidateList], folds: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    for i, index in enumerate(rng.permutation(len(lists))):
        lists[int(index)].fold = i % folds


def cross_validate_ranker(lists: Sequence[CandidateList], folds: int) -> list[Any]:
    """Fit one ranker per fold on the other folds; store each list's out-of-fold scores; return the models."""
    models = []
    for k in range(folds):
        model = _fit_ranker([x for x in lists if x.fold != k])
        for x in lists:
            if x.fold == k and len(x.candidates):
                x.oof_scores = np.asarray(model.booster_.predict(x.features), dtype=np.float64)
        models.append(model)
    return models


def ranking_report(lists: Sequence[CandidateList]) -> dict[str, dict[str, float]]:
    """Recall@1/5/10 and MRR@10 of the fused order and of the out-of-fold learned order, per source."""
    out: dict[str, dict[str, float]] = {}
    for source in sorted({x.source for x in lists}):
        subset = [x for x in lists if x.source == source and x.answerable]
        fused = [m.dedupe(p.document.doc_id for p in x.candidates) for x in subset]
        learned = [_doc_order(x.candidates, x.oof_scores) if len(x.oof_scores) else [] for x in subset]
        gold = [x.gold_docs for x in subset]
        for name, ranked in (("fused", fused), ("ranker_cv", learned)):
            metrics = m.retrieval_metrics(ranked, gold, (1, 5, 10))
            out[f"{source}/{name}"] = {k: round(v, 4) for k, v in metrics.items()}
    return out


def _evidence_row(model: Any, x: CandidateList, candidates: list[Passage], settings: Settings) -> np.ndarray:
    """Answerability features of ``candidates`` (``x``'s, or some of them) as ``model`` ranks them and search then
    arranges them (:func:`~assistant.retrieval.hybrid.arrange`), with features recomputed on this list: the row
    the service's assessment reads for the same list."""
    features = passage_features(x.query, candidates)
    scores = np.asarray(model.booster_.predict(features), dtype=np.float64) if len(candidates) else np.zeros(0)
    ranked, features, scores = in_ranker_order(candidates, features, scores)
    arranged = arrange(
        x.query, ranked, features, scores, x.pinned,
        pinned_per_document=settings.pinned_per_document, passages_per_document=settings.passages_per_document,
    )  # fmt: skip
    return answerability_features(
        x.query, arranged.passages, arranged.features, arranged.scores, number_found=x.number_found
    )[0]


@dataclass
class AnswerabilityExamples:
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.int32]
    groups: npt.NDArray[np.int32]  # the question's fold
    source: list[str]
    kind: list[str]  # "answerable", "gold_removed", "unanswerable"
    language: list[str]
    split: list[str]


def answerability_examples(
    lists: Sequence[CandidateList], fold_models: Sequence[Any], settings: Settings
) -> AnswerabilityExamples:
    rows: list[np.ndarray] = []
    labels: list[int] = []
    groups: list[int] = []
    source: list[str] = []
    kind: list[str] = []
    language: list[str] = []
    split: list[str] = []

    def add(row: np.ndarray, label: int, x: CandidateList, what: str) -> None:
        rows.append(row)
        labels.append(label)
        groups.append(x.fold)
        source.append(x.source)
        kind.append(what)
        language.append(str(x.query.language))
        split.append(x.split)

    for x in lists:
        model = fold_models[x.fold]
        if x.answerable:
            add(_evidence_row(model, x, x.candidates, settings), 1, x, "answerable")
            rest = [p for p in x.candidates if p.document.doc_id not in set(x.gold_docs)]
            if rest:
                add(_evidence_row(model, x, rest, settings), 0, x, "gold_removed")
        elif x.candidates:
            add(_evidence_row(model, x, x.candidates, settings), 0, x, "unanswerable")
    return AnswerabilityExamples(
        np.array(rows, dtype=np.float64),
        np.array(labels, dtype=np.int32),
        np.array(groups, dtype=np.int32),
        source,
        kind,
        language,
        split,
    )


def source_weights(sources: Sequence[str]) -> npt.NDArray[np.float64]:
    """Weights giving every source (dataset) the same total weight, so the larger one does not set the model."""
    counts = {s: sources.count(s) for s in set(sources)}
    return np.array([len(sources) / (len(counts) * counts[s]) for s in sources])


def fit_logistic(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.int32], weights: npt.NDArray[np.float64]
) -> tuple[Any, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=0.5, max_iter=2000).fit(scaler.transform(x), y, sample_weight=weights)
    return scaler, model


def cross_validate_answerability(examples: AnswerabilityExamples, folds: int) -> npt.NDArray[np.float64]:
    """Out-of-fold P(answerable) of every example."""
    oof = np.zeros(len(examples.y))
    for k in range(folds):
        train, test = examples.groups != k, examples.groups == k
        if not test.any():
            continue
        weights = source_weights([s for s, keep in zip(examples.source, train, strict=True) if keep])
        scaler, model = fit_logistic(examples.x[train], examples.y[train], weights)
        oof[test] = model.predict_proba(scaler.transform(examples.x[test]))[:, 1]
    return oof


def answerability_report(examples: AnswerabilityExamples, oof: npt.NDArray[np.float64]) -> dict[str, Any]:
    """AUC and the share of unanswerable questions caught at ≤ 10 % false abstention, per source and kind."""
    out: dict[str, Any] = {}
    for source in sorted(set(examples.source)):
        for negatives in ("gold_removed", "unanswerable"):
            idx = [
                i
                for i, (s, k) in enumerate(zip(examples.source, examples.kind, strict=True))
                if s == source and k in ("answerable", negatives)
            ]
            labels = [bool(examples.y[i]) for i in idx]
            if not idx or all(labels) or not any(labels):
                continue
            scores = [float(oof[i]) for i in idx]
            sweep = sweep_threshold(scores, labels)
            out[f"{source}/{negatives}"] = {
                "n_answerable": sum(labels),
                "n_negative": len(labels) - sum(labels),
                "auc": round(m.abstention_auc(scores, labels), 4),
                "catch_at_10fa": sweep.get("abstain_recall", 0.0),
                "threshold_at_10fa": sweep.get("threshold", 0.0),
            }
    return out


def choose_thresholds(
    examples: AnswerabilityExamples, oof: npt.NDArray[np.float64], *, source: str, max_false_abstain: float
) -> dict[str, float]:
    """One threshold per language: the highest refusing at most ``max_false_abstain`` of ``source``'s answerable
    questions (a language with fewer than :data:`MIN_ANSWERABLE_FOR_THRESHOLD` answerable questions takes the
    all-language threshold)."""
    thresholds: dict[str, float] = {}

    def pick(idx: list[int]) -> float | None:
        labels = [bool(examples.y[i]) for i in idx]
        if sum(labels) < MIN_ANSWERABLE_FOR_THRESHOLD or all(labels):
            return None
        sweep = sweep_threshold([float(oof[i]) for i in idx], labels, max_false_abstain=max_false_abstain)
        return float(sweep["threshold"]) if sweep else None

    everything = [i for i, s in enumerate(examples.source) if s == source]
    overall = pick(everything) or 0.5
    for language in ("vi", "en"):
        idx = [i for i in everything if examples.language[i] == language]
        thresholds[language] = pick(idx) or overall
    return thresholds


def fit_answerability(
    examples: AnswerabilityExamples, thresholds: dict[str, float], info: dict[str, Any]
) -> AnswerabilityModel:
    scaler, model = fit_logistic(examples.x, examples.y, source_weights(examples.source))
    return AnswerabilityModel.fitted(scaler, model, thresholds, info)


def save_ranker(model: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    model.booster_.save_model(str(path), num_iteration=model.booster_.best_iteration or None)
