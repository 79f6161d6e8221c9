"""What is in force goes first. Citing a dead provision is the most dangerous error an assistant can make here, so
after the ranker has spoken, a passage of a document that has been replaced, or of a clause that has been amended,
never outranks the candidate passage of the newer document that says what applies at the request's date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from assistant.text.legal_grammar import CLAUSE, cited_clauses, number_key
from assistant.text.tokenize import content_tokens
from assistant.types import DocumentMeta, Passage

__all__ = ["carried_scores", "in_force_first", "rewrites_clause"]


def _successors(doc: DocumentMeta, known: dict[str, DocumentMeta]) -> frozenset[str]:
    """Keys of the documents that replaced ``doc``, and of those that replaced them in turn as far as ``known``
    (the candidates' documents by number) tells: 2021 → 2023 → 2025."""
    found: set[str] = set()
    todo = [number_key(n) for n in doc.superseded_by]
    while todo:
        key = todo.pop()
        if key and key not in found:
            found.add(key)
            if key in known:
                todo.extend(number_key(n) for n in known[key].superseded_by)
    return frozenset(found)


def _replaces(old: Passage, new: Passage, successors: frozenset[str]) -> bool:
    """Whether ``new`` states what applies instead of ``old``: ``old``'s document is out of force and ``new``'s,
    in force, is one of its ``successors``."""
    return (
        not old.current
        and new.current
        and new.document.doc_id != old.document.doc_id
        and bool(key := number_key(new.document.number))
        and key in successors
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


def _clauses_rewritten(old: Passage, new: Passage) -> set[str] | None:
    """The clauses of ``old``'s article that ``new``, in force and of a document amending ``old``'s, names as
    rewritten (empty: it names only the whole article); None when ``new`` does not touch that article."""
    if not (new.current and old.chunk.article and old.document.amended_by and new.document.number):
        return None
    if number_key(new.document.number) not in {number_key(n) for n in old.document.amended_by}:
        return None
    return cited_clauses(new.chunk.text).get(old.chunk.article)


def _amends_asked_clause(old: Passage, new: Passage, terms: AbstractSet[str]) -> bool:
    """Whether ``new``'s document amends ``old``'s and ``new`` rewrites the clause of ``old``'s article the
    question is about (or the whole article)."""
    clauses = _clauses_rewritten(old, new)
    return clauses is not None and (not clauses or _asked_clause(old, terms) in clauses)


def rewrites_clause(new: Passage, old: Passage, clause: str) -> bool:
    """Whether ``new``, in force, is a clause of a document amending ``old``'s that names ``clause`` of ``old``'s
    article as rewritten ("Sửa đổi khoản 1 Điều 6 như sau: …"): ``old``'s text of that clause is dead."""
    return bool(clause) and clause in (_clauses_rewritten(old, new) or set())


@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    return frozenset(content_tokens(text))


def _likeness(a: Passage, b: Passage) -> float:
    """Shared content words over all of both (Jaccard): a new version restates the old provision in mostly the
    same words."""
    x, y = _words(a.chunk.text), _words(b.chunk.text)
    return len(x & y) / len(x | y) if x or y else 0.0


def in_force_first(candidates: Sequence[Passage], terms: Iterable[str] = ()) -> list[int]:
    """Positions of ``candidates`` (best first) where each passage of a replaced document comes after the
    candidate of each document in force that replaced it, directly or down a chain of replacements, restating it
    (the most alike), and each amended article after the
    passage rewriting the clause the question (``terms``: its folded content words) is about, when those do not
    rank above it already. Everything else keeps its order. An amendment that leaves the asked clause alone
    changes nothing: the rest of the article is still in force."""
    asked = frozenset(terms)
    known = {number_key(p.document.number): p.document for p in candidates if p.document.number}
    order: list[int] = []
    placed: set[int] = set()
    for i, old in enumerate(candidates):
        if i in placed:
            continue
        if old.document.superseded_by or old.document.amended_by:
            successors = _successors(old.document, known)
            newer: dict[str, int] = {}  # document → its passage taking the old one's place
            for j, new in enumerate(candidates):
                if j == i or not (_replaces(old, new, successors) or _amends_asked_clause(old, new, asked)):
                    continue
                doc_id = new.document.doc_id
                if doc_id not in newer or _likeness(old, new) > _likeness(old, candidates[newer[doc_id]]):
                    newer[doc_id] = j
            for j in sorted(newer.values()):
                if j not in placed:  # else it ranks above already
                    order.append(j)
                    placed.add(j)
        order.append(i)
        placed.add(i)
    return order


def carried_scores(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``scores`` in :func:`in_force_first`'s order, with each passage moved ahead of another scoring at least as
    high as it: the newer text takes over the evidence the older one earned (the answerability model reads the
    top score and margins)."""
    return np.maximum.accumulate(scores[::-1])[::-1].copy() if len(scores) else scores
