"""Short lessons: the key rules of a topic as cited points ("5 điều cần nhớ về văn bản đến")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.quiz.facts import clauses, find_values, pieces
from assistant.quiz.model import Lesson, LessonPoint
from assistant.text.normalize import fold_diacritics
from assistant.types import Chunk, DocumentMeta

__all__ = ["build_lesson"]

_MIN_WORDS, _MAX_WORDS = 6, 60


def _terms(topic: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold_diacritics(topic)) if len(w) > 1}


def build_lesson(topic: str, passages: Sequence[tuple[Chunk, DocumentMeta]], n: int = 5) -> Lesson:
    """At most ``n`` key rules from ``passages`` (most relevant first): one sentence per clause, sentences that
    state a fact (a time limit, an amount, a body…) and name the topic's words preferred, then put back in the
    order of the documents' structure (document as first met, then chunk and clause order)."""
    if n <= 0:
        raise ValueError(f"n must be > 0, got {n}")
    terms = _terms(topic)
    doc_rank: dict[str, int] = {}
    candidates: list[tuple[float, tuple[int, int, int], LessonPoint]] = []
    for rank, (chunk, doc) in enumerate(passages):
        doc_rank.setdefault(doc.doc_id, len(doc_rank))
        for position, clause in enumerate(clauses(chunk, doc)):
            best: tuple[float, str] | None = None
            for sentence in pieces(clause.text):
                words = sentence.split()
                if not _MIN_WORDS <= len(words) <= _MAX_WORDS:
                    continue
                score = 2.0 * bool(find_values(sentence)) + len(terms & _terms(sentence)) - 0.02 * rank
                if best is None or score > best[0]:
                    best = (score, sentence)
            if best is not None:
                order = (doc_rank[doc.doc_id], chunk.ordinal, position)
                point = LessonPoint(_as_point(best[1]), clause.source)
                candidates.append((best[0], order, point))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    chosen: list[tuple[tuple[int, int, int], LessonPoint]] = []
    used: set[tuple[str, str]] = set()
    for _, order, point in candidates:
        clause_key = (point.source.chunk_id, point.source.path)
        if clause_key in used:
            continue
        used.add(clause_key)
        chosen.append((order, point))
        if len(chosen) == n:
            break
    chosen.sort(key=lambda c: c[0])
    points = tuple(point for _, point in chosen)
    return Lesson(title=f"{len(points)} điều cần nhớ về {topic.strip()}", topic=topic, points=points)


def _as_point(sentence: str) -> str:
    text = sentence.strip().rstrip(";:,")
    text = text[0].upper() + text[1:] if text else text
    return text if text.endswith((".", "!", "?")) else text + "."
