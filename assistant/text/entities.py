"""Names a question commits to: places, units and agencies ("huyện Bắc Sơn", "tỉnh Cao Bằng", "Sở Y tế"), and
years. An answer taken from another unit's or another year's text is wrong however well its words match, so the
ranker and the answerability model check whether the evidence names them too."""

from __future__ import annotations

import re

from assistant.text.normalize import fold_diacritics, nfc

__all__ = ["mentioned_entities", "mentioned_years", "names_in"]

_WORD = re.compile(r"\w+", re.UNICODE)
# Words that start a capitalised run without being part of a proper name ("Sở Y tế", "Tỉnh Cao Bằng").
_LEADING = frozenset(
    """tinh huyen xa phuong quan so ban bo phong ubnd hdnd luat nghi quyet theo tai cua ve uy cong dang thanh
    the province district commune city department of in for what who which how when where is are does do can
    muc thu tuc ke hoach huong dan quy che chinh phu trung tam nha nuoc""".split()
)
# An administrative level: the capitalised words after it are a place's name, even a single one.
_LEVELS = ("thành phố", "thị trấn", "thị xã", "tỉnh", "huyện", "xã", "phường", "quận", "tp")
_ENGLISH_LEVEL = frozenset({"province", "district", "commune", "city", "ward"})
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
MAX_NAME_WORDS = 3


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper() and not word[:1].isdigit()


def mentioned_entities(text: str) -> tuple[str, ...]:
    """Folded proper names in ``text``: the capitalised words after an administrative level ("xã Yên Trạch",
    "tỉnh Cao Bằng"), before an English one ("Ha Giang province"), and other runs of two or more capitalised
    syllables ("Chi Lăng"), in order, without repeats."""
    words = _WORD.findall(nfc(text))
    lowered = [w.casefold() for w in words]
    found: list[str] = []

    def add(name_words: list[str]) -> None:
        key = " ".join(fold_diacritics(w) for w in name_words)
        if key and key not in found:
            found.append(key)

    used: set[int] = set()
    i = 0
    while i < len(words):
        level = next((lv for lv in _LEVELS if lowered[i : i + len(lv.split())] == lv.split()), None)
        if level is not None:
            start = i + len(level.split())
            end = start
            while end < len(words) and end - start < MAX_NAME_WORDS and _capitalised(words[end]):
                end += 1
            if end > start:
                add(words[start:end])
                used.update(range(start, end))
            i = max(end, i + 1)
            continue
        if lowered[i] in _ENGLISH_LEVEL:
            start = i
            while start > 0 and i - start < MAX_NAME_WORDS and _capitalised(words[start - 1]):
                start -= 1
            if start < i:
                add(words[start:i])
                used.update(range(start, i))
        i += 1
    run: list[int] = []
    for j in [*range(len(words)), len(words)]:
        if j < len(words) and j not in used and _capitalised(words[j]):
            run.append(j)
            continue
        named = [words[k] for k in run]
        while named and fold_diacritics(named[0]) in _LEADING:
            named = named[1:]
        # A sentence-initial capital is not a name: two or more name-like words are needed.
        if len(named) >= 2:
            add(named[:MAX_NAME_WORDS])
        run = []
    return tuple(found)


def mentioned_years(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_YEAR.findall(text)))


def names_in(entities: tuple[str, ...], folded_text: str) -> int:
    """How many of ``entities`` (folded) occur in ``folded_text`` (already folded, spaces between syllables)."""
    padded = f" {' '.join(folded_text.split())} "
    return sum(1 for entity in entities if f" {entity} " in padded)
