"""The grammar of Vietnamese legal text, written once for ingest and answering: Phần/Chương/Mục, Điều, khoản
("1."), điểm ("a)"), Party numbering ("I.", "1."), roman numerals, số hiệu (30/2020/NĐ-CP, 49-NQ/TU), capital
(heading) lines and sentence boundaries.

Line patterns (``*_LINE``, ``CLAUSE``, ``POINT``, ``PARTY_*``) are anchored at the start of a stripped line; the
structure parser decides whether a marker really opens a unit (in sequence, where a heading can stand). Layout
patterns (``*_START``) are looser: they tell the paragraph assembler that a line may open a unit, in any case and
after an opening quote or bracket, so that it is not joined to the paragraph before it.

Sentences: underthesea 9.5 ``sent_tokenize`` measured on the sample shelf's 1992 chunk lines: 20 ms a pass vs 5 ms for
:data:`SENTENCE_BREAK`, 3.8 s to import, 71 MB installed, same split on 92 % of lines (it keeps "…; …" and "I. TIÊU
ĐỀ" whole) and no offsets for a lossless split — the hand-written rule is kept.
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.text.normalize import fold_diacritics

__all__ = [
    "ARTICLE_START",
    "BARE_DIVISION",
    "BULLET_START",
    "CLAUSE",
    "CLAUSE_START",
    "DIVISION_START",
    "DOCUMENT_NUMBER",
    "FOLDED_NUMBER",
    "MULTI_NUMBERED_START",
    "OUTLINE_ITEM",
    "PARTY_ITEM",
    "PARTY_ROMAN",
    "POINT",
    "POINT_LETTERS",
    "POINT_START",
    "ROMAN",
    "ROMAN_START",
    "SENTENCE_BREAK",
    "ContainerKind",
    "capital_share",
    "capitals",
    "ends_sentence",
    "int_to_roman",
    "is_marker",
    "is_upper_line",
    "match_article",
    "match_container",
    "mentioned_numbers",
    "number_key",
    "number_parts",
    "roman_to_int",
    "split_sentences",
]

ContainerKind = Literal["part", "chapter", "section"]

# --- pieces ---------------------------------------------------------------------------------------------------

POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"  # điểm letters in order; the Vietnamese alphabet has no f, j, w, z
_POINT_LETTER = r"[a-zđ]"
_CLAUSE_NUMBER = r"\d{1,3}"
ROMAN = r"[IVXLC]+"  # a Phần/Chương/Mục or Party section number (D and M never number one)
_OPENING = r"[\"'“‘(\[]?"  # an opening quote or bracket before a layout marker
_CONTAINER_WORDS: dict[ContainerKind, str] = {"part": "Phần", "chapter": "Chương", "section": "Mục"}


def _cased(word: str) -> str:
    """``word`` as printed in a heading: "Điều" or "ĐIỀU"."""
    return f"(?:{word}|{word.upper()})"


# --- markers at the start of a line (structure) ----------------------------------------------------------------

_ARTICLE_LINE = re.compile(rf"^{_cased('Điều')}\s+(\d{{1,3}}[a-z]?)(?:\s*([.:])|(?=\s)|$)\s*(.*)$")
_CITED_DOC = re.compile(
    r"^(?:Luật|Bộ luật|Nghị định|Nghị quyết|Thông tư|Quyết định|Pháp lệnh|Hiến pháp|Chỉ thị"
    r"|Quy chế|Quy định (?:này|số)|Kế hoạch|Văn bản)\b"
)
_CONTAINER_LABELS: dict[ContainerKind, str] = {
    "part": rf"{_cased('thứ')}\s+\w+|{ROMAN}|\d{{1,2}}",
    "chapter": rf"{ROMAN}|\d{{1,3}}",
    "section": rf"{ROMAN}|\d{{1,2}}",
}
_CONTAINER_LINES: tuple[tuple[ContainerKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"^{_cased(word)}\s+({_CONTAINER_LABELS[kind]})\b\s*([.:\-–]?)\s*(.*)$"))
    for kind, word in _CONTAINER_WORDS.items()
)
CLAUSE = re.compile(rf"^({_CLAUSE_NUMBER})\.(?:\s+|$)")  # khoản "1."
POINT = re.compile(rf"^({_POINT_LETTER})\)(?:\s+|$)")  # điểm "a)", "đ)"
PARTY_ROMAN = re.compile(rf"^({ROMAN})\s?[.\-–](?:\s+|$)")  # "II.", "II -"
PARTY_ITEM = re.compile(r"^(\d{1,2})(?:\.|\s?[-–])(?:\s+|$)")  # "3.", "3 -"
# A heading of a cited outline position: "IV. NƠI NỘP…", "3. Lệ phí…", "Mục 2. …" (any case).
_CONTAINER_NAMES = "|".join(word.lower() for word in _CONTAINER_WORDS.values())
OUTLINE_ITEM = re.compile(
    rf"^(?:({_CONTAINER_NAMES})\s+)?({ROMAN}|{_CLAUSE_NUMBER}|{_POINT_LETTER})\s*[.)\-–]\s*(.*)$", re.IGNORECASE
)

# --- markers that start a paragraph (layout) -------------------------------------------------------------------

# "Phần I", "PHẦN THỨ HAI", "Chương 2", "Mục 1", "Tiểu mục 3"; the paragraph assembler decides from what follows.
DIVISION_START = re.compile(_OPENING + rf"(?i:phần|chương|tiểu mục|mục)\s+(?:(?i:thứ)\s+\w+|{ROMAN}\b|\d+\b)")
ARTICLE_START = re.compile(_OPENING + rf"(?i:điều)\s+\d+{_POINT_LETTER}?\s*[.:]")  # "Điều 5." not "Điều 5 Luật…"
BARE_DIVISION = re.compile(rf"(?:{_CONTAINER_NAMES})\s+(?:thứ\s+\w+|{ROMAN}|\d+)\s*[.:]?", re.IGNORECASE)
ROMAN_START = re.compile(_OPENING + rf"{ROMAN}(?:[.)/]|\s?[-–])\s+\S")  # "II.", "II/", "II -"
CLAUSE_START = re.compile(_OPENING + rf"{_CLAUSE_NUMBER}[.)]\s+\S")
# "1.2." or "1.2 Tiêu đề"; the caller tells it from "2.5 lần" by the dot or the capital (groups 1 and 2).
MULTI_NUMBERED_START = re.compile(_OPENING + rf"{_CLAUSE_NUMBER}(?:\.{_CLAUSE_NUMBER})+(\.?)\s+(\S)")
POINT_START = re.compile(_OPENING + rf"{_POINT_LETTER}\)\s*\S")
BULLET_START = re.compile(r"[-–—•▪●○■□+*]\s+\S")


def match_article(text: str) -> tuple[str, str] | None:
    """("5", title) when the line opens an article: "Điều 5. Title", "Điều 5: Title", "Điều 5 Title"."""
    m = _ARTICLE_LINE.match(text)
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
    for kind, pattern in _CONTAINER_LINES:
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


# --- roman numerals --------------------------------------------------------------------------------------------
# The `roman` package (5.2) was weighed: it writes 0 as "N", raises past 4999 and reads lower case; Word counters
# start at 0 and headings are upper case, so these dozen lines stay.

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_PAIRS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def roman_to_int(text: str) -> int | None:
    """Value of a canonical upper-case roman numeral ("XIV" → 14); None for anything else ("IIII", "VX", "")."""
    if not text or any(ch not in _ROMAN_VALUES for ch in text):
        return None
    total, biggest = 0, 0
    for ch in reversed(text):
        value = _ROMAN_VALUES[ch]
        total += -value if value < biggest else value
        biggest = max(biggest, value)
    return total if 0 < total < 4000 and int_to_roman(total) == text else None


def int_to_roman(number: int) -> str:
    """Canonical upper-case roman numeral (14 → "XIV"; 0 → "")."""
    out = []
    for value, numeral in _ROMAN_PAIRS:
        count, number = divmod(number, value)
        out.append(numeral * count)
    return "".join(out)


# --- capitals --------------------------------------------------------------------------------------------------


def capitals(text: str, min_letters: int = 2) -> bool | None:
    """True when every letter is a capital ("QUY ĐỊNH CHUNG"), False when one is not, None when there are fewer
    than ``min_letters`` letters to tell ("UB")."""
    letters = [ch for ch in text if ch.isalpha()]
    if not all(ch.isupper() for ch in letters):
        return False
    return True if len(letters) >= min_letters else None


def is_upper_line(text: str) -> bool:
    """True for a line written in capitals, the way titles, headings and issuers are set."""
    return capitals(text) is True


def capital_share(text: str) -> float:
    """The share of the letters that are capitals; 0.0 without letters."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0


# --- sentences -------------------------------------------------------------------------------------------------

# Between two sentences: . ; ! ? then white space then a capital or a digit ("1.000 đồng" and "[1]" stay whole).
SENTENCE_BREAK = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ0-9])")
_LINE_END_SENTENCE = re.compile(r"[.;:!?…][\"'”’)\]]*$")
_ABBREVIATION_END = re.compile(r"(?:^|\s)(?:[A-ZĐ][A-Za-zđ]?|tr|Tp)\.$")  # "TP.", "Tp.", "tr.", "Đ."


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each with the white space after it: ``"".join(split_sentences(t)) == t``."""
    pieces: list[str] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def ends_sentence(line: str) -> bool:
    """True when a line ends a sentence (. ; : ! ? …, maybe closed by quotes) and not with an abbreviation."""
    return bool(_LINE_END_SENTENCE.search(line)) and not _ABBREVIATION_END.search(line)


# --- số hiệu văn bản -------------------------------------------------------------------------------------------

_YEAR = r"\d{4}"
_TYPE_CODE = r"[A-ZĐ][A-Za-zĐđ0-9]*"
# As printed in a header: 12/QĐ-UBND, 30/2020/NĐ-CP, 49-NQ/TU, 07/HD-TTr, 123/UBND-VP.
DOCUMENT_NUMBER = rf"\d{{1,5}}(?:/{_YEAR})?[/-]{_TYPE_CODE}(?:[-/][A-ZĐ0-9][A-Za-zĐđ0-9&]*)*"
_NUMBER_PARTS = re.compile(rf"\d{{1,5}}(?:/({_YEAR}))?([/-])({_TYPE_CODE})")
# As typed in a question, after folding: any case, with or without diacritics, loose spaces around separators.
FOLDED_NUMBER = re.compile(r"(?<![\w/])\d{1,5}(?:\s*/\s*\d{4})?\s*[/-]\s*[a-z][a-z0-9]*(?:\s*[-/]\s*[a-z0-9&]+)*")


def number_parts(number: str) -> tuple[str, str, str] | None:
    """(year, separator, first code) of a printed số hiệu: "30/2020/NĐ-CP" → ("2020", "/", "NĐ"),
    "49-NQ/TU" → ("", "-", "NQ"); None when it does not start like one."""
    m = _NUMBER_PARTS.match(number)
    return (m.group(1) or "", m.group(2), m.group(3)) if m else None


def number_key(number: str) -> str:
    """Case-, diacritic- and punctuation-insensitive form: "30/2020/NĐ-CP" → "302020ndcp"."""
    return "".join(ch for ch in fold_diacritics(number) if ch.isalnum())


_AMENDED_REFERENCE = re.compile(r"(?<!sau )((?:khoan\s+\d{1,3}\s*(?:,|va)?\s*)*)dieu\s+(\d{1,3}[a-z]?)(?![\w/])")


def cited_clauses(text: str) -> dict[str, set[str]]:
    """The articles ``text`` refers to, each with the clauses it names (empty: only the whole article), its own
    heading left out: "Điều 2. Sửa đổi khoản 2, khoản 3 Điều 6…" → {"6": {"2", "3"}}. "Bổ sung khoản 3 vào sau
    khoản 2 Điều 4" changes no clause of Điều 4 that exists, so it names the article only."""
    folded = fold_diacritics(text)
    out: dict[str, set[str]] = {}
    for match in _AMENDED_REFERENCE.finditer(folded):
        if not folded[: match.start()].strip():
            continue  # the clause's own "Điều 2." heading
        out.setdefault(match.group(2), set()).update(re.findall(r"khoan\s+(\d{1,3})", match.group(1)))
    return out


def mentioned_numbers(text: str) -> list[str]:
    """Keys of the document numbers written in ``text``, in order, without repeats."""
    keys: list[str] = []
    for match in FOLDED_NUMBER.finditer(fold_diacritics(text)):
        key = number_key(match.group())
        if key not in keys:
            keys.append(key)
    return keys
