"""Markdown and plain-text loaders (UTF-8 only): headings, list items, table rows and paragraphs.

Markdown syntax is removed only as far as it would get in the way of reading the text: heading marks,
emphasis, links, images, inline code and table pipes. Lines inside a paragraph go through the same paragraph
assembly as PDF text, so "Điều 5. …", "1. …" and "a) …" lines stay blocks of their own.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from assistant.errors import UnsupportedDocument
from assistant.types import Block, LoadedDocument
from ingest.loaders.paragraphs import (
    assemble_paragraphs,
    clean_text,
    full_line_width,
    looks_wrapped,
    paragraph_blocks,
)
from ingest.loaders.sniff import decode_utf8

logger = logging.getLogger(__name__)

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_TABLE_SEPARATOR = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_BULLET = re.compile(r"^\s*[*+](?=\s)")
_LINK_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:\s+\S+")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_INLINE = (
    (re.compile(r"`+([^`]+)`+"), r"\1"),  # inline code
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image → its alt text
    (re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])"), r"\1"),  # link → its text
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolink
    (re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strikethrough
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # _emphasis_
)
_PRIVATE_USE = 0xE000  # escaped characters are parked here while emphasis is removed


def load_text(path: Path, data: bytes) -> LoadedDocument:
    """Paragraph blocks of a plain-text file; hard-wrapped lines are joined back into paragraphs."""
    lines = _decode(path, data).replace("\f", "\n\n").splitlines()
    paragraphs = assemble_paragraphs(lines, wrapped=looks_wrapped(lines))
    return LoadedDocument(path=path, source_format="txt", blocks=tuple(paragraph_blocks(paragraphs)))


def load_markdown(path: Path, data: bytes) -> LoadedDocument:
    """Blocks of a Markdown file: '#' and underlined headings with their level, list items, table rows."""
    lines = _skip_front_matter(_decode(path, data).splitlines())
    return LoadedDocument(path=path, source_format="md", blocks=tuple(_MarkdownReader(lines).blocks()))


def _decode(path: Path, data: bytes) -> str:
    text = decode_utf8(data)
    if text is None:
        raise UnsupportedDocument(str(path), "tệp văn bản không phải UTF-8 — hãy lưu lại tệp ở mã UTF-8 rồi nạp lại.")
    return text


def _skip_front_matter(lines: list[str]) -> list[str]:
    """Drop a YAML front-matter block ("---" … "---") at the top of the file."""
    if lines and lines[0].strip() == "---":
        for index, line in enumerate(lines[1:], start=1):
            if line.strip() in ("---", "..."):
                return lines[index + 1 :]
    return lines


def strip_inline_markdown(text: str) -> str:
    """Remove emphasis, links, images, inline code and HTML tags, keeping their visible text."""
    text = _ESCAPED.sub(lambda m: chr(_PRIVATE_USE + ord(m.group(1))), text)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return "".join(chr(ord(ch) - _PRIVATE_USE) if _PRIVATE_USE <= ord(ch) < _PRIVATE_USE + 128 else ch for ch in text)


class _MarkdownReader:
    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._full_width = full_line_width(lines)
        self._out: list[Block] = []
        self._paragraph: list[str] = []
        self._in_table = False

    def blocks(self) -> list[Block]:
        lines = self._lines
        index = 0
        while index < len(lines):
            line = _QUOTE.sub("", lines[index]).rstrip()
            following = _QUOTE.sub("", lines[index + 1]) if index + 1 < len(lines) else ""
            fence = _FENCE.match(line)
            heading = _ATX.match(line)
            if fence:
                index = self._code_block(index, fence.group(1))
                continue
            if not line.strip() or _LINK_DEFINITION.match(line):
                self._flush()
                self._in_table = False
            elif heading:
                self._flush()
                self._heading(heading.group(2) or "", len(heading.group(1)))
            elif self._paragraph and _SETEXT.match(line):
                text = " ".join(self._paragraph)
                self._paragraph = []
                self._heading(text, 1 if line.strip().startswith("=") else 2)
            elif _RULE.match(line):
                self._flush()
            elif "|" in line and (self._in_table or ("|" in following and _TABLE_SEPARATOR.match(following))):
                self._flush()
                self._in_table = True
                self._table_row(line)
            else:
                self._paragraph.append(strip_inline_markdown(_BULLET.sub("-", line.rstrip("\\")).strip()))
            index += 1
        self._flush()
        return self._out

    def _flush(self) -> None:
        if self._paragraph:
            paragraphs = assemble_paragraphs(self._paragraph, full_width=self._full_width)
            self._out.extend(paragraph_blocks(paragraphs))
            self._paragraph = []

    def _heading(self, text: str, level: int) -> None:
        cleaned = clean_text(strip_inline_markdown(text))
        if cleaned:
            self._out.append(Block(text=cleaned, kind="heading", level=level))

    def _table_row(self, line: str) -> None:
        if _TABLE_SEPARATOR.match(line):
            return
        cells = [clean_text(strip_inline_markdown(cell)) for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if any(cells):
            self._out.append(Block(text=" | ".join(cells), kind="table"))

    def _code_block(self, start: int, fence: str) -> int:
        """Emit a fenced code block line by line; return the index after its closing fence."""
        self._flush()
        index = start + 1
        body: list[str] = []
        while index < len(self._lines) and not self._lines[index].strip().startswith(fence):
            body.append(self._lines[index])
            index += 1
        self._out.extend(paragraph_blocks(assemble_paragraphs(body, wrapped=False)))
        return index + 1
