"""A comparison as a Word document: A4, Times New Roman 13 pt (Nghị định 30/2020/NĐ-CP), a title naming both
documents, and a three-column table (Điều cũ | Điều mới | Thay đổi) in which deleted words are struck through in red
and inserted words are underlined in bold blue."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from assistant.inspection.compare import ArticleChange, ChangeKind, Comparison, Segment
from assistant.types import RelationKind

FONT = "Times New Roman"
BODY_PT = 13
DELETED = RGBColor(0xC0, 0x00, 0x00)
INSERTED = RGBColor(0x00, 0x33, 0xA6)
COLUMNS = ("Điều cũ", "Điều mới", "Thay đổi")
COLUMN_WIDTHS_MM = (63, 63, 39)  # 165 mm between the 30 mm and 15 mm margins
_KIND_VI = {"added": "Bổ sung", "removed": "Bãi bỏ", "changed": "Sửa đổi", "unchanged": "Không thay đổi"}
_ARTICLE_KIND_VI = {
    "added": "Điều mới (bổ sung)",
    "removed": "Điều bị bãi bỏ (không còn trong văn bản mới)",
    "changed": "Sửa đổi",
    "unchanged": "Không thay đổi nội dung",
}
_RELATION_VI = {
    RelationKind.REPLACES: "thay thế",
    RelationKind.AMENDS: "sửa đổi, bổ sung",
    RelationKind.REPEALS: "bãi bỏ",
    RelationKind.GUIDES: "hướng dẫn",
}


def _new_document() -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(3)
    return document


def _run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name, run.font.size = FONT, Pt(BODY_PT)
    run.bold, run.italic = bold or None, italic or None


def _write_segments(cell: _Cell, label: str, segments: tuple[Segment, ...], side: str) -> None:
    """The label in bold, then the text of one side of the diff: "old" keeps equal and deleted runs (struck through,
    red), "new" equal and inserted runs (underlined, bold, blue); a line break starts a new paragraph."""
    paragraph = cell.paragraphs[0]
    if label and not (segments and segments[0][1].startswith(label)):  # an added article's text opens with it
        _run(paragraph, label, bold=True)
        paragraph = cell.add_paragraph()
    shown = "delete" if side == "old" else "insert"
    started = False
    for op, text in segments:
        if op not in ("equal", shown):
            continue
        for n, line in enumerate(text.split("\n")):
            if n > 0 and started:
                paragraph = cell.add_paragraph()
            if not line:
                continue
            started = True
            run = paragraph.add_run(line)
            run.font.name, run.font.size = FONT, Pt(BODY_PT)
            if op == "delete":
                run.font.strike = True
                run.font.color.rgb = DELETED
            elif op == "insert":
                run.font.underline = True
                run.bold = True
                run.font.color.rgb = INSERTED


def _describe(change: ArticleChange, amendment: bool) -> list[str]:
    kinds = _KIND_VI if amendment else _ARTICLE_KIND_VI
    lines = [kinds[change.kind]]
    if change.renumbered:
        lines.append(f"Đánh số lại: {change.old_label} → {change.new_label}")
    if change.clauses and change.kind == "changed":
        touched = [c for c in change.clauses if c.kind != "unchanged"]
        lines.extend(f"{_KIND_VI[c.kind]} {c.new_label or c.old_label}" for c in touched)
    if change.instruction:
        where = f" ({change.source} văn bản sửa đổi)" if change.source else ""
        lines.append(f"Theo: {change.instruction}{where}")
    if change.note:
        lines.append(change.note)
    return lines


def _title(comparison: Comparison) -> str:
    old = f"{comparison.old_title} ({comparison.old_number})" if comparison.old_number else comparison.old_title
    new = f"{comparison.new_title} ({comparison.new_number})" if comparison.new_number else comparison.new_title
    return f"So sánh {old} và {new}"


def _summary(comparison: Comparison) -> str:
    kinds: tuple[ChangeKind, ...] = ("changed", "added", "removed", "unchanged")
    counts = {kind: comparison.count(kind) for kind in kinds}
    unit = "nội dung" if comparison.mode == "amendment" else "điều"
    parts = [f"{_KIND_VI[kind].lower()}: {n} {unit}" for kind, n in counts.items() if n]
    relation = _RELATION_VI.get(comparison.relation) if comparison.relation else None
    lead = f"Văn bản {comparison.new_number or comparison.new_id} {relation} văn bản " if relation else ""
    lead += f"{comparison.old_number or comparison.old_id}. " if relation else ""
    return lead + ("Kết quả — " + "; ".join(parts) + "." if parts else "Không có khác biệt.")


def comparison_to_docx(comparison: Comparison, *, include_unchanged: bool = False) -> bytes:
    """The comparison as a .docx file: title, a summary, and the table of changed, added and removed articles
    (unchanged ones only when ``include_unchanged``)."""
    document = _new_document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, _title(comparison), bold=True)
    summary = document.add_paragraph()
    _run(summary, _summary(comparison), italic=True)
    amendment = comparison.mode == "amendment"
    rows = [c for c in comparison.changes if include_unchanged or c.kind != "unchanged" or c.renumbered]
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_header(header._tr)
    for cell, name, width in zip(header.cells, COLUMNS, COLUMN_WIDTHS_MM, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], name, bold=True)
    for change in rows:
        old_cell, new_cell, what_cell = table.add_row().cells
        for cell, width in zip((old_cell, new_cell, what_cell), COLUMN_WIDTHS_MM, strict=True):
            cell.width = Mm(width)
        if change.kind == "added":
            _run(old_cell.paragraphs[0], "—")
        else:
            _write_segments(old_cell, change.old_label, change.segments, "old")
        if change.kind == "removed":
            _run(new_cell.paragraphs[0], "—")
        else:
            _write_segments(new_cell, change.new_label, change.segments, "new")
        for n, line in enumerate(_describe(change, amendment)):
            paragraph = what_cell.paragraphs[0] if n == 0 else what_cell.add_paragraph()
            _run(paragraph, line, bold=n == 0)
    if comparison.unparsed:
        note = document.add_paragraph()
        _run(note, "Các nội dung sửa đổi chưa đọc được tự động (cần đối chiếu thủ công):", bold=True)
        for sentence in comparison.unparsed:
            _run(document.add_paragraph(), f"- {sentence}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _repeat_header(row_element: CT_Row) -> None:
    """Repeat the header row on every page the table spans."""
    properties = row_element.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
