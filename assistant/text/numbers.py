"""Số hiệu văn bản: the pattern a document number follows, the key two spellings of one number share, and the
numbers a free-text question mentions ("3120/QĐ-UBND", "3120/qd-ubnd" and "3120 / QD-UBND" are one key).

The patterns live in :mod:`assistant.text.legal_grammar`; this module groups documents by their number.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.text.legal_grammar import DOCUMENT_NUMBER, mentioned_numbers, number_key

__all__ = ["DOCUMENT_NUMBER", "group_by_number", "mentioned_numbers", "number_key"]


def group_by_number(numbered: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """``(doc_id, số hiệu)`` pairs → :func:`number_key` → doc ids in the given order; empty numbers are skipped."""
    groups: dict[str, list[str]] = {}
    for doc_id, number in numbered:
        if number:
            groups.setdefault(number_key(number), []).append(doc_id)
    return groups
