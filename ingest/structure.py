"""Structure of Vietnamese documents: Phần/Chương/Mục/Điều/Khoản/Điểm, Party numbering I./1./a), or headings.

The parser works line by line on loaded blocks and builds a tree of :class:`StructureNode`. Every node keeps
the lines it owns (its heading lines first) and its children in document order, so a depth-first walk
reproduces the text. Markers are recognised only at the start of a line, in sequence (khoản 1, 2, 3…;
điểm a, b, c, d, đ, e, g…), which keeps "theo quy định tại Điều 5" and "1.000.000 đồng" out of the structure.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.text.legal_grammar import (
    CLAUSE,
    PARTY_ITEM,
    PARTY_ROMAN,
    POINT,
    POINT_LETTERS,
    int_to_roman,
    is_marker,
    is_upper_line,
    match_article,
    match_container,
    roman_to_int,
)
from assistant.types import Block
from ingest.structure_lines import APPENDIX, CLOSING

__all__ = [  # the grammar's line helpers are re-exported for existing imports
    "CONTAINER_KINDS",
    "POINT_LETTERS",
    "LegalStructureParser",
    "Mode",
    "NodeKind",
    "ParsedDocument",
    "StructureNode",
    "int_to_roman",
    "is_upper_line",
    "match_article",
    "roman_to_int",
]

logger = logging.getLogger(__name__)

Mode = Literal["legal", "party", "plain"]
NodeKind = Literal[
    "document",
    "preamble",
    "part",
    "chapter",
    "section",
    "article",
    "clause",
    "point",
    "roman",
    "item",
    "heading",
    "closing",
    "appendix",
]
CONTAINER_KINDS: tuple[NodeKind, ...] = ("part", "chapter", "section")
_TERMINAL = tuple('.:;!?)"”…')


@dataclass
class StructureNode:
    """One structural unit; ``blocks`` are its own lines (the first ``head_count`` form its heading)."""

    kind: NodeKind
    label: str = ""  # "II", "5", "2", "đ"
    heading: str = ""  # "Chương II. QUY ĐỊNH CỤ THỂ", "Điều 5. Hồ sơ đề nghị"; "" for clauses and points
    blocks: list[Block] = field(default_factory=list)
    children: list[StructureNode] = field(default_factory=list)
    head_count: int = 0

    @property
    def body_blocks(self) -> list[Block]:
        """Own lines after the heading lines."""
        return self.blocks[self.head_count :]

    def all_blocks(self) -> list[Block]:
        """Own lines and those of all descendants, in document order."""
        out = list(self.blocks)
        for child in self.children:
            out.extend(child.all_blocks())
        return out

    def text(self) -> str:
        """The node's text, descendants included, one line per block."""
        return "\n".join(block.text for block in self.all_blocks())


@dataclass
class ParsedDocument:
    """The structure tree of one document and the numbering mode it was read in."""

    mode: Mode
    root: StructureNode

    def walk(self) -> Iterator[tuple[tuple[StructureNode, ...], StructureNode]]:
        """Every node below the root with its ancestors (outermost first), in document order."""
        stack: list[tuple[tuple[StructureNode, ...], StructureNode]] = [((), c) for c in reversed(self.root.children)]
        while stack:
            ancestors, node = stack.pop()
            yield ancestors, node
            stack.extend(((*ancestors, node), c) for c in reversed(node.children))

    def articles(self) -> list[StructureNode]:
        """All Điều nodes in document order."""
        return [node for _, node in self.walk() if node.kind == "article"]


def _lines(blocks: Sequence[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if block.kind == "table":  # a table stays whole and is never read as markers
            if block.text.strip():
                out.append(block)
            continue
        out.extend(replace(block, text=line.strip()) for line in block.text.split("\n") if line.strip())
    return out


def _next_point_ok(parent: StructureNode, letter: str) -> bool:
    points = [c.label for c in parent.children if c.kind == "point"]
    expected = POINT_LETTERS[POINT_LETTERS.index(points[-1]) + 1] if points and points[-1] != "y" else None
    return letter == "a" if not points else letter == expected


class LegalStructureParser:
    """Builds the structure tree of a loaded document; the mode decides which numbering is read."""

    def detect_mode(self, blocks: Sequence[Block]) -> Mode:
        """legal: ≥1 Điều heading; party: roman sections I., II. with numbered items; plain otherwise."""
        lines = [b for b in _lines(blocks) if b.kind != "table"]
        if any(match_article(b.text) for b in lines):
            return "legal"
        expected, items = 1, 0
        for b in lines:
            m = PARTY_ROMAN.match(b.text)
            if m and roman_to_int(m.group(1)) == expected:
                expected += 1
            elif expected > 1 and PARTY_ITEM.match(b.text):
                items += 1
        return "party" if expected > 2 or (expected == 2 and items) else "plain"

    def parse(self, blocks: Sequence[Block]) -> ParsedDocument:
        """Parse blocks (lines or paragraphs with pages) into a :class:`ParsedDocument`."""
        mode = self.detect_mode(blocks)
        lines = _lines(blocks)
        root = StructureNode("document")
        if mode == "plain":
            _build_plain(root, lines)
        else:
            _Builder(root, mode).run(lines)
        logger.debug("parsed %d lines in %s mode", len(lines), mode)
        return ParsedDocument(mode, root)


def _build_plain(root: StructureNode, lines: list[Block]) -> None:
    stack: list[tuple[int, StructureNode]] = []
    current = StructureNode("preamble")
    root.children.append(current)
    for line in lines:
        if line.kind == "heading":
            level = line.level or 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            current = StructureNode("heading", str(level), line.text, [line], head_count=1)
            (stack[-1][1].children if stack else root.children).append(current)
            stack.append((level, current))
        else:
            current.blocks.append(line)


class _Builder:
    """State machine for legal (Điều/Khoản/Điểm) and party (I./1./a)) numbering."""

    def __init__(self, root: StructureNode, mode: Mode) -> None:
        self.root, self.mode = root, mode
        self.containers: list[StructureNode] = []
        self.unit: StructureNode | None = None  # the open article (legal) or roman section (party)
        self.sub: StructureNode | None = None  # the open clause / item
        self.text_node = StructureNode("preamble")
        root.children.append(self.text_node)
        self.last_article: int | None = None
        self.prev = ""

    def run(self, lines: list[Block]) -> None:
        i = 0
        while i < len(lines):
            i += self.step(lines, i)
            self.prev = lines[i - 1].text

    def _open(self, node: StructureNode, parent: StructureNode) -> None:
        parent.children.append(node)
        self.text_node = node

    def _tail(self, kind: NodeKind, line: Block) -> int:
        self.containers, self.unit, self.sub = [], None, None
        self._open(StructureNode(kind, heading=line.text if kind == "appendix" else "", blocks=[line]), self.root)
        return 1

    def step(self, lines: list[Block], i: int) -> int:
        line = lines[i]
        text = line.text
        if line.kind == "table":
            self.text_node.blocks.append(line)
            return 1
        if APPENDIX.match(text) and self.text_node.kind != "preamble":
            return self._tail("appendix", line)
        if CLOSING.match(text) and self.unit is not None:
            return self._tail("closing", line)
        if self.mode == "legal":
            return self._legal(lines, i)
        return self._party(line)

    def _legal(self, lines: list[Block], i: int) -> int:
        line = lines[i]
        container = match_container(line.text)
        if container:
            return self._container(lines, i, *container)
        article = match_article(line.text)
        if article and self._article_in_place(article[0]):
            return self._article(lines, i, *article)
        clause = CLAUSE.match(line.text)
        if clause and self.unit is not None and int(clause.group(1)) == self._next_number(self.unit, "clause"):
            self.sub = StructureNode("clause", clause.group(1), blocks=[line])
            self._open(self.sub, self.unit)
            return 1
        return self._point_or_text(line)

    def _party(self, line: Block) -> int:
        roman = PARTY_ROMAN.match(line.text)
        value = roman_to_int(roman.group(1)) if roman else None
        if roman and value == len([c for c in self.root.children if c.kind == "roman"]) + 1:
            self.unit = StructureNode("roman", roman.group(1), line.text, [line], head_count=1)
            self.sub = None
            self._open(self.unit, self.root)
            return 1
        item = PARTY_ITEM.match(line.text)
        if item and self.unit is not None and int(item.group(1)) == self._next_number(self.unit, "item"):
            self.sub = StructureNode("item", item.group(1), line.text, [line], head_count=1)
            self._open(self.sub, self.unit)
            return 1
        return self._point_or_text(line)

    def _point_or_text(self, line: Block) -> int:
        m = POINT.match(line.text)
        parent = self.sub or self.unit
        if m and parent is not None and m.group(1) in POINT_LETTERS and _next_point_ok(parent, m.group(1)):
            self._open(StructureNode("point", m.group(1), blocks=[line]), parent)
        else:
            self.text_node.blocks.append(line)
        return 1

    @staticmethod
    def _next_number(parent: StructureNode, kind: NodeKind) -> int:
        numbers = [int(c.label) for c in parent.children if c.kind == kind]
        return numbers[-1] + 1 if numbers else 1

    def _article_in_place(self, label: str) -> bool:
        number = int(re.sub(r"\D", "", label))
        if self.last_article is None or number in (1, self.last_article, self.last_article + 1):
            return True
        # Out of sequence: accept only where a heading can stand, i.e. after a finished sentence or a title.
        just_headed = self.text_node.kind in CONTAINER_KINDS and not self.text_node.body_blocks
        tail = self.text_node.kind in ("closing", "appendix")
        return self.prev.endswith(_TERMINAL) or is_upper_line(self.prev) or just_headed or tail

    def _article(self, lines: list[Block], i: int, label: str, title: str) -> int:
        used, heading = 1, lines[i].text
        if not title and i + 1 < len(lines) and lines[i + 1].text[:1].isupper() and not is_marker(lines[i + 1].text):
            used, heading = 2, f"{heading.rstrip('.: ')}. {lines[i + 1].text}"
        self.unit = StructureNode("article", label, heading, lines[i : i + used], head_count=used)
        self.sub = None
        self.last_article = int(re.sub(r"\D", "", label))
        self._open(self.unit, self.containers[-1] if self.containers else self.root)
        return used

    def _container(self, lines: list[Block], i: int, kind: NodeKind, label: str, title: str) -> int:
        used, titles = 1, [title] if title else []
        while not title and i + used < len(lines) and used <= 3:
            nxt = lines[i + used].text
            if not is_upper_line(nxt) or is_marker(nxt) or CLOSING.match(nxt) or APPENDIX.match(nxt):
                break
            titles.append(nxt)
            used += 1
        first = lines[i].text
        heading = f"{first.rstrip('.:-– ')}. {' '.join(titles)}" if not title and titles else first
        node = StructureNode(kind, label, heading, lines[i : i + used], head_count=used)
        depth = CONTAINER_KINDS.index(kind)
        while self.containers and CONTAINER_KINDS.index(self.containers[-1].kind) >= depth:
            self.containers.pop()
        self._open(node, self.containers[-1] if self.containers else self.root)
        self.containers.append(node)
        self.unit = self.sub = None
        return used
