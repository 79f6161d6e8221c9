"""DOCX loader (python-docx): paragraphs, headings, lists and table rows in body order, Word numbering."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.parts.numbering import NumberingPart
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from assistant.errors import UnsupportedDocument
from assistant.types import Block, BlockKind, LoadedDocument
from ingest.loaders.docx_numbering import ListNumbering
from ingest.loaders.paragraphs import classify, clean_text

logger = logging.getLogger(__name__)

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
_RATIO_CHECK_MIN_BYTES = 1024 * 1024  # tiny members may compress extremely well without being a threat
_HEADING_STYLE = re.compile(r"(?:heading|tiêu đề|đề mục)\s*([1-9])", re.IGNORECASE)
_INLINE_CONTAINERS = {qn(tag) for tag in ("w:hyperlink", "w:ins", "w:smartTag", "w:fldSimple", "w:customXml",
                                          "w:sdt", "w:sdtContent", "w:moveTo")}  # fmt: skip
_BODY_CONTAINERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}
_DOCX_ERRORS = (
    PackageNotFoundError,
    KeyError,
    ValueError,
    AttributeError,
    etree.LxmlError,
    zipfile.BadZipFile,
)


def load_docx(path: Path, data: bytes) -> LoadedDocument:
    """Blocks of a Word document: headings (with level), paragraphs, list items, one block per table row."""
    check_archive(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_DocxReader(document).blocks())
    except _DOCX_ERRORS as exc:
        raise UnsupportedDocument(
            str(path), "tệp Word (.docx) bị hỏng hoặc không đọc được. Hãy mở bằng Word, lưu lại rồi nạp lại."
        ) from exc
    return LoadedDocument(path=path, source_format="docx", blocks=tuple(blocks))


def check_archive(path: Path, data: bytes) -> None:
    """Refuse a DOCX whose zip is broken, is not a Word document, or would expand too far (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedDocument(
            str(path), "tệp .docx bị hỏng (không phải tệp ZIP hợp lệ). Hãy mở bằng Word, lưu lại rồi nạp lại."
        ) from exc
    if "word/document.xml" not in {info.filename for info in infos}:
        raise UnsupportedDocument(
            str(path),
            "tệp không phải tài liệu Word (thiếu word/document.xml). Hãy lưu lại thành .docx từ Word.",
        )
    # zipfile never yields more than a member's declared size, so checking the declared sizes is enough.
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos)
    bomb = "có dấu hiệu là tệp nén độc hại (zip bomb) nên bị từ chối. Hãy kiểm tra nguồn gốc tệp"
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnsupportedDocument(
            str(path),
            f"tệp .docx khi giải nén lớn {total // (1024 * 1024)} MB, vượt giới hạn "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB; {bomb}.",
        )
    worst = max(
        [total / max(compressed, 1)]
        + [i.file_size / max(i.compress_size, 1) for i in infos if i.file_size >= _RATIO_CHECK_MIN_BYTES]
    )
    if total >= _RATIO_CHECK_MIN_BYTES and worst > MAX_COMPRESSION_RATIO:
        raise UnsupportedDocument(
            str(path),
            f"tỉ lệ nén của tệp .docx là {worst:.0f}:1, vượt ngưỡng {MAX_COMPRESSION_RATIO}:1; {bomb}.",
        )


class _DocxReader:
    """Walks the document body in order; numbering counters need this single pass."""

    def __init__(self, document: Document) -> None:
        self._document = document
        numbering: etree._Element | None
        try:
            part = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING)
            numbering = cast(NumberingPart, part).element
        except KeyError:
            numbering = None
        self._numbering = ListNumbering(numbering)

    def blocks(self) -> Iterator[Block]:
        yield from self._container(self._document.element.body)

    def _container(self, element: etree._Element) -> Iterator[Block]:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                yield from self._paragraph(Paragraph(child, self._document))
            elif child.tag == qn("w:tbl"):
                yield from self._table(Table(child, self._document))
            elif child.tag in _BODY_CONTAINERS:
                yield from self._container(child)

    def _paragraph(self, paragraph: Paragraph) -> Iterator[Block]:
        styles = _style_chain(paragraph.style)
        label = self._list_label(paragraph, styles)
        text = clean_text(_paragraph_text(paragraph._p))
        if not text:
            return
        lines = [line for line in text.split("\n") if line.strip()]  # soft line breaks (Shift+Enter)
        if label and not (label == "-" and lines[0].startswith("-")):
            lines[0] = f"{label} {lines[0]}"
        level = _heading_level(paragraph, styles)
        kind: BlockKind
        if level:
            kind = "heading"
        elif label or _is_list_style(styles):
            kind = "list_item"
        else:
            kind = classify(lines[0])  # "Điều 5. …" typed in a Normal paragraph is still an article heading
        yield Block(text=lines[0], kind=kind, level=level)
        for line in lines[1:]:
            yield Block(text=line, kind=classify(line))

    def _list_label(self, paragraph: Paragraph, styles: list[ParagraphStyle]) -> str:
        num_id, ilvl = _num_pr(paragraph._p)
        for style in styles:
            if num_id is not None:
                break
            num_id, ilvl = _num_pr(style.element)
            if num_id is not None and ilvl is None:
                ilvl = self._numbering.level_for_style(num_id, style.style_id)
        if num_id is None:
            return ""
        return self._numbering.label(num_id, ilvl or 0)

    def _table(self, table: Table) -> Iterator[Block]:
        if len(table.columns) <= 1:  # a frame drawn around text, not a table of data
            for row in table.rows:
                for cell in row.cells:
                    yield from self._container(cell._tc)
            return
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                text = _cell_text(cell._tc)
                if not cells or text != cells[-1]:  # a merged cell repeats in every grid column it spans
                    cells.append(text)
            if any(cells):
                yield Block(text=" | ".join(cells).rstrip(), kind="table")


def _style_chain(style: ParagraphStyle | None) -> list[ParagraphStyle]:
    chain: list[ParagraphStyle] = []
    while style is not None and style not in chain and len(chain) < 10:
        chain.append(style)
        style = style.base_style
    return chain


def _heading_level(paragraph: Paragraph, styles: list[ParagraphStyle]) -> int | None:
    for style in styles:
        name = (style.name or "").strip()
        if name.lower() == "title":
            return 1
        match = _HEADING_STYLE.fullmatch(name)
        if match:
            return int(match.group(1))
    for element in [paragraph._p, *(style.element for style in styles)]:
        outline = element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if outline is not None:
            value = outline.get(qn("w:val"), "9")
            return int(value) + 1 if value.isdigit() and int(value) < 9 else None
    return None


def _is_list_style(styles: list[ParagraphStyle]) -> bool:
    return any((style.name or "").lower().startswith("list") for style in styles)


def _num_pr(element: etree._Element) -> tuple[str | None, int | None]:
    num_pr = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if num_pr is None:
        return None, None
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    ilvl_value = ilvl.get(qn("w:val"), "0") if ilvl is not None else None
    return (
        num_id.get(qn("w:val")) if num_id is not None else None,
        int(ilvl_value) if ilvl_value is not None and ilvl_value.isdigit() else None,
    )


def _paragraph_text(element: etree._Element) -> str:
    """Visible text of a paragraph, including runs inside hyperlinks, insertions and content controls."""
    parts = []
    for child in element.iterchildren():
        if child.tag == qn("w:r"):
            parts.append(child.text)  # python-docx's CT_R.text maps tabs and line breaks
        elif child.tag in _INLINE_CONTAINERS:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _cell_text(element: etree._Element) -> str:
    parts = []
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            parts.append(_paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            parts.extend(_cell_text(tc) for tc in child.iter(qn("w:tc")))
        elif child.tag in _BODY_CONTAINERS:
            parts.append(_cell_text(child))
    return clean_text(" ".join(part for part in parts if part.strip())).replace("\n", " ")
