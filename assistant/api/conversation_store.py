"""Saved conversations: each user's chats with the assistant, kept in the accounts database so that a reload,
another browser or another API replica shows them again (the /v1/me/conversations routes).

A conversation belongs to one user; another user's id is reported as missing, never as forbidden. Each user keeps
at most ``keep`` conversations: saving a new one drops the oldest.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from assistant.accounts.db import Database
from assistant.accounts.models import Conversation, utcnow
from assistant.api.errors import ConversationNotFound

TITLE_CHARS = 120


@dataclass(frozen=True)
class ConversationInfo:
    id: str
    title: str
    created: dt.datetime
    updated: dt.datetime
    turns: tuple[dict[str, Any], ...]

    @classmethod
    def of(cls, row: Conversation) -> ConversationInfo:
        return cls(row.id, row.title, row.created, row.updated, tuple(row.turns or ()))


def _title(turns: Sequence[dict[str, Any]]) -> str:
    question = " ".join(str(turns[0].get("question", "")).split()) if turns else ""
    return question if len(question) <= TITLE_CHARS else question[: TITLE_CHARS - 1] + "…"


def _owned(session: Session, username: str, conversation_id: str) -> Conversation:
    """The user's own conversation; another user's is reported exactly like one that does not exist."""
    row = session.get(Conversation, conversation_id)
    if row is None or row.username != username:
        raise ConversationNotFound(conversation_id)
    return row


class ConversationStore:
    def __init__(self, db: Database, *, keep: int = 50) -> None:
        if keep < 1:
            raise ValueError(f"keep must be ≥ 1, got {keep}")
        self.db = db
        self.keep = keep

    def recent(self, username: str, *, limit: int = 20) -> list[ConversationInfo]:
        """The user's conversations, the latest saved first."""
        query = (
            select(Conversation)
            .where(Conversation.username == username)
            .order_by(Conversation.updated.desc(), Conversation.id)
            .limit(limit)
        )
        with self.db.session() as session:
            return [ConversationInfo.of(row) for row in session.scalars(query)]

    def get(self, username: str, conversation_id: str) -> ConversationInfo:
        with self.db.session() as session:
            return ConversationInfo.of(_owned(session, username, conversation_id))

    def create(self, username: str, turns: Sequence[dict[str, Any]]) -> ConversationInfo:
        now = utcnow()
        row = Conversation(
            id=secrets.token_hex(12), username=username, title=_title(turns), created=now, updated=now,
            turns=list(turns),
        )  # fmt: skip
        with self.db.session() as session:
            session.add(row)
            session.flush()
            self._trim(session, username)
            return ConversationInfo.of(row)

    def replace(self, username: str, conversation_id: str, turns: Sequence[dict[str, Any]]) -> ConversationInfo:
        """Save the turns of one of the user's conversations (the whole list: the UI sends what it shows)."""
        with self.db.session() as session:
            row = _owned(session, username, conversation_id)
            row.turns, row.title, row.updated = list(turns), _title(turns), utcnow()
            session.flush()
            return ConversationInfo.of(row)

    def delete(self, username: str, conversation_id: str) -> None:
        with self.db.session() as session:
            session.delete(_owned(session, username, conversation_id))

    def _trim(self, session: Session, username: str) -> None:
        count = session.scalar(select(func.count()).where(Conversation.username == username))
        if count is None or count <= self.keep:
            return
        oldest = session.scalars(
            select(Conversation.id)
            .where(Conversation.username == username)
            .order_by(Conversation.updated, Conversation.id)
            .limit(count - self.keep)
        ).all()
        session.execute(delete(Conversation).where(Conversation.id.in_(oldest)))
