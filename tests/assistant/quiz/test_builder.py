"""QuizBuilder over a small ingested shelf: sources, visibility of every option, refused or flagged old documents,
the bank's audience, lessons."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from support import DECREE, NEW_DECREE, write_doc

from assistant.errors import NoQuizSource
from assistant.quiz.builder import GeneratedBank, QuizBuilder, bank_audience
from assistant.quiz.generate import NOT_CURRENT
from assistant.quiz.lesson import build_lesson
from assistant.quiz.model import ItemKind
from assistant.service import AssistantService
from assistant.types import Chunk, DocumentMeta, Principal

REPO = Path(__file__).resolve().parents[3]
# A unit-only plan of unit SXD whose values appear nowhere else on the shelf.
SECRET = """SỞ XÂY DỰNG
Số: 91/KH-SXD
KẾ HOẠCH
Kiểm tra nội bộ năm 2025
Điều 1. Thời hạn
1. Tổ kiểm tra nộp báo cáo trong thời hạn 17 ngày làm việc kể từ ngày kết thúc kiểm tra.
2. Kinh phí kiểm tra là 987.000 đồng/cuộc; hồ sơ gồm 13 bộ.
3. Chi cục Tư pháp phối hợp rà soát, chậm nhất 41 ngày trước ngày 29 tháng 2 năm 2028.
Điều 2. Báo cáo
1. Kết quả báo cáo Sở Y tế trong vòng 19 giờ kể từ khi phát hiện sai phạm.
"""
SECRET_VALUES = ("17 ngày", "987.000", "987000", "13 bộ", "Chi cục Tư pháp", "41 ngày", "29 tháng 2", "19 giờ")
UNIT_A = Principal("a", units=frozenset({"STTTT"}))
UNIT_B = Principal("b", units=frozenset({"SXD"}))


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """The shipped digital-signature guide (public), a replaced and a current decree, and SXD's unit-only plan."""
    folder = tmp_path / "quiz-shelf"
    guide = (REPO / "corpus" / "src" / "hd-chu-ky-so.txt").read_text(encoding="utf-8")
    write_doc(folder, "hd-cks.txt", guide, 'id: hd-cks\nnumber: "12/HD-STTTT"\ntype: "Hướng dẫn"\nunit: STTTT\n'
              'visibility: public\nstatus: "còn hiệu lực"\n')  # fmt: skip
    write_doc(folder, "qd-12-2024.txt", DECREE, 'id: qd-12-2024\nnumber: "12/2024/QĐ-UBND"\ntype: "Quyết định"\n'
              'status: "hết hiệu lực toàn bộ"\nvisibility: public\n')  # fmt: skip
    write_doc(folder, "qd-30-2025.txt", NEW_DECREE, 'id: qd-30-2025\nnumber: "30/2025/QĐ-UBND"\ntype: "Quyết định"\n'
              'status: "còn hiệu lực"\nrelations:\n  - {type: "thay thế", target: "12/2024/QĐ-UBND"}\n')  # fmt: skip
    write_doc(folder, "kh-91-sxd.txt", SECRET, 'id: kh-91-sxd\nnumber: "91/KH-SXD"\ntype: "Kế hoạch"\nunit: SXD\n'
              'visibility: unit\nstatus: "còn hiệu lực"\n')  # fmt: skip
    return folder


def bank_text(bank: GeneratedBank) -> str:
    parts: list[str] = []
    for item in bank.items:
        parts += [item.stem, item.explanation, *item.options, *item.answers]
        parts += [f"{p.left} {p.right} {p.source.text}" for p in item.pairs]
        parts += [s.text for s in item.sources]
    return "\n".join(parts)


def test_a_unit_a_bank_carries_no_text_of_unit_b(service: AssistantService) -> None:
    builder = QuizBuilder(service, seed=3)
    bank = builder.generate(UNIT_A, count=60)
    assert bank.items and "kh-91-sxd" not in bank.doc_ids
    text = bank_text(bank)
    assert not [value for value in SECRET_VALUES if value in text]
    with pytest.raises(NoQuizSource):
        builder.generate(UNIT_A, doc_ids=["kh-91-sxd"])


def test_unit_b_draws_from_its_plan_and_the_bank_is_unit_only(service: AssistantService) -> None:
    bank = QuizBuilder(service).generate(UNIT_B, doc_ids=["kh-91-sxd"], count=10)
    assert bank.items and bank.doc_ids == ("kh-91-sxd",)
    assert bank.audience.visibility == "unit" and bank.audience.unit == "SXD"
    assert any(value in bank_text(bank) for value in SECRET_VALUES)


def test_bank_is_deterministic_for_a_seed_and_items_pass(service: AssistantService) -> None:
    first = QuizBuilder(service, seed=5).generate(UNIT_A, topic="chữ ký số", count=4)
    again = QuizBuilder(service, seed=5).generate(UNIT_A, topic="chữ ký số", count=4)
    assert [i.item_id for i in first.items] == [i.item_id for i in again.items]
    assert len(first.items) == 4 and all(
        c.passed for c in first.checks if c.item_id in {i.item_id for i in first.items}
    )
    assert len(first.checks) == len(first.items) + first.rejected
    assert all(i.topic == "chữ ký số" for i in first.items)


def test_replaced_document_is_refused_unless_asked_then_flagged(service: AssistantService) -> None:
    builder = QuizBuilder(service)
    with pytest.raises(NoQuizSource, match="hết hiệu lực"):
        builder.generate(UNIT_A, doc_ids=["qd-12-2024"])
    bank = builder.generate(UNIT_A, doc_ids=["qd-12-2024"], include_not_current=True, count=5)
    assert bank.items and all(NOT_CURRENT in item.flags for item in bank.items)


def test_sources_filter_by_type_and_kinds_are_kept(service: AssistantService) -> None:
    builder = QuizBuilder(service)
    sources = builder.sources(UNIT_A, doc_types=["Hướng dẫn"])
    assert {doc.doc_id for _, doc in sources} == {"hd-cks"}
    bank = builder.generate(UNIT_A, doc_types=["Hướng dẫn"], kinds=(ItemKind.FILL_BLANK,), count=4)
    assert bank.items and {i.kind for i in bank.items} == {ItemKind.FILL_BLANK}
    with pytest.raises(NoQuizSource):
        builder.sources(UNIT_A, unit="KHONG-CO")


def test_audience_is_the_strictest_visibility() -> None:
    public = DocumentMeta("p", "P")
    unit = DocumentMeta("u", "U", unit="SXD", visibility="unit")
    restricted = DocumentMeta("r", "R", unit="TTT", visibility="restricted", allowed_units=("TTT", "SXD"))
    other = dataclasses.replace(restricted, doc_id="r2", allowed_units=("TTT",), allowed_roles=("inspector",))
    assert bank_audience([public]).visibility == "public"
    assert bank_audience([public, unit]) == dataclasses.replace(bank_audience([unit]), unit="SXD")
    assert bank_audience([restricted, other]).allowed_units == ("TTT",)
    assert bank_audience([restricted, unit]).allowed_units == ("SXD",)


def test_lesson_points_follow_the_structure_one_per_clause() -> None:
    doc_a, doc_b = DocumentMeta("a", "A", number="1/HD-A", doc_type="Hướng dẫn"), DocumentMeta("b", "B")
    text = (
        "Điều {n}. Thời hạn\n1. Văn thư cơ quan đăng ký văn bản đến trong thời hạn 0{n} ngày làm việc kể từ khi nhận."
    )
    chunks = [
        Chunk(f"{d.doc_id}:{n}", d.doc_id, n, text.format(n=n), article=str(n))
        for d in (doc_b, doc_a)
        for n in (3, 1, 2)
    ]
    passages = [(c, doc_b if c.doc_id == "b" else doc_a) for c in chunks]
    lesson = build_lesson("văn bản đến", passages, n=5)
    assert lesson.title == "5 điều cần nhớ về văn bản đến"
    order = [(p.source.doc_id, p.source.path) for p in lesson.points]
    assert order[:3] == [("b", "khoản 1 Điều 1"), ("b", "khoản 1 Điều 2"), ("b", "khoản 1 Điều 3")]
    assert len(set(order)) == len(order) and all(p.text.endswith(".") for p in lesson.points)


def test_builder_lesson_cites_visible_current_clauses(service: AssistantService) -> None:
    lesson = QuizBuilder(service).lesson(UNIT_A, "gia hạn chứng thư chữ ký số", n=3)
    assert 1 <= len(lesson.points) <= 3
    assert all(p.source.doc_id in {"hd-cks", "qd-30-2025"} for p in lesson.points)
    assert all(p.text.rstrip(".") in p.source.text or p.text[1:].rstrip(".") in p.source.text for p in lesson.points)
