"""HTML loader (BeautifulSoup + lxml): headings, paragraphs, list items and table rows in document order.

Navigation, scripts, styles and footers are dropped. Text that sits directly in a ``<div>`` or is separated by
``<br>`` (common in pages exported from legal databases) becomes paragraphs as well.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from assistant.errors import UnsupportedDocument
from assistant.types import Block, BlockKind, LoadedDocument
from ingest.loaders.paragraphs import assemble_paragraphs, classify, clean_text, paragraph_blocks
from ingest.loaders.sniff import declared_charset, decode_utf8

logger = logging.getLogger(__name__)

_DROPPED = ["script", "style", "nav", "footer", "noscript", "template", "svg", "iframe", "head", "aside",
            "button", "select", "object", "embed", "canvas"]  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_PARAGRAPHS = {
    "p",
    "dt",
    "dd",
    "caption",
    "figcaption",
    "address",
    "summary",
    "blockquote",
    "center",
    "legend",
}
# Tags that break the flow of text; anything else (span, a, b, font, …) is inline.
_BLOCK_TAGS = {"div", "section", "article", "main", "body", "html", "header", "ul", "ol", "dl", "table",
               "thead", "tbody", "tfoot", "figure", "details", "form", "fieldset", "hr", "menu"}  # fmt: skip
_LAYOUT_CELL_CHARS = 1000
_LINE_BREAK = "\n"
_NEWLINES = re.compile(r"[\r\n]+")


def load_html(path: Path, data: bytes) -> LoadedDocument:
    """Blocks of an HTML page: h1–h6 as headings with their level, paragraphs, list items and table rows."""
    soup = BeautifulSoup(_decode(path, data), "lxml")
    for tag in soup.find_all(_DROPPED):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):
        tag.decompose()
    walker = _Walker()
    try:
        walker.walk(soup)
    except RecursionError as exc:
        raise UnsupportedDocument(
            str(path), "trang HTML lồng nhau quá sâu, không đọc được. Hãy lưu trang dưới dạng văn bản (.txt)."
        ) from exc
    walker.flush()
    return LoadedDocument(path=path, source_format="html", blocks=tuple(walker.blocks))


def _decode(path: Path, data: bytes) -> str:
    text = decode_utf8(data)
    if text is not None:
        return text
    charset = declared_charset(data)
    if charset and charset not in ("utf-8", "utf8"):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            logger.warning("%s declares charset %s but does not decode with it", path, charset)
    raise UnsupportedDocument(str(path), "tệp không phải UTF-8 — hãy lưu lại tệp ở mã UTF-8 rồi nạp lại.")


def _is_hidden(tag: Tag) -> bool:
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return tag.has_attr("hidden") or "display:none" in style


class _Walker:
    """Collects inline text into a buffer and emits a block whenever a block-level element ends."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self._kind: BlockKind | None = None  # None: decide from the text (classify)
        self._level: int | None = None
        self._pre = False

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment, CDATA, doctype or declaration
                    self._buffer.append(str(child) if self._pre else _NEWLINES.sub(" ", str(child)))
            elif isinstance(child, Tag):
                self._element(child)

    def _element(self, tag: Tag) -> None:
        name = tag.name
        if name == "br":
            self._buffer.append(_LINE_BREAK)
        elif name in _HEADINGS:
            self._block(tag, "heading", _HEADINGS[name])
        elif name == "li":
            self._block(tag, "list_item", None)
        elif name in _PARAGRAPHS:
            self._block(tag, None, None)
        elif name == "pre":
            self.flush()
            self._pre = True
            self.walk(tag)
            self._pre = False
            self.flush(pre=True)
        elif name == "tr" and not _is_layout_row(tag):
            self.flush()
            self._row(tag)
        elif name in _BLOCK_TAGS or name in ("tr", "td", "th"):
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)  # inline: its text joins the current line

    def _block(self, tag: Tag, kind: BlockKind | None, level: int | None) -> None:
        self.flush()
        saved = (self._kind, self._level)
        if kind is None and self._kind == "list_item":
            kind = "list_item"  # <li><p>…</p></li>, as Word and many editors write list items
        self._kind, self._level = kind, level
        self.walk(tag)
        self.flush()
        self._kind, self._level = saved

    def _row(self, tr: Tag) -> None:
        cells = [_cell_text(cell) for cell in tr.find_all(["td", "th"], recursive=False)]
        if any(cells):
            self.blocks.append(Block(text=" | ".join(cells), kind="table"))

    def flush(self, *, pre: bool = False) -> None:
        """Emit the buffered inline text, one block per ``<br>``-separated line (a heading stays one)."""
        text = "".join(self._buffer)
        self._buffer = []
        if pre:
            self.blocks.extend(paragraph_blocks(assemble_paragraphs(text.splitlines())))
            return
        lines = [clean_text(line) for line in text.split(_LINE_BREAK)]
        lines = [line for line in lines if line]
        if self._kind == "heading" and lines:
            lines = [" ".join(lines)]
        for index, line in enumerate(lines):
            kind = self._kind if self._kind is not None and index == 0 else classify(line)
            self.blocks.append(Block(text=line, kind=kind, level=self._level if index == 0 else None))


def _is_layout_row(tr: Tag) -> bool:
    """A row used for page layout, not data: one cell, or cells holding headings, tables or long text."""
    cells = tr.find_all(["td", "th"], recursive=False)
    if len(cells) <= 1:
        return True
    return any(
        cell.find(["table", *_HEADINGS]) is not None or len(cell.get_text()) > _LAYOUT_CELL_CHARS for cell in cells
    )


def _cell_text(cell: Tag) -> str:
    return " ".join(clean_text(cell.get_text(" ")).split())
