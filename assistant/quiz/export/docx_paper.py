"""A bank as a printed test paper (Word) and its separate answer key, on the page of Nghị định 30/2020/NĐ-CP."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from assistant.quiz.export.common import (
    exportable_items,
    flag_notes,
    letter,
    matching_columns,
    right_answer_text,
)
from assistant.quiz.export.docx_style import add_text, borderless, new_document, to_bytes
from assistant.quiz.model import ItemKind, QuizBank, QuizItem, ReviewStatus

BLANK_LINE = "Trả lời: " + "…" * 40
DOTS = "…" * 24
OPTION_INDENT_MM = 8


def _header(document: DocxDocument, bank: QuizBank, unit_name: str, kind: str, minutes: int | None) -> None:
    table = document.add_table(rows=1, cols=2)
    borderless(table)
    left, right = table.rows[0].cells
    add_text(left.paragraphs[0], (unit_name or bank.unit).upper(), bold=True, center=True)
    add_text(right.paragraphs[0], kind, bold=True, center=True)
    duration = f"{minutes} phút" if minutes is not None else "…… phút"
    add_text(right.add_paragraph(), f"Thời gian làm bài: {duration}", italic=True, center=True)
    add_text(document, bank.title.upper(), bold=True, center=True, size=14)


def _item(document: DocxDocument, number: int, item: QuizItem) -> None:
    paragraph = add_text(document, f"Câu {number}. ", bold=True, justify=True)
    add_text(paragraph, item.stem)
    if item.kind == ItemKind.MULTIPLE_CHOICE:
        for index, option in enumerate(item.options):
            add_text(document, f"{letter(index)}. {option}", indent_mm=OPTION_INDENT_MM)
    elif item.kind == ItemKind.TRUE_FALSE:
        add_text(document, "Đúng / Sai", indent_mm=OPTION_INDENT_MM)
    elif item.kind == ItemKind.FILL_BLANK:
        add_text(document, BLANK_LINE, indent_mm=OPTION_INDENT_MM)
    else:
        columns = matching_columns(item)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, ("Cột A", "Cột B"), strict=True):
            add_text(cell.paragraphs[0], title, bold=True, center=True)
        for index, (left, right) in enumerate(zip(columns.lefts, columns.rights, strict=True)):
            cells = table.add_row().cells
            add_text(cells[0].paragraphs[0], f"{index + 1}. {left}")
            add_text(cells[1].paragraphs[0], f"{letter(index)}. {right}")
        add_text(document, "Trả lời: " + "; ".join(f"{n} – …" for n in range(1, len(columns.lefts) + 1)))


def bank_to_docx(
    bank: QuizBank, *, unit_name: str = "", minutes: int | None = None, include_pending: bool = True
) -> bytes:
    """The test paper: header (unit, "Thời gian làm bài", the bank's title, "Họ và tên / Đơn vị"), then the items
    numbered "Câu 1.", "Câu 2.", … with their options, a "Đúng / Sai" line, an answer line or a matching table.
    ``unit_name`` is printed instead of the bank's unit code; items are those of ``exportable_items``."""
    document = new_document()
    _header(document, bank, unit_name, "ĐỀ KIỂM TRA", minutes)
    add_text(document, f"Họ và tên: {DOTS} Đơn vị: {DOTS}")
    for number, item in enumerate(exportable_items(bank, include_pending=include_pending), start=1):
        _item(document, number, item)
    return to_bytes(document)


def _key_item(document: DocxDocument, number: int, item: QuizItem) -> None:
    paragraph = add_text(document, f"Câu {number}. ", bold=True)
    add_text(paragraph, f"Đáp án: {right_answer_text(item)}", bold=True)
    if item.citation:
        cited = add_text(document, "Căn cứ: ", italic=True, indent_mm=OPTION_INDENT_MM)
        add_text(cited, item.citation, italic=True)
    if item.explanation:
        add_text(document, f"Giải thích: {item.explanation}", justify=True, indent_mm=OPTION_INDENT_MM)
    for note in flag_notes(item):
        add_text(document, f"⚠ CẦN KIỂM TRA: {note}", bold=True, indent_mm=OPTION_INDENT_MM)
    if item.status == ReviewStatus.PENDING:
        add_text(document, "(Câu hỏi chưa được duyệt.)", italic=True, indent_mm=OPTION_INDENT_MM)


def answer_key_to_docx(
    bank: QuizBank, *, unit_name: str = "", minutes: int | None = None, include_pending: bool = True
) -> bytes:
    """The answer key of ``bank_to_docx`` (same items, same numbers, same matching letters): each item's right
    answer, its citation and the explanation quoting the clause; flagged and not yet reviewed items are marked."""
    document = new_document()
    _header(document, bank, unit_name, "ĐÁP ÁN", minutes)
    add_text(document, "ĐÁP ÁN VÀ HƯỚNG DẪN CHẤM", bold=True, center=True)
    for number, item in enumerate(exportable_items(bank, include_pending=include_pending), start=1):
        _key_item(document, number, item)
    return to_bytes(document)
