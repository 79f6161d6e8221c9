"""Type sizes of each part (Nghị định 30/2020/NĐ-CP, Phụ lục I), placeholders for what the user did not give, and
the paragraphs every part is made of: a run of text with its placeholders highlighted, a body paragraph, a rule."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.drafting.metrics import balanced_lines, text_width_mm
from assistant.quiz.export.docx_style import borderless

# Sizes in points, each within the range Phụ lục I gives for the part.
SUPERIOR_PT = ISSUER_PT = 12  # 12–13
NUMBER_PT = 13
SUBJECT_LINE_PT = 12  # "V/v …" of a công văn, 12–13
NATIONAL_PT = 12  # Quốc hiệu, 12–13
MOTTO_PT = 13  # tiêu ngữ, 13–14
DATE_PT = 14  # 13–14
TITLE_PT = 14  # tên loại and trích yếu, 13–14
BODY_PT = 14  # 13–14
SIGNATURE_PT = 14  # 13–14
DISTRIBUTION_LABEL_PT = 12
DISTRIBUTION_PT = 11
FIRST_LINE_INDENT_MM = 12.7  # 1–1.27 cm
PARAGRAPH_SPACING_PT = 6  # at least 6 pt
LINE_SPACING = 1.15  # single to 1.5 lines
RULE_GAP_PT = 4  # between a line of text and the rule under it, clear of the marks below the letters (ọ, ụ)

CELL_PADDING_MM = 1.0
_TABLE_PROPERTY_ORDER = [
    qn(f"w:{tag}")
    for tag in (
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
        "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
    ).split()
]
_MARK = re.compile("\ue000(.*?)\ue001", re.DOTALL)


class Container(Protocol):
    def add_paragraph(self, text: str = "", style: None = None) -> Paragraph: ...


class Fields:
    """The user's value of a field, or a marked placeholder (highlighted when written) and a note of the field."""

    def __init__(self) -> None:
        self._missing: list[str] = []

    def get(self, name: str, value: str, placeholder: str) -> str:
        if value:
            return value
        if name not in self._missing:
            self._missing.append(name)
        return f"\ue000{placeholder}\ue001"

    def lines(self, name: str, values: Iterable[str], placeholder: str) -> tuple[str, ...]:
        return tuple(values) or (self.get(name, "", placeholder),)

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(self._missing)


def plain(text: str) -> str:
    """``text`` without the placeholder marks."""
    return _MARK.sub(r"\1", text)


def write(paragraph: Paragraph, text: str, *, size: float, bold: bool = False, italic: bool = False) -> Paragraph:
    """Add ``text`` to ``paragraph`` in runs of one size and style; placeholders are highlighted in yellow and a
    newline is a line break."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _MARK.finditer(text):
        pieces += [(text[position : match.start()], False), (match.group(1), True)]
        position = match.end()
    pieces.append((text[position:], False))
    for piece, is_placeholder in pieces:
        for number, part in enumerate(piece.split("\n")):
            if number:
                line_break = paragraph.add_run()
                line_break.font.size = Pt(size)
                line_break.add_break()
            if not part:
                continue
            run = paragraph.add_run(part)
            run.font.size = Pt(size)
            run.bold, run.italic = bold or None, italic or None
            if is_placeholder:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return paragraph


def line(
    container: Container,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    left_mm: float = 0,
    wrap_mm: float = 0,
) -> Paragraph:
    """A single-spaced paragraph (the header, the title, the signature block, Nơi nhận); with ``wrap_mm``, broken
    into balanced lines that fit that width (``balanced_lines``)."""
    if wrap_mm:
        text = "\n".join(balanced_lines(text, size, wrap_mm, bold=bold))
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), 1.0
    if left_mm:
        fmt.left_indent = Mm(left_mm)
    return write(paragraph, text, size=size, bold=bold, italic=italic)


def body(container: Container, text: str, *, bold: bool = False, italic: bool = False) -> Paragraph:
    """A paragraph of the body: justified, first line indented, 6 pt apart."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(PARAGRAPH_SPACING_PT), Pt(0), LINE_SPACING
    return write(paragraph, text, size=BODY_PT, bold=bold, italic=italic)


def rule(container: Container, width_mm: float, available_mm: float) -> Paragraph:
    """A centred solid line ``width_mm`` long just under the paragraph before it: the bottom border of an empty
    1 pt paragraph indented to that width."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.space_before, fmt.space_after = Pt(RULE_GAP_PT), Pt(0)
    fmt.line_spacing = 1.0
    margin = max((available_mm - width_mm) / 2, 0)
    fmt.left_indent = fmt.right_indent = Mm(margin)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    properties.append(mark)
    return paragraph


def short_rule_width(text: str, size: float, available_mm: float, *, bold: bool = True) -> float:
    """Two fifths of the longest line ``text`` makes in ``available_mm`` (Phụ lục I: a third to a half)."""
    lines = balanced_lines(text, size, available_mm, bold=bold)
    longest = max((text_width_mm(part, size, bold=bold) for part in lines), default=0.0)
    return max(min(longest, available_mm) * 0.4, 15.0)


def borderless_table(document: DocxDocument, *, rows: int, widths_mm: tuple[float, ...]) -> Table:
    """A table without borders in fixed columns of ``widths_mm`` with 1 mm cell padding (so Word and LibreOffice
    lay it out alike), rows kept on one page; its cells start empty."""
    table = document.add_table(rows=rows, cols=len(widths_mm))
    borderless(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    twips = [round(Mm(width).twips) for width in widths_mm]
    extra = [OxmlElement("w:tblW", {qn("w:w"): str(sum(twips)), qn("w:type"): "dxa"})]
    extra.append(OxmlElement("w:tblLayout", {qn("w:type"): "fixed"}))
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        padding = str(round(Mm(CELL_PADDING_MM).twips))
        margins.append(OxmlElement(f"w:{edge}", {qn("w:w"): padding, qn("w:type"): "dxa"}))
    extra.append(margins)
    for element in extra:
        for existing in properties.findall(element.tag):
            properties.remove(existing)
        properties.append(element)
    properties[:] = sorted(properties, key=lambda child: _TABLE_PROPERTY_ORDER.index(child.tag))  # schema order
    for column, twip in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        column.set(qn("w:w"), str(twip))
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row is never broken across pages
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            for paragraph in cell.paragraphs:  # parts add their own paragraphs
                paragraph._p.getparent().remove(paragraph._p)
    return table


def end_with(text: str, mark: str) -> str:
    """``text`` with its closing punctuation replaced by ``mark`` (";", "." or "./.")."""
    return text.rstrip(" .;,:") + mark
