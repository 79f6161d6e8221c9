"""``assistant train support``: learn which other documents among the top passages add a cited clause to an
answer, from dev questions whose gold names every document that bears on them (cross-validated, then fit on all).

The examples come from the product's own ask path with the support model off: each answered question's lead (what
the answer quotes first) and the best passage of every other top document, labelled by the gold documents. The
threshold is the lowest whose cross-validated citation precision (averaged over several fold assignments) reaches
``min_precision``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.answer.support import SUPPORT_FEATURES, SupportModel, support_candidates
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import Embedder
from eval import metrics as m
from eval.datasets import EvalQuestion, load_dataset
from eval.runner import DEPTH, prepare_index, principal_of
from eval.training import fit_logistic

THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.05, 0.96, 0.05))
# Cross-validation is repeated over these fold assignments and its figures averaged: with about 30 positive
# examples, one assignment's precision crosses the bar at a threshold anywhere from 0.2 to 0.35.
FOLD_SEEDS = (7, 11, 13, 17, 19)


@dataclass
class SupportExamples:
    """One row per (answered question, other top document); ``question`` indexes ``gold``/``cited``."""

    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.int32]
    question: npt.NDArray[np.int32]
    doc_ids: list[str]
    lead_doc: list[str]  # per question: the document the answer leads with
    gold: list[tuple[str, ...]]  # per question


def collect(service: AssistantService, questions: Sequence[EvalQuestion]) -> SupportExamples:
    """The examples of the answerable ``questions`` that the product answers (the support model is off)."""
    saved, service.extractive.support = service.extractive.support, None
    rows: list[npt.NDArray[np.float32]] = []
    labels: list[int] = []
    owner: list[int] = []
    doc_ids: list[str] = []
    lead_doc: list[str] = []
    gold: list[tuple[str, ...]] = []
    try:
        for question in questions:
            if not question.gold_doc_ids:
                continue
            result = service.ask(
                question.asked, principal=principal_of(question), history=question.history, top_k=DEPTH
            )
            answer = result.answer
            if answer.abstained or not answer.citations:
                continue
            lead = answer.citations[0]
            lead_passage = next(p for p in answer.passages if p.chunk.chunk_id == lead.chunk_id)
            cited = {c.doc_id for c in answer.citations}
            for candidate in support_candidates(result.query, answer.passages, lead_passage, lead.snippet, cited):
                rows.append(candidate.features)
                labels.append(int(candidate.doc_id in question.gold_doc_ids))
                owner.append(len(gold))
                doc_ids.append(candidate.doc_id)
            lead_doc.append(lead.doc_id)
            gold.append(question.gold_doc_ids)
    finally:
        service.extractive.support = saved
    width = len(SUPPORT_FEATURES)
    return SupportExamples(
        x=np.array(rows, dtype=np.float64).reshape(-1, width),
        y=np.array(labels, dtype=np.int32),
        question=np.array(owner, dtype=np.int32),
        doc_ids=doc_ids,
        lead_doc=lead_doc,
        gold=gold,
    )


def cross_validate(examples: SupportExamples, folds: int, seed: int = 7) -> npt.NDArray[np.float64]:
    """Out-of-fold probabilities; a question's rows stay in one fold."""
    fold_of = np.random.default_rng(seed).integers(0, folds, size=len(examples.gold))[examples.question]
    oof = np.zeros(len(examples.y))
    weights = np.ones(len(examples.y))
    for k in range(folds):
        train, test = fold_of != k, fold_of == k
        if not test.any() or len(set(examples.y[train].tolist())) < 2:
            continue
        scaler, model = fit_logistic(examples.x[train], examples.y[train], weights[train])
        oof[test] = model.predict_proba(scaler.transform(examples.x[test]))[:, 1]
    return oof


def citation_figures(
    examples: SupportExamples, probabilities: npt.NDArray[np.float64], threshold: float
) -> dict[str, float]:
    """Document-level citation precision/recall when each answer cites its lead document and every other one
    at or above ``threshold``."""
    cited = [{lead} for lead in examples.lead_doc]
    for i, p in enumerate(probabilities):
        if p >= threshold:
            cited[int(examples.question[i])].add(examples.doc_ids[i])
    figures = m.citation_metrics(cited, examples.gold)
    return {k: round(float(figures[k]), 4) for k in ("citation_precision", "citation_recall")}


def mean_citation_figures(
    examples: SupportExamples, oofs: Sequence[npt.NDArray[np.float64]], threshold: float
) -> dict[str, float]:
    """:func:`citation_figures` averaged over several cross-validations' out-of-fold probabilities."""
    runs = [citation_figures(examples, oof, threshold) for oof in oofs]
    return {k: round(float(np.mean([r[k] for r in runs])), 4) for k in runs[0]}


def choose_threshold(examples: SupportExamples, oofs: Sequence[npt.NDArray[np.float64]], min_precision: float) -> float:
    """The lowest threshold whose cross-validated citation precision (averaged over ``oofs``) is at least
    ``min_precision`` (the most recall that precision allows); the highest when none reaches it."""
    for threshold in THRESHOLDS:
        if mean_citation_figures(examples, oofs, threshold)["citation_precision"] >= min_precision:
            return threshold
    return THRESHOLDS[-1]


def fit(examples: SupportExamples, threshold: float, info: dict[str, Any]) -> SupportModel:
    scaler, model = fit_logistic(examples.x, examples.y, np.ones(len(examples.y)))
    return SupportModel.fitted(scaler, model, {"support": threshold}, info)


def train_support(
    dataset_dirs: Sequence[Path],
    settings: Settings,
    embedder: Embedder,
    *,
    split: str | None,
    folds: int,
    min_precision: float,
) -> tuple[SupportModel, dict[str, Any]]:
    """Collect the examples of every dataset, cross-validate, choose the threshold, fit on all; the model and a
    report of the cross-validated figures (with and without the model)."""
    parts: list[SupportExamples] = []
    for folder in dataset_dirs:
        dataset = load_dataset(folder, split=split)
        local, _ = prepare_index(dataset, settings, embedder, progress=False)
        # The model being retrained is not loaded: after a change of its features the old file no longer fits.
        unloaded = local.model_copy(update={"support_path": local.data_dir / "support-being-retrained.json"})
        service = AssistantService(unloaded, embedder=embedder)
        service.load()
        parts.append(collect(service, dataset.questions))
    examples = merge(parts)
    if len(set(examples.y.tolist())) < 2:
        raise ValueError("the dev questions give no document to learn from: every candidate has the same label")
    oofs = [cross_validate(examples, folds, seed) for seed in FOLD_SEEDS]
    threshold = choose_threshold(examples, oofs, min_precision)
    info = {
        "datasets": [Path(d).resolve().name for d in dataset_dirs],
        "split": split,
        "questions": len(examples.gold),
        "examples": int(len(examples.y)),
        "positives": int(examples.y.sum()),
        "min_precision": min_precision,
        "fold_seeds": list(FOLD_SEEDS),
        "embedder": embedder.name,
    }
    without = citation_figures(examples, np.zeros(len(examples.y)), 1.0)
    report = {
        "cv_auc": round(
            float(np.mean([m.abstention_auc(oof.tolist(), examples.y.astype(bool).tolist()) for oof in oofs])), 4
        ),
        "threshold": threshold,
        "cv_lead_document_only": without,
        "cv_with_model": mean_citation_figures(examples, oofs, threshold),
        "info": info,
    }
    return fit(examples, threshold, info), report


def merge(parts: Sequence[SupportExamples]) -> SupportExamples:
    offsets = np.cumsum([0, *(len(p.gold) for p in parts)])
    return SupportExamples(
        x=np.vstack([p.x for p in parts]),
        y=np.concatenate([p.y for p in parts]),
        question=np.concatenate([p.question + int(o) for p, o in zip(parts, offsets, strict=False)]),
        doc_ids=[d for p in parts for d in p.doc_ids],
        lead_doc=[d for p in parts for d in p.lead_doc],
        gold=[g for p in parts for g in p.gold],
    )
