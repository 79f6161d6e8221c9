"""The checklist as a Word document (A4, Times New Roman, as every export): a title, the object and date, then a
table STT | Nội dung kiểm tra | Căn cứ | Thời hạn/mức | Kết quả | Ghi chú, the result column offering
"Đạt / Không đạt" for the inspector to mark."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from docx.shared import Mm, Pt

from assistant.inspection.checklist import CheckItem
from assistant.inspection.legal_rank import legal_date
from assistant.quiz.export.docx_style import add_text, new_document, to_bytes

__all__ = ["COLUMNS", "checklist_docx"]

COLUMNS = ("STT", "Nội dung kiểm tra", "Căn cứ", "Thời hạn/mức", "Kết quả", "Ghi chú")
_WIDTHS_MM = (10, 70, 35, 25, 20, 15)  # 175 mm: the A4 text width
_TABLE_PT = 11


def _duty_text(item: CheckItem) -> str:
    """The duty, with its holder in front when the clause states it only in its article's title."""
    if item.holder and item.holder.casefold() not in item.duty.casefold():
        return f"{item.holder[:1].upper() + item.holder[1:]}: {item.duty}"
    return item.duty


def checklist_docx(items: Sequence[CheckItem], *, topic: str, object_name: str, as_of: dt.date | None = None) -> bytes:
    """The DOCX of the checklist of inspecting ``object_name`` on ``topic``; one row per item."""
    document = new_document()
    add_text(document, "PHIẾU KIỂM TRA", bold=True, center=True, size=14)
    add_text(document, f"Nội dung: {topic}", bold=True, center=True)
    add_text(document, f"Đối tượng: {object_name}", center=True)
    if as_of is not None:
        add_text(document, f"Văn bản áp dụng còn hiệu lực {legal_date(as_of)}", italic=True, center=True)
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.paragraphs[0].text = ""
        add_text(cell.paragraphs[0], heading, bold=True, center=True, size=_TABLE_PT)
    for number, item in enumerate(items, start=1):
        values = (
            str(number),
            _duty_text(item),
            item.citation,
            item.limits,
            item.result or "Đạt / Không đạt",
            item.note,
        )
        for cell, value in zip(table.add_row().cells, values, strict=True):
            add_text(cell.paragraphs[0], value, size=_TABLE_PT, center=value is values[0])
    for row in table.rows:
        for cell, width in zip(row.cells, _WIDTHS_MM, strict=True):
            cell.width = Mm(width)
    if not items:
        add_text(document, "Không có nội dung kiểm tra: các văn bản căn cứ không quy định nghĩa vụ của đối tượng.")
    document.paragraphs[0].paragraph_format.space_after = Pt(0)
    return to_bytes(document)
