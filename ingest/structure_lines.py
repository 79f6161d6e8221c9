"""One line of a Vietnamese document: structural markers, closings, appendices, capitals, roman numerals.

Every pattern is anchored at the start of a line. Whether a marker really opens a unit (khoản 1, 2, 3…
in sequence, an Điều where a heading can stand) is decided by :mod:`ingest.structure`.
"""

from __future__ import annotations

import re
from typing import Literal

ContainerKind = Literal["part", "chapter", "section"]

POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese alphabet has no f, j, w, z

_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d{1,3}[a-z]?)(?:\s*([.:])|(?=\s)|$)\s*(.*)$")
_CITED_DOC = re.compile(
    r"^(?:Luật|Bộ luật|Nghị định|Nghị quyết|Thông tư|Quyết định|Pháp lệnh|Hiến pháp|Chỉ thị"
    r"|Quy chế|Quy định (?:này|số)|Kế hoạch|Văn bản)\b"
)
_CONTAINERS: tuple[tuple[ContainerKind, re.Pattern[str]], ...] = (
    ("part", re.compile(r"^(?:Phần|PHẦN)\s+((?:thứ|THỨ)\s+\w+|[IVXLC]+|\d{1,2})\b\s*([.:\-–]?)\s*(.*)$")),
    ("chapter", re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+|\d{1,3})\b\s*([.:\-–]?)\s*(.*)$")),
    ("section", re.compile(r"^(?:Mục|MỤC)\s+([IVXLC]+|\d{1,2})\b\s*([.:\-–]?)\s*(.*)$")),
)
CLAUSE = re.compile(r"^(\d{1,3})\.(?:\s+|$)")
POINT = re.compile(r"^([a-zđ])\)(?:\s+|$)")
PARTY_ROMAN = re.compile(r"^([IVXLC]+)\s?[.\-–](?:\s+|$)")
PARTY_ITEM = re.compile(r"^(\d{1,2})(?:\.|\s?[-–])(?:\s+|$)")
CLOSING = re.compile(r"^(?:Nơi nhận|NƠI NHẬN)\b|^(?:TM|KT|TL|TUQ)\.\s*\S|^(?:T/M|K/T|T/L)\s+\S")
APPENDIX = re.compile(r"^PHỤ LỤC\b|^Phụ lục\s+(?:[IVXLC]+|\d{1,2}|số\s+\d{1,2})\s*[.:]?\s*$")
_ROMAN_PAIRS = (
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman_to_int(text: str) -> int | None:
    """Value of a canonical roman numeral ("XIV" → 14); None for anything else."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    if not text or any(ch not in values for ch in text):
        return None
    total, biggest = 0, 0
    for ch in reversed(text):
        value = values[ch]
        total += -value if value < biggest else value
        biggest = max(biggest, value)
    return total if 0 < total < 400 and int_to_roman(total) == text else None


def int_to_roman(number: int) -> str:
    """Canonical roman numeral of a positive number below 400 (14 → "XIV")."""
    out = []
    for value, numeral in _ROMAN_PAIRS:
        count, number = divmod(number, value)
        out.append(numeral * count)
    return "".join(out)


def is_upper_line(text: str) -> bool:
    """True for a line written in capitals ("QUY ĐỊNH CHUNG"), the way titles and issuers are set."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def match_article(text: str) -> tuple[str, str] | None:
    """("5", title) when the line opens an article: "Điều 5. Title", "Điều 5: Title", "Điều 5 Title"."""
    m = _ARTICLE.match(text)
    if not m:
        return None
    number, punct, title = m.group(1), m.group(2), m.group(3).strip()
    if title and not title[0].isupper():
        return None
    if not punct and title and _CITED_DOC.match(title):  # "Điều 5 Nghị định số …" wrapped from a citation
        return None
    return number, title


def match_container(text: str) -> tuple[ContainerKind, str, str] | None:
    """(kind, label, title) when the line opens a Phần/Chương/Mục: "Chương II. QUY ĐỊNH CỤ THỂ", "Mục 2"."""
    for kind, pattern in _CONTAINERS:
        m = pattern.match(text)
        if m:
            label, punct, title = m.group(1), m.group(2), m.group(3).strip()
            if title and not (is_upper_line(title) or (punct and title[0].isupper())):
                return None
            return kind, label, title
    return None


def is_marker(text: str) -> bool:
    """True when the line opens a Phần/Chương/Mục, an Điều, a khoản ("1.") or a điểm ("a)")."""
    return bool(match_article(text) or match_container(text) or CLAUSE.match(text) or POINT.match(text))
