"""The page and type of every printed export, after Nghị định 30/2020/NĐ-CP: A4 portrait, margins top/bottom 20 mm,
left 30 mm, right 15 mm, Times New Roman 13 pt for every script (so Vietnamese renders in Word and LibreOffice),
page numbers centred in the top margin from page 2."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 13
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def new_document() -> DocxDocument:
    """An empty A4 document whose defaults and styles all use Times New Roman 13 pt."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    _use_font_everywhere(document)
    _number_pages_from_two(document)
    return document


def _set_run_fonts(rpr: BaseOxmlElement) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in _THEME_SLOTS:  # a theme font wins over an explicit one: drop them
        fonts.attrib.pop(qn(slot), None)
    for slot in _FONT_SLOTS:
        fonts.set(qn(slot), FONT)


def _set_size(rpr: BaseOxmlElement, points: int) -> None:
    for tag in ("w:sz", "w:szCs"):
        size = rpr.find(qn(tag))
        if size is None:
            size = OxmlElement(tag)
            rpr.append(size)
        size.set(qn("w:val"), str(points * 2))


def _use_font_everywhere(document: DocxDocument) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            _set_run_fonts(rpr)
            _set_size(rpr, BODY_PT)
    for fonts in styles.iter(qn("w:rFonts")):  # styles, table-style conditions, defaults
        _set_run_fonts(fonts.getparent())
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal_rpr = normal.element.get_or_add_rPr()
    _set_run_fonts(normal_rpr)
    _set_size(normal_rpr, BODY_PT)
    language = normal_rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        normal_rpr.append(language)
    language.set(qn("w:val"), "vi-VN")
    language.set(qn("w:eastAsia"), "vi-VN")
    normal.paragraph_format.space_after = Pt(6)


def _number_pages_from_two(document: DocxDocument) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind is not None:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
        else:
            field = OxmlElement("w:instrText")
            field.set(qn("xml:space"), "preserve")
            field.text = text
        run._r.append(field)


def add_text(
    document: DocxDocument | Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    justify: bool = False,
    indent_mm: float = 0,
    size: int | None = None,
) -> Paragraph:
    """A paragraph of one run (or one more run on ``document`` when it is a paragraph)."""
    paragraph = document.add_paragraph() if isinstance(document, DocxDocument) else document
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    if size is not None:
        run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif justify:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent_mm:
        paragraph.paragraph_format.left_indent = Mm(indent_mm)
    return paragraph


def borderless(table: Table) -> None:
    """Remove every border of a table (the two-column header of a document)."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def to_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
