"""Số hiệu văn bản: the pattern a document number follows, the key two spellings of one number share, and the
numbers a free-text question mentions ("3120/QĐ-UBND", "3120/qd-ubnd" and "3120 / QD-UBND" are one key)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.text.normalize import fold_diacritics

__all__ = ["DOCUMENT_NUMBER", "group_by_number", "mentioned_numbers", "number_key"]

# As printed in a header: 12/QĐ-UBND, 30/2020/NĐ-CP, 49-NQ/TU, 07/HD-TTr.
DOCUMENT_NUMBER = r"\d{1,5}(?:/\d{4})?[/-][A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-ZĐ0-9][A-Za-zĐđ0-9&]*)*"
# As typed in a question, after folding: any case, with or without diacritics, loose spaces around separators.
_TYPED = re.compile(r"(?<![\w/])\d{1,5}(?:\s*/\s*\d{4})?\s*[/-]\s*[a-z][a-z0-9]*(?:\s*[-/]\s*[a-z0-9&]+)*")


def number_key(number: str) -> str:
    """Case-, diacritic- and punctuation-insensitive form: "30/2020/NĐ-CP" → "302020ndcp"."""
    return "".join(ch for ch in fold_diacritics(number) if ch.isalnum())


def mentioned_numbers(text: str) -> list[str]:
    """Keys of the document numbers written in ``text``, in order, without repeats."""
    keys: list[str] = []
    for match in _TYPED.finditer(fold_diacritics(text)):
        key = number_key(match.group())
        if key not in keys:
            keys.append(key)
    return keys


def group_by_number(numbered: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """``(doc_id, số hiệu)`` pairs → :func:`number_key` → doc ids in the given order; empty numbers are skipped."""
    groups: dict[str, list[str]] = {}
    for doc_id, number in numbered:
        if number:
            groups.setdefault(number_key(number), []).append(doc_id)
    return groups
