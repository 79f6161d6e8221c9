"""Names a question commits to: places, units and agencies ("huyện Bắc Sơn", "tỉnh Cao Bằng", "Sở Y tế"), and
years. An answer taken from another unit's or another year's text is wrong however well its words match, so the
ranker and the answerability model check whether the evidence names them too."""

from __future__ import annotations

import re

from assistant.text.normalize import fold_diacritics, nfc

__all__ = ["mentioned_entities", "mentioned_years", "names_in"]

_WORD = re.compile(r"[\wÀ-ỹ]+", re.UNICODE)
# Words that start a capitalised run without being part of a proper name.
_LEADING = frozenset(
    fold_diacritics(w)
    for w in """tỉnh huyện xã phường thị trấn thành phố quận sở ban bộ phòng ủy ubnd hđnd ủy ban nhân dân
    luật nghị quyết định thông tư kế hoạch chỉ thị hướng dẫn điều khoản chương mục phần theo tại của về
    trung tâm văn thanh tra công an đảng the province district commune city department of in for what who
    which how when where is are does do can mức thủ tục""".split()
)
# An administrative level followed by its name: the name is an entity even when it is one syllable.
_LEVEL = re.compile(
    r"\b(?:tỉnh|huyện|xã|phường|thị trấn|thành phố|tp\.?|quận|thị xã)\s+((?:[A-ZĐÀ-Ỹ][\wà-ỹ]*\s?){1,3})",
    re.UNICODE,
)
_ENGLISH_LEVEL = re.compile(r"((?:[A-Z][a-z]+\s){1,3})(?:province|district|commune|city|ward)\b")
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def mentioned_entities(text: str) -> tuple[str, ...]:
    """Folded proper names in ``text``: runs of two or more capitalised syllables ("Cao Bằng", "Chi Lăng") and
    the name after an administrative level ("xã Yên Trạch"), in order, without repeats."""
    text = nfc(text)
    found: list[str] = []

    def add(name: str) -> None:
        words = [w for w in fold_diacritics(name).split() if w]
        while words and words[0] in _LEADING:
            words = words[1:]
        key = " ".join(words)
        if key and key not in found:
            found.append(key)

    for match in _LEVEL.finditer(text):
        add(match.group(1))
    for match in _ENGLISH_LEVEL.finditer(text):
        add(match.group(1))
    words = _WORD.findall(text)
    run: list[str] = []
    for i, word in enumerate([*words, ""]):
        if word and _is_capitalised(word) and not word.isupper() and not word.isdigit():
            run.append(word)
            continue
        named = [w for w in run if fold_diacritics(w) not in _LEADING]
        # A sentence-initial capital is not a name: keep the run only when two or more name-like words remain.
        if len(named) >= 2 or (named and run and i - len(run) > 0 and len(named) == len(run) and len(run) >= 2):
            add(" ".join(named))
        run = []
    return tuple(found)


def mentioned_years(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_YEAR.findall(text)))


def names_in(entities: tuple[str, ...], folded_text: str) -> int:
    """How many of ``entities`` (folded) occur in ``folded_text`` (already folded, spaces between syllables)."""
    padded = f" {' '.join(folded_text.split())} "
    return sum(1 for entity in entities if f" {entity} " in padded)
