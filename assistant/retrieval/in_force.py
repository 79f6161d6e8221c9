"""What is in force goes first. Citing a dead provision is the most dangerous error an assistant can make here, so
after the ranker has spoken, a passage of a document that has been replaced, or of a clause that has been amended,
never outranks the candidate passage of the newer document that says what applies at the request's date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

import numpy as np
import numpy.typing as npt

from assistant.text.legal_grammar import CLAUSE, cited_clauses, number_key
from assistant.text.tokenize import content_tokens
from assistant.types import Passage

__all__ = ["carried_scores", "in_force_first"]


def _replaces(old: Passage, new: Passage) -> bool:
    """Whether ``new`` states what applies instead of ``old``: ``old``'s document is out of force and ``new``'s,
    in force, replaces it."""
    return (
        not old.current
        and new.current
        and new.document.doc_id != old.document.doc_id
        and bool(key := number_key(new.document.number))
        and key in {number_key(n) for n in old.document.superseded_by}
    )


def _asked_clause(old: Passage, terms: AbstractSet[str]) -> str | None:
    """The clause of ``old``'s article holding most of the question's words (``old``'s own when it is a clause);
    "" for an article without numbered clauses, None when no clause holds more of them than every other."""
    if old.chunk.clause:
        return old.chunk.clause
    words: dict[str, set[str]] = {}
    number = None
    for line in old.chunk.text.splitlines():
        if (match := CLAUSE.match(line.strip())) is not None:
            number = match.group(1)
        if number is not None:  # the article's heading line is not a clause
            words.setdefault(number, set()).update(t for t in content_tokens(line) if t in terms)
    if not words:
        return ""
    cover = sorted((len(w), n) for n, w in words.items())
    return cover[-1][1] if cover[-1][0] and (len(cover) == 1 or cover[-2][0] < cover[-1][0]) else None


def _amends_asked_clause(old: Passage, new: Passage, terms: AbstractSet[str]) -> bool:
    """Whether ``new``'s document amends ``old``'s and ``new`` rewrites the clause of ``old``'s article the
    question is about (or the whole article)."""
    if not (new.current and old.chunk.article and old.document.amended_by) or not new.document.number:
        return False
    if number_key(new.document.number) not in {number_key(n) for n in old.document.amended_by}:
        return False
    clauses = cited_clauses(new.chunk.text).get(old.chunk.article)
    if clauses is None:
        return False
    return not clauses or _asked_clause(old, terms) in clauses


def in_force_first(candidates: Sequence[Passage], terms: Iterable[str] = ()) -> list[int]:
    """Positions of ``candidates`` (best first) with each passage of a replaced document preceded by the best
    passage of each document that replaces it, and each amended article preceded by the passage that rewrites
    the clause the question (``terms``: its folded content words) is about, unless one already ranks above it.
    Everything else keeps its order. An amendment that leaves the asked clause alone changes nothing: the rest of
    the article is still in force."""
    asked = frozenset(terms)
    order: list[int] = []
    placed: set[int] = set()
    for i, old in enumerate(candidates):
        if i in placed:
            continue
        if old.document.superseded_by or old.document.amended_by:

            def takes_place(new: Passage, old: Passage = old) -> bool:
                return _replaces(old, new) or _amends_asked_clause(old, new, asked)

            taken = {candidates[k].document.doc_id for k in order if takes_place(candidates[k])}
            for j in range(i + 1, len(candidates)):
                new = candidates[j]
                if j not in placed and new.document.doc_id not in taken and takes_place(new):
                    order.append(j)
                    placed.add(j)
                    taken.add(new.document.doc_id)
        order.append(i)
        placed.add(i)
    return order


def carried_scores(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``scores`` in :func:`in_force_first`'s order, with each passage moved ahead of another scoring at least as
    high as it: the newer text takes over the evidence the older one earned (the answerability model reads the
    top score and margins)."""
    return np.maximum.accumulate(scores[::-1])[::-1].copy() if len(scores) else scores
