"""Staff feedback on answers (up/down, comment), kept in the accounts database, and its export as a question set
for the evaluators (the /v1/feedback routes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select

from assistant.accounts.db import Database
from assistant.accounts.models import Feedback, utcnow
from assistant.text.query import detect_language

Rating = Literal["up", "down"]
MAX_COMMENT = 2000
MAX_CITATIONS = 50


@dataclass(frozen=True)
class FeedbackItem:
    id: int
    username: str
    unit: str
    ts: dt.datetime
    question: str
    answer: str
    citations: tuple[str, ...]
    rating: str
    comment: str
    index_version: str

    @classmethod
    def of(cls, row: Feedback) -> FeedbackItem:
        return cls(
            id=row.id, username=row.username, unit=row.unit, ts=row.ts, question=row.question, answer=row.answer,
            citations=tuple(row.citations), rating=row.rating, comment=row.comment, index_version=row.index_version,
        )  # fmt: skip


class FeedbackStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        *,
        username: str,
        unit: str,
        question: str,
        answer: str,
        citations: Sequence[str],
        rating: Rating,
        comment: str = "",
        index_version: str = "",
    ) -> int:
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', got {rating!r}")
        if len(comment) > MAX_COMMENT:
            raise ValueError(f"comment is {len(comment)} characters, over {MAX_COMMENT}")
        row = Feedback(
            username=username, unit=unit, ts=utcnow(), question=question, answer=answer,
            citations=list(dict.fromkeys(citations))[:MAX_CITATIONS], rating=rating, comment=comment,
            index_version=index_version,
        )  # fmt: skip
        with self.db.session() as session:
            session.add(row)
            session.flush()
            return row.id

    def recent(self, *, limit: int = 100, offset: int = 0) -> list[FeedbackItem]:
        query = select(Feedback).order_by(Feedback.ts.desc(), Feedback.id.desc()).offset(offset).limit(limit)
        with self.db.session() as session:
            return [FeedbackItem.of(row) for row in session.scalars(query)]

    def get_many(self, ids: Sequence[int]) -> list[FeedbackItem]:
        with self.db.session() as session:
            rows = session.scalars(select(Feedback).where(Feedback.id.in_(list(ids))).order_by(Feedback.id))
            return [FeedbackItem.of(row) for row in rows]


def to_question(item: FeedbackItem, doc_of_chunk: Callable[[str], str | None]) -> dict[str, Any]:
    """One line of the project's question-set JSONL built from a feedback item.

    Gold chunks are the answer's citations that still exist in the served index (``doc_of_chunk`` maps a chunk id
    to its document, None when gone). A thumbs-up keeps the answer as the reference answer; a thumbs-down keeps
    the citations but no answer and is tagged ``needs-review``: an evaluator must correct its gold before use.
    """
    chunks = [c for c in item.citations if doc_of_chunk(c) is not None]
    docs = list(dict.fromkeys(d for d in (doc_of_chunk(c) for c in chunks) if d is not None))
    categories = ["feedback", f"rating-{item.rating}"] + (["needs-review"] if item.rating == "down" else [])
    return {
        "id": f"fb-{item.id}",
        "question": item.question,
        "language": detect_language(item.question),
        "categories": categories,
        "gold_doc_ids": docs,
        "gold_chunk_ids": chunks,
        "answer": item.answer if item.rating == "up" else "",
        "asker_unit": item.unit,
        "split": "dev",
    }
