"""Quiz items and audiences survive a trip through plain JSON; older or broken dicts are read or refused."""

from __future__ import annotations

import json

import pytest

from assistant.quiz.model import (
    BankAudience,
    Difficulty,
    FactKind,
    ItemKind,
    MatchPair,
    QuizItem,
    ReviewStatus,
    SourceRef,
)
from assistant.quiz.serialize import audience_from_dict, audience_to_dict, item_from_dict, item_to_dict

SOURCE = SourceRef(
    "nd30:dieu-5-khoan-2", "nd30", "30/2020/NĐ-CP", "Nghị định về công tác văn thư", "Nghị định",
    "điểm a khoản 2 Điều 5", 3, "a) Văn bản hành chính được trình bày trên khổ giấy A4 (210 mm x 297 mm).",
)  # fmt: skip
NO_PAGE = SourceRef("hd:muc-ii-2", "hd", "", "Hướng dẫn", "", "khoản 2 mục II", None, "2. Gia hạn: 30 ngày.")

ITEMS = (
    QuizItem("mc1", ItemKind.MULTIPLE_CHOICE, "Khổ giấy nào?", "Căn cứ Điều 5.", (SOURCE, NO_PAGE),
             FactKind.CONDITION, Difficulty.DISCRIMINATE, options=("A5", "A4", "A3", "Letter"), correct=(1,),
             topic="văn thư", flags=("source_not_current",), status=ReviewStatus.ACCEPTED, rephrased=True),
    QuizItem("tf1", ItemKind.TRUE_FALSE, "Đúng hay sai?", "Căn cứ Điều 5.", (SOURCE,), FactKind.CONDITION,
             options=("Đúng", "Sai"), correct=(0,), status=ReviewStatus.REJECTED),
    QuizItem("fb1", ItemKind.FILL_BLANK, "Khổ giấy ___.", "Căn cứ Điều 5.", (SOURCE,), FactKind.CONDITION,
             answers=("A4", "khổ A4")),
    QuizItem("m1", ItemKind.MATCHING, "Ghép.", "Căn cứ mục II.", (NO_PAGE,), FactKind.DURATION,
             pairs=(MatchPair("Gia hạn", "30 ngày", NO_PAGE), MatchPair("Thu hồi", "05 ngày làm việc", SOURCE))),
)  # fmt: skip


@pytest.mark.parametrize("item", ITEMS, ids=[item.kind.value for item in ITEMS])
def test_every_item_kind_round_trips_through_json(item: QuizItem) -> None:
    data = json.loads(json.dumps(item_to_dict(item), ensure_ascii=False))
    assert item_from_dict(data) == item
    assert data["kind"] == item.kind.value and isinstance(data["sources"][0], dict)


def test_a_dict_without_the_optional_fields_gets_the_defaults() -> None:
    data = {"item_id": "x", "kind": "fill_blank", "stem": "___", "fact_kind": "amount"}
    item = item_from_dict(data)
    assert item == QuizItem("x", ItemKind.FILL_BLANK, "___", "", (), FactKind.AMOUNT)
    assert item.status == ReviewStatus.PENDING and item.difficulty == Difficulty.RECALL


def test_a_broken_dict_is_refused() -> None:
    with pytest.raises(ValueError, match="stem"):
        item_from_dict({"item_id": "x", "kind": "fill_blank", "fact_kind": "amount"})
    with pytest.raises(ValueError):
        item_from_dict({"item_id": "x", "kind": "essay", "stem": "?", "fact_kind": "amount"})
    with pytest.raises(ValueError, match="visibility"):
        audience_from_dict({"visibility": "secret"})


def test_an_audience_round_trips() -> None:
    audience = BankAudience("restricted", "SXD", ("SXD", "SYT"), ("inspector",))
    assert audience_from_dict(json.loads(json.dumps(audience_to_dict(audience)))) == audience
    assert audience_from_dict({}) == BankAudience()
