"""Số hiệu in questions: recognised however it is typed, and the document it names is put first — only when the
caller may see it and the filters accept it."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.service import AssistantService
from assistant.text.numbers import mentioned_numbers, number_key
from assistant.types import ANONYMOUS, Principal, SearchFilters

URGENT = "văn bản khẩn phải được xử lý trong bao lâu?"


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Quyết định 3120/QĐ-UBND quy định gì?", ["3120qdubnd"]),
        ("quyet dinh 3120/qd-ubnd", ["3120qdubnd"]),
        ("theo 30/2020/NĐ-CP và 30 / 2020 / nd-cp", ["302020ndcp"]),
        ("Nghị quyết 49-NQ/TU; Hướng dẫn 07/HD-TTr; lại 49-NQ/TU", ["49nqtu", "07hdttr"]),
        ("họp ngày 14/9, phòng 3, 24/7, tỷ lệ 15%", []),
        ("", []),
    ],
)
def test_mentioned_numbers(text: str, keys: list[str]) -> None:
    assert mentioned_numbers(text) == keys


def test_number_key_ignores_case_diacritics_and_punctuation() -> None:
    assert number_key("12/2024/QĐ-UBND") == number_key("12/2024/qd ubnd") == "122024qdubnd"


def test_naming_a_replaced_decree_brings_it_up_after_its_replacement(service: AssistantService) -> None:
    generic = f"Theo quy chế quản lý văn bản, {URGENT}"
    [best] = service.search(generic, principal=ANONYMOUS, top_k=1).passages
    assert best.document.doc_id == "qd-30-2025"
    for spelling in ("12/2024/QĐ-UBND", "12/2024/qd-ubnd"):
        named = service.search(f"Theo Quyết định {spelling}, {URGENT}", principal=ANONYMOUS, top_k=3).passages
        assert [p.chunk.chunk_id for p in named[:2]] == ["qd-30-2025:dieu-2", "qd-12-2024:dieu-2"]
        assert all(p.scores["number_match"] == 1.0 for p in named[:2])
        assert named[0].current and not named[1].current


def test_naming_a_decree_in_force_at_a_past_date_puts_it_first(service: AssistantService) -> None:
    then = SearchFilters(as_of=dt.date(2024, 12, 31))
    named = service.search(f"12/2024/QĐ-UBND {URGENT}", principal=ANONYMOUS, filters=then).passages
    assert named[0].chunk.chunk_id == "qd-12-2024:dieu-2" and named[0].current


def test_pinning_respects_visibility_and_filters(service: AssistantService) -> None:
    outsider = Principal(units=frozenset({"SYT"}))
    for principal in (ANONYMOUS, outsider):
        passages = service.search("77/KH-STTTT", principal=principal).passages
        assert all(p.document.doc_id != "kh-77-stttt" for p in passages)
    in_force = SearchFilters(in_force_only=True)
    passages = service.search(f"12/2024/QĐ-UBND {URGENT}", principal=ANONYMOUS, filters=in_force).passages
    assert passages and all(p.document.doc_id != "qd-12-2024" for p in passages)
    member = Principal(units=frozenset({"STTTT"}))
    passages = service.search("77/KH-STTTT", principal=member).passages
    assert passages[0].document.doc_id == "kh-77-stttt" and "number_match" in passages[0].scores


def test_pinning_can_be_turned_off(service: AssistantService) -> None:
    unpinned = AssistantService(
        service.settings.model_copy(update={"pinned_per_document": 0}), embedder=service.embedder
    )
    unpinned.load()
    passages = unpinned.search(f"Theo Quyết định 12/2024/QĐ-UBND, {URGENT}", principal=ANONYMOUS).passages
    assert passages[0].document.doc_id == "qd-30-2025"
    assert all("number_match" not in p.scores for p in passages)
