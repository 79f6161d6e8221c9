"""Word automatic numbering: the labels ("Điều 3.", "1.", "a)") Word draws but does not store in the text.

Legal templates often number articles, clauses and points with list numbering; without these labels the
legal-structure parser would not see "Điều 3." at all. This resolves ``w:numPr`` against ``numbering.xml`` and
counts like Word does for the common formats (decimal, letters, roman numerals, bullets).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from assistant.text.legal_grammar import int_to_roman

logger = logging.getLogger(__name__)

_MAX_LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass(frozen=True)
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    style_id: str = ""  # a paragraph style bound to this level (w:pStyle), e.g. "Heading2"


def _val(element: etree._Element | None, default: str = "") -> str:
    if element is None:
        return default
    return str(element.get(qn("w:val"), default))


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def format_number(number: int, fmt: str) -> str:
    """One counter in a Word number format: 3 → "3", "c", "C", "iii", "III", "03"."""
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = int_to_roman(number)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt == "none":
        return ""
    return str(number)


class ListNumbering:
    """Counts numbered paragraphs in document order; call :meth:`label` for every paragraph, in order."""

    def __init__(self, numbering: etree._Element | None) -> None:
        self._abstract_of: dict[str, str] = {}
        self._levels: dict[str, dict[int, _Level]] = {}  # per abstractNumId
        self._start_overrides: dict[str, dict[int, int]] = {}  # per numId
        self._counters: dict[str, list[int | None]] = {}  # per numId
        if numbering is not None:
            self._parse(numbering)

    def _parse(self, numbering: etree._Element) -> None:
        for abstract in numbering.iter(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.iter(qn("w:lvl")):
                ilvl = _int(str(lvl.get(qn("w:ilvl"), "0")), 0)
                levels[ilvl] = _Level(
                    fmt=_val(lvl.find(qn("w:numFmt")), "decimal"),
                    text=_val(lvl.find(qn("w:lvlText")), f"%{ilvl + 1}."),
                    start=_int(_val(lvl.find(qn("w:start")), "1"), 1),
                    style_id=_val(lvl.find(qn("w:pStyle"))),
                )
            self._levels[str(abstract.get(qn("w:abstractNumId"), ""))] = levels
        for num in numbering.iter(qn("w:num")):
            num_id = str(num.get(qn("w:numId"), ""))
            self._abstract_of[num_id] = _val(num.find(qn("w:abstractNumId")))
            overrides = {}
            for override in num.iter(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    overrides[_int(str(override.get(qn("w:ilvl"), "0")), 0)] = _int(_val(start), 1)
            self._start_overrides[num_id] = overrides

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The list level a paragraph style is bound to within list ``num_id``, if any."""
        for ilvl, level in self._levels.get(self._abstract_of.get(num_id, ""), {}).items():
            if style_id and level.style_id == style_id:
                return ilvl
        return None

    def label(self, num_id: str, ilvl: int) -> str:
        """The label of the next paragraph of list ``num_id`` at level ``ilvl``: "-" for bullets, or ""."""
        levels = self._levels.get(self._abstract_of.get(num_id, ""))
        if num_id in ("", "0") or not levels or not 0 <= ilvl < _MAX_LEVELS:
            return ""
        level = levels.get(ilvl, _Level(text=f"%{ilvl + 1}."))
        if level.fmt == "bullet":
            return "-"
        counters = self._counters.setdefault(num_id, [None] * _MAX_LEVELS)
        current = counters[ilvl]
        counters[ilvl] = self._start(num_id, ilvl, levels) if current is None else current + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counters[deeper] = None

        def placeholder(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            value = counters[index]
            if value is None:
                value = self._start(num_id, index, levels)
            return format_number(value, levels.get(index, _Level()).fmt)

        return _PLACEHOLDER.sub(placeholder, level.text).strip()

    def _start(self, num_id: str, ilvl: int, levels: dict[int, _Level]) -> int:
        override = self._start_overrides.get(num_id, {}).get(ilvl)
        return override if override is not None else levels.get(ilvl, _Level()).start
