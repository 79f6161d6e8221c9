"""Request and response schemas of /v1/me/conversations: a conversation is the turns as the chat shows them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from assistant.api.conversation_store import ConversationInfo

MAX_TURNS = 100
Short = Annotated[str, Field(max_length=300)]


class SavedCitation(BaseModel):
    """A citation as /v1/ask returned it. Opening its source still checks the caller's access at that time."""

    model_config = ConfigDict(extra="forbid")

    n: int = Field(ge=1, le=1000)
    chunk_id: Short
    doc_id: Short
    title: str = Field("", max_length=1000)
    number: Short = ""
    path: str = Field("", max_length=1000)
    page: int | None = Field(None, ge=1, le=100_000)
    snippet: str = Field("", max_length=5000)
    status: Short = "unknown"
    current: bool = True
    warning: str = Field("", max_length=2000)


class SavedTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=2000)
    answer: str = Field("", max_length=20000)
    abstained: bool = False
    citations: list[SavedCitation] = Field(default_factory=list, max_length=50)
    index_version: str = Field("", max_length=64)
    language: str = Field("vi", max_length=8)
    error: str = Field("", max_length=2000)


class ConversationSave(BaseModel):
    model_config = ConfigDict(extra="forbid")

    turns: list[SavedTurn] = Field(min_length=1, max_length=MAX_TURNS)


class ConversationSummary(BaseModel):
    id: str
    title: str = Field(description="The first question, shortened")
    created: dt.datetime
    updated: dt.datetime
    turn_count: int

    @classmethod
    def from_core(cls, info: ConversationInfo) -> ConversationSummary:
        return cls(id=info.id, title=info.title, created=info.created, updated=info.updated, turn_count=len(info.turns))


class ConversationOut(ConversationSummary):
    turns: list[SavedTurn]

    @classmethod
    def from_core(cls, info: ConversationInfo) -> ConversationOut:
        summary = ConversationSummary.from_core(info)
        return cls(**summary.model_dump(), turns=[SavedTurn.model_validate(t) for t in info.turns])


class ConversationList(BaseModel):
    conversations: list[ConversationSummary]
