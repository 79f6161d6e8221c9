"""The header of an official document (Phụ lục I, mục II 1–5): a borderless two-column table. Left: the superior
body, the issuing body with a short rule under it, "Số: …" and, for a công văn, "V/v …". Right: Quốc hiệu, tiêu
ngữ with a rule as long as it, then place and date."""

from __future__ import annotations

import datetime as dt

from docx.document import Document as DocxDocument

from assistant.drafting import layout
from assistant.drafting.details import DraftKind
from assistant.drafting.layout import Fields
from assistant.drafting.metrics import text_width_mm
from assistant.drafting.request import DraftRequest

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
LEFT_MM, RIGHT_MM = 70.0, 95.0  # the text width of an A4 page with margins 30 and 15 mm is 165 mm


def number_of(request: DraftRequest, fields: Fields) -> str:
    """ "12/GM-UBND" (or "123/UBND-VP" for a công văn), with placeholders for what is missing."""
    number = fields.get("number", request.number, "…")
    issuer = fields.get("issuing_abbreviation", request.issuing_abbreviation, "[viết tắt cơ quan]")
    if request.kind is DraftKind.CONG_VAN:
        unit = fields.get("drafting_unit", request.drafting_unit, "[viết tắt đơn vị soạn thảo]")
        return f"{number}/{issuer}-{unit}"
    return f"{number}/{request.kind.code}-{issuer}"


def date_line(place: str, date: dt.date | None, fields: Fields) -> str:
    """ "Lạng Sơn, ngày 05 tháng 3 năm 2026": days below 10 and months below 3 with a leading zero."""
    where = fields.get("place", place, "[địa danh]")
    if date is None:
        return f"{where}, " + fields.get("date", "", "ngày … tháng … năm …")
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{where}, ngày {day} tháng {month} năm {date.year}"


def add_header(document: DocxDocument, request: DraftRequest, fields: Fields) -> str:
    """Add the header table; returns the số/ký hiệu (with placeholder marks)."""
    table = layout.borderless_table(document, rows=2, widths_mm=(LEFT_MM, RIGHT_MM))
    left_mm, right_mm = LEFT_MM - 2 * layout.CELL_PADDING_MM, RIGHT_MM - 2 * layout.CELL_PADDING_MM

    bodies, national = table.cell(0, 0), table.cell(0, 1)
    if request.superior_body:
        layout.line(bodies, request.superior_body.upper(), size=layout.SUPERIOR_PT, wrap_mm=left_mm)
    issuer = fields.get("issuing_body", request.issuing_body.upper(), "[TÊN CƠ QUAN BAN HÀNH]")
    layout.line(bodies, issuer, size=layout.ISSUER_PT, bold=True, wrap_mm=left_mm)
    layout.rule(bodies, layout.short_rule_width(issuer, layout.ISSUER_PT, left_mm), left_mm)

    layout.line(national, NATIONAL_NAME, size=layout.NATIONAL_PT, bold=True)
    layout.line(national, MOTTO, size=layout.MOTTO_PT, bold=True)
    layout.rule(national, text_width_mm(MOTTO, layout.MOTTO_PT, bold=True), right_mm)

    number = number_of(request, fields)
    numbers, dates = table.cell(1, 0), table.cell(1, 1)
    layout.line(numbers, f"Số: {number}", size=layout.NUMBER_PT, before=6)
    if request.kind is DraftKind.CONG_VAN:
        subject = fields.get("subject", request.subject, "[trích yếu nội dung]")
        layout.line(numbers, f"V/v {subject}", size=layout.SUBJECT_LINE_PT, before=3, wrap_mm=left_mm)
    layout.line(dates, date_line(request.place, request.date, fields), size=layout.DATE_PT, italic=True, before=6)
    return number
