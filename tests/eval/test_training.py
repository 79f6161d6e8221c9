"""``assistant train ranker`` learns from the lists search serves: the candidates it collects, their features and
the answerability row of a ranked list are the ones the service computes for the same question (a ranker trained
on other features — e.g. on a list where expired documents were already demoted — would be served lists it never
saw). Checked over the three-document shelf, with the shipped models loaded by hand."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from assistant.errors import ConfigurationError
from assistant.ranking.answerability import AnswerabilityModel
from assistant.ranking.features import answerability_features, passage_features
from assistant.ranking.ranker import LearnedRanker
from assistant.service import AssistantService, RetrievalConfig
from assistant.types import ANONYMOUS
from eval import training
from eval.datasets import EvalQuestion
from eval.training import CandidateList, _evidence_row, collecting_code_hash

QUESTIONS = [
    "Văn bản khẩn phải được xử lý trong bao lâu?",  # the 2024 decision is replaced: in force first moves it
    "Quyết định 12/2024/QĐ-UBND quy định văn bản khẩn xử lý trong bao lâu?",  # named: pinned first
    "Ai ký văn bản đi?",
]


class _Fitted:
    """The shape ``_evidence_row`` scores with (a fitted LGBMRanker's ``booster_``)."""

    def __init__(self, booster: Any) -> None:
        self.booster_ = booster


@pytest.fixture
def served(service: AssistantService) -> AssistantService:
    service.ranker = LearnedRanker(service.settings.ranker_path)
    service.ranker.load()
    service.answerability = AnswerabilityModel.load(service.settings.answerability_path)
    service._retrievers.clear()
    return service


@pytest.mark.parametrize("question", QUESTIONS)
def test_training_reads_the_lists_and_features_search_serves(served: AssistantService, question: str) -> None:
    retriever = served.retriever(RetrievalConfig())
    query = retriever.normalizer.normalize(question)
    result = retriever.search(query, principal=ANONYMOUS)
    collected = retriever.ranking_candidates(query, principal=ANONYMOUS)
    ids = [p.chunk.chunk_id for p in collected.candidates]
    assert sorted(ids) == sorted(p.chunk.chunk_id for p in result.candidates)

    features = passage_features(query, collected.candidates)
    by_chunk = dict(zip(ids, features, strict=True))
    for passage, row in zip(result.candidates, result.features, strict=True):
        np.testing.assert_array_equal(by_chunk[passage.chunk.chunk_id], row, err_msg=passage.chunk.chunk_id)

    x = CandidateList(
        qid="q", source="shelf", query=query, candidates=collected.candidates, features=features,
        labels=np.zeros(len(ids), dtype=np.int32), gold_docs=(), number_found=collected.number_found,
        pinned=collected.pinned,
    )  # fmt: skip
    assert served.ranker is not None
    trained = _evidence_row(_Fitted(served.ranker._booster), x, x.candidates, served.settings)
    assessed = answerability_features(
        query, result.candidates, result.features, result.ranker_scores, number_found=result.number_found
    )[0]
    np.testing.assert_allclose(trained, assessed, rtol=1e-6)


def test_the_collected_list_is_the_fused_one_with_nothing_demoted(served: AssistantService) -> None:
    retriever = served.retriever(RetrievalConfig())
    query = retriever.normalizer.normalize(QUESTIONS[0])
    collected = retriever.ranking_candidates(query, principal=ANONYMOUS).candidates
    fused = [p.scores["fused"] for p in collected]
    assert fused == sorted(fused, reverse=True)  # the expired decision keeps its fused place
    assert [p.score for p in collected] == fused
    assert any(not p.current for p in collected)


def test_the_candidate_cache_is_keyed_by_the_code_that_collects(tmp_path: Path) -> None:
    """An edit to how questions are read or searched makes earlier cached lists unreachable, even when it is
    reverted after a cache was written under it; an edit elsewhere (the ranker's features) keeps them."""
    for folder in ("text", "retrieval", "index", "embedding", "ranking"):
        (tmp_path / folder).mkdir()
    query, features = tmp_path / "text" / "query.py", tmp_path / "ranking" / "features.py"
    for path in (query, features, tmp_path / "types.py", tmp_path / "service.py"):
        path.write_text("x = 1\n", encoding="utf-8")
    before = collecting_code_hash(tmp_path)
    features.write_text("x = 2\n", encoding="utf-8")
    assert collecting_code_hash(tmp_path) == before
    query.write_text("x = 2\n", encoding="utf-8")
    assert collecting_code_hash(tmp_path) != before
    assert len(collecting_code_hash()) == 64  # the installed package's own sources


def test_retraining_reads_questions_without_the_models_it_replaces(
    monkeypatch: pytest.MonkeyPatch, service: AssistantService, tmp_path: Path
) -> None:
    """After a change of the features the shipped answerability file no longer loads (it names other features);
    ``assistant train ranker`` must still collect its lists, so it loads the service without the learned models."""
    stale = tmp_path / "answerability.json"
    shipped = json.loads(service.settings.answerability_path.read_text(encoding="utf-8"))
    stale.write_text(json.dumps({**shipped, "features": ["another", *shipped["features"][1:]]}), encoding="utf-8")
    local = service.settings.model_copy(update={"answerability_path": stale})
    with pytest.raises(ConfigurationError, match="đặc trưng khác"):
        AssistantService(local, embedder=service.embedder).load()
    question = EvalQuestion(qid="q1", question="Ai ký văn bản đi?", gold_doc_ids=("x",), gold_chunk_ids=())
    monkeypatch.setattr(training, "load_dataset", lambda folder, split: SimpleNamespace(questions=(question,)))
    monkeypatch.setattr(training, "prepare_index", lambda *args, **kwargs: (local, None))
    lists = training.collect(tmp_path, local, service.embedder, split="dev", name="shelf")
    assert [x.qid for x in lists] == ["q1"] and len(lists[0].candidates) > 0
