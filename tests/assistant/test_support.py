"""The support model: which other documents among the top passages add a cited clause to an answer."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from support import ANSWERABLE, make_passage, make_query

from assistant.answer.extractive import ExtractiveComposer
from assistant.answer.prompts import DEFAULT_PROMPTS_DIR, PromptLibrary
from assistant.answer.support import SUPPORT_FEATURES, SupportModel, support_candidates
from assistant.errors import ConfigurationError
from assistant.types import Passage, Relation, RelationKind, Validity

LEAD = (
    "Điều 5. Thời hạn giải quyết\n"
    "Thời hạn giải quyết hồ sơ cấp giấy phép là 15 ngày làm việc kể từ khi nhận đủ hồ sơ."
)
TWIN = "Article 5. Processing time\nThe licence application is processed within 15 working days of a complete file."
AMENDING = "Điều 1. Sửa đổi thời hạn\nSửa đổi thời hạn giải quyết hồ sơ cấp giấy phép tại Quyết định 10/2024/QĐ-UBND."
UNRELATED = "Điều 2. Lệ phí\nLệ phí thẩm định hồ sơ là 200.000 đồng một lần thẩm định cho mỗi bộ hồ sơ đề nghị."
QUESTION = "Thời hạn giải quyết hồ sơ cấp giấy phép là bao lâu?"


def ranked(
    doc_id: str, text: str, score: float, *, language: str = "vi", number: str = "", **kwargs: object
) -> Passage:
    passage = make_passage(doc_id, text, number=number, **kwargs)
    document = dataclasses.replace(passage.document, language=language)
    return dataclasses.replace(passage, document=document, scores={**passage.scores, "ranker": score})


def model(weights: dict[str, float], intercept: float) -> SupportModel:
    n = len(SUPPORT_FEATURES)
    return SupportModel(
        features=SUPPORT_FEATURES,
        mean=(0.0,) * n,
        scale=(1.0,) * n,
        coef=tuple(weights.get(name, 0.0) for name in SUPPORT_FEATURES),
        intercept=intercept,
        thresholds={"support": 0.5},
        info={},
    )


def shelf() -> list[Passage]:
    amending = ranked("qd-22", AMENDING, 1.0, number="22/2025/QĐ-UBND")
    amending = dataclasses.replace(
        amending,
        document=dataclasses.replace(
            amending.document, relations=(Relation(RelationKind.AMENDS, "10/2024/QĐ-UBND"),)
        ),
    )
    return [
        ranked("qd-10", LEAD, 3.0, number="10/2024/QĐ-UBND"),
        ranked("guide-en", TWIN, 2.0, language="en"),
        ranked("qd-10", UNRELATED, 1.5, number="10/2024/QĐ-UBND", article="2"),
        amending,
        ranked("nq-7", UNRELATED, 0.5, number="7/2023/NQ-HĐND"),
    ]


def features(candidate_features: np.ndarray) -> dict[str, float]:
    return dict(zip(SUPPORT_FEATURES, candidate_features.tolist(), strict=True))


def test_candidates_are_the_other_documents_with_what_links_them_to_the_lead() -> None:
    passages = shelf()
    lead_text = passages[0].chunk.text.splitlines()[1]
    candidates = support_candidates(make_query(QUESTION), passages, passages[0], lead_text, {"qd-10", "nq-7"})
    assert [(c.doc_id, c.index) for c in candidates] == [("guide-en", 1), ("qd-22", 3), ("nq-7", 4)]
    twin, amending, unrelated = (features(c.features) for c in candidates)
    assert twin["shares_figure"] == 1 and twin["other_language"] == 1 and twin["ranker_gap"] == 1.0
    assert amending["related"] == 1 and amending["shares_figure"] == 0 and amending["other_language"] == 0
    assert amending["question_cover"] > unrelated["question_cover"]
    assert unrelated["already_cited"] == 1 and twin["already_cited"] == 0
    assert unrelated["states_asked_fact"] == 0 and twin["states_asked_fact"] == 0  # "15 working days": not Vietnamese


def test_the_text_the_leads_document_replaced_is_never_a_support() -> None:
    new = ranked("qd-12", LEAD.replace("15", "10"), 3.0, number="12/2025/QĐ-UBND")
    old = ranked("qd-10", LEAD, 2.9, number="10/2024/QĐ-UBND", status=Validity.EXPIRED,
                 superseded_by=("12/2025/QĐ-UBND",))  # fmt: skip
    twin = ranked("guide-en", TWIN, 2.0, language="en")
    candidates = support_candidates(make_query(QUESTION), [new, old, twin], new, new.chunk.text, {"qd-12"})
    assert [c.doc_id for c in candidates] == ["guide-en"]
    composer = ExtractiveComposer(PromptLibrary(DEFAULT_PROMPTS_DIR), support=model({}, intercept=10.0))
    answer = composer.compose(make_query(QUESTION), [new, old], ANSWERABLE)
    assert {c.doc_id for c in answer.citations} == {"qd-12"} and "15 ngày" not in answer.text


def test_a_document_the_model_accepts_adds_its_best_clause() -> None:
    composer = ExtractiveComposer(PromptLibrary(DEFAULT_PROMPTS_DIR))
    passages = shelf()
    before = composer.compose(make_query(QUESTION), passages, ANSWERABLE)
    assert {c.doc_id for c in before.citations} == {"qd-10"}
    composer.support = model({"shares_figure": 10.0}, intercept=-5.0)  # the same figure: the same fact
    after = composer.compose(make_query(QUESTION), passages, ANSWERABLE)
    assert [c.doc_id for c in after.citations] == ["qd-10", "guide-en"]
    assert "15 working days" in after.text.splitlines()[1] and after.text.splitlines()[1].endswith("[2]")


def test_a_document_the_model_rejects_loses_its_clause() -> None:
    composer = ExtractiveComposer(PromptLibrary(DEFAULT_PROMPTS_DIR))
    passages = [ranked("qd-10", LEAD, 3.0), ranked("qd-11", LEAD.replace("15", "12"), 2.9)]
    assert {c.doc_id for c in composer.compose(make_query(QUESTION), passages, ANSWERABLE).citations} == {
        "qd-10",
        "qd-11",
    }  # as close as that, the support weights take the other document's clause
    composer.support = model({}, intercept=-10.0)
    answer = composer.compose(make_query(QUESTION), passages, ANSWERABLE)
    assert {c.doc_id for c in answer.citations} == {"qd-10"} and "12 ngày" not in answer.text


def test_without_learned_scores_the_weights_decide() -> None:
    composer = ExtractiveComposer(PromptLibrary(DEFAULT_PROMPTS_DIR), support=model({}, intercept=10.0))
    passages = [make_passage("qd-10", LEAD), make_passage("nq-7", UNRELATED, rank=3)]  # no "ranker" score
    answer = composer.compose(make_query(QUESTION), passages, ANSWERABLE)
    assert {c.doc_id for c in answer.citations} == {"qd-10"}


def test_the_shipped_model_loads_and_a_stale_one_is_refused(tmp_path: Path) -> None:
    shipped = SupportModel.load()
    assert shipped.features == SUPPORT_FEATURES and 0 < shipped.threshold < 1
    assert shipped.info["split"] == "dev"  # trained on dev questions only
    path = tmp_path / "support.json"
    dataclasses.replace(shipped, features=("rank", *SUPPORT_FEATURES[1:-1], "old")).save(path)
    with pytest.raises(ConfigurationError, match="assistant train support"):
        SupportModel.load(path)
    with pytest.raises(ConfigurationError, match="Không thấy"):
        SupportModel.load(tmp_path / "absent.json")
