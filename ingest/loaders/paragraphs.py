"""Turn hard-wrapped lines (PDF pages, OCR output, plain text) into paragraph blocks.

The downstream legal-structure parser needs every "Chương I", "Điều 5. …", "1. …", "a) …", "- …" line to
start a block of its own, and wrapped lines of one paragraph joined back together. The rules, in order, for
two consecutive lines ``prev`` and ``nxt`` of one page:

1. ``nxt`` starts with a structural marker → new paragraph;
2. ``prev`` is a bare division heading ("Chương II", "PHẦN THỨ NHẤT") → new paragraph (its title follows);
3. the text switches between ALL-CAPS and normal case ("QUY ĐỊNH CHUNG" / "Điều 1. …") → new paragraph;
4. ``nxt`` starts with a lower-case letter, a digit or punctuation → same paragraph (a wrapped line);
5. ``prev`` is clearly shorter than a full line (the last line of a paragraph, or a title) → new paragraph;
6. the paragraph is an article or division title and ``nxt`` starts with a capital → new paragraph (the body);
7. ``prev`` ends a sentence (. ; : ! ?) and is not an abbreviation such as "TP." → new paragraph;
8. otherwise → same paragraph (a wrapped line that starts with a proper noun).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.text.legal_grammar import (
    ARTICLE_START,
    BARE_DIVISION,
    BULLET_START,
    CLAUSE_START,
    DIVISION_START,
    MULTI_NUMBERED_START,
    POINT_START,
    ROMAN_START,
    capitals,
    ends_sentence,
)
from assistant.text.normalize import nfc, normalize_whitespace
from assistant.types import Block, BlockKind

_PAGE_NUMBER = re.compile(r"(?:(?:trang|page)\s*)?[-–—]?\s*\d{1,4}\s*(?:[-–—]|(?:/|of|trên)\s*\d{1,4})?", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200c\u200d\u2060\ufeff]")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"})

SHORT_LINE_RATIO = 0.7  # a line shorter than this share of a full line ends its paragraph


def clean_text(text: str) -> str:
    """The original text in NFC with tidy whitespace; control characters, soft hyphens and ligatures removed.

    Tone placement is left as written: blocks keep the original text, and later stages normalise for matching.
    """
    return normalize_whitespace(nfc(_CONTROL.sub("", text.translate(_LIGATURES))))


def _starts_division(line: str) -> bool:
    match = DIVISION_START.match(line)
    if not match:
        return False
    rest = line[match.end() :].strip()
    # "Chương II", "Chương II. …", "Chương II - …", "CHƯƠNG II QUY ĐỊNH CHUNG"; not "Mục 2 Chương III của …".
    return not rest or rest[0] in ".:-–—" or _is_caps(rest)


def _starts_multi_numbered(line: str) -> bool:
    match = MULTI_NUMBERED_START.match(line)
    return match is not None and (match.group(1) == "." or match.group(2).isupper())


def _starts_item(line: str) -> bool:
    return any(p.match(line) for p in (CLAUSE_START, POINT_START, BULLET_START)) or _starts_multi_numbered(line)


def starts_structural(line: str) -> bool:
    """True when the line opens a new unit: a division, an article, a clause, a point or a bullet."""
    return _starts_division(line) or bool(ARTICLE_START.match(line) or ROMAN_START.match(line)) or _starts_item(line)


def is_page_number(line: str) -> bool:
    """True for a running page number such as "2", "- 2 -", "Trang 2/10"."""
    return bool(_PAGE_NUMBER.fullmatch(line.strip()))


def _is_caps(line: str) -> bool:
    return capitals(line, min_letters=6) is True


def _capitals(line: str) -> bool | None:
    """True for an ALL-CAPS line, False when it has lower-case letters, None when too short to tell ("UB")."""
    return capitals(line, min_letters=4)


def full_line_width(lines: Iterable[str]) -> int:
    """The length of a full line of hard-wrapped text (80th percentile of the line lengths)."""
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.8))]


def _title_part(line: str) -> str:
    """The line without a leading "Chương I." or "Điều 5." marker: "Chương I. NHỮNG …" counts as capitals."""
    match = DIVISION_START.match(line) or ARTICLE_START.match(line)
    return line[match.end() :].lstrip(" .:-–—") if match else line


def _continues(paragraph: str, prev: str, nxt: str, full_width: int) -> bool:
    """Whether ``nxt`` is a wrapped continuation of ``paragraph``, whose last line is ``prev``."""
    if starts_structural(nxt) or BARE_DIVISION.fullmatch(prev):
        return False
    before, after = _capitals(_title_part(prev)), _capitals(nxt)
    if before is not None and after is not None and before != after:
        return False
    first = nxt[0]
    if first.islower() or first.isdigit() or not first.isalpha():
        return True
    if len(prev) < SHORT_LINE_RATIO * full_width:
        return False
    if (ARTICLE_START.match(paragraph) or _starts_division(paragraph)) and after is False:
        return False  # a long title line followed by the body: titles rarely wrap onto a capitalised word
    return not ends_sentence(prev)


def _join(head: str, tail: str) -> str:
    if head.endswith("-") and len(head) > 1 and head[-2].isalpha() and tail[:1].islower():
        return head + tail  # a word hyphenated at the line end: "well-" + "known"
    return f"{head} {tail}"


def assemble_paragraphs(lines: Iterable[str], *, wrapped: bool = True, full_width: int | None = None) -> list[str]:
    """Group lines into paragraphs; an empty line always ends a paragraph.

    With ``wrapped=False`` (text whose lines are already whole paragraphs) each non-empty line is a paragraph.
    ``full_width`` is the length of a full line; by default it is estimated from ``lines``.
    """
    stripped = [" ".join(line.split()) for line in lines]
    if not wrapped:
        return [line for line in stripped if line]
    if full_width is None:
        full_width = full_line_width(stripped)
    paragraphs: list[str] = []
    current = ""
    previous_line = ""
    for line in stripped:
        if not line:
            if current:
                paragraphs.append(current)
            current = previous_line = ""
            continue
        if current and _continues(current, previous_line, line, full_width):
            current = _join(current, line)
        else:
            if current:
                paragraphs.append(current)
            current = line
        previous_line = line
    if current:
        paragraphs.append(current)
    return paragraphs


def classify(text: str) -> BlockKind:
    """The block kind of a paragraph found by layout alone: divisions and ALL-CAPS titles are headings."""
    if _starts_division(text) or ARTICLE_START.match(text) or ROMAN_START.match(text):
        return "heading" if len(text) <= 300 else "paragraph"
    if _starts_item(text):
        return "list_item"
    if _is_caps(text) and len(text) <= 200:
        return "heading"
    return "paragraph"


def paragraph_blocks(paragraphs: Iterable[str], *, page: int | None = None) -> list[Block]:
    """Blocks from paragraph texts (cleaned, empty ones dropped), each classified by :func:`classify`."""
    blocks = []
    for paragraph in paragraphs:
        text = clean_text(paragraph)
        if text:
            blocks.append(Block(text=text, page=page, kind=classify(text)))
    return blocks


def looks_wrapped(lines: Sequence[str]) -> bool:
    """Plain-text heuristic: lines of at most ~120 characters are hard-wrapped; longer ones are paragraphs."""
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if not lengths:
        return True
    return lengths[int(len(lengths) * 0.9) if len(lengths) > 1 else 0] <= 120
