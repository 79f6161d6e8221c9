"""Request and response schemas of the auth, admin and feedback endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.accounts.users import UserInfo
from assistant.api.feedback_store import MAX_CITATIONS, MAX_COMMENT, FeedbackItem
from assistant.api.job_store import JobInfo
from assistant.types import Principal


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    username: str
    display_name: str
    roles: list[str]
    units: list[str]
    unit_scope: list[str] = Field(description="Units whose unit-only documents this user may see")

    @classmethod
    def from_core(cls, user: UserInfo, principal: Principal) -> UserOut:
        return cls(
            username=user.username,
            display_name=user.display_name,
            roles=list(user.roles),
            units=list(user.units),
            unit_scope=sorted(principal.unit_scope),
        )


class LoginResponse(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'; shown once, stored only hashed")
    token_type: Literal["bearer"] = "bearer"
    expires_at: dt.datetime
    user: UserOut


class LogoutResponse(BaseModel):
    revoked: bool


class UploadAccepted(BaseModel):
    job_id: str
    status: str
    status_url: str


class FileError(BaseModel):
    file: str
    reason: str


class JobFileOut(BaseModel):
    path: str = Field(description="The file name (no server path)")
    doc_id: str
    status: str
    reason: str = ""
    warnings: list[str] = []
    chunks: int = 0


class JobOut(BaseModel):
    job_id: str
    status: Literal["queued", "running", "done", "failed"]
    filename: str
    created: dt.datetime
    finished: dt.datetime | None
    ingested: list[str]
    replaced: list[str]
    failed: list[FileError]
    version: str
    warnings: list[str] = Field(
        default_factory=list, description="What did not stop the ingest, e.g. a relation to an unknown document"
    )
    files: list[JobFileOut] = Field(default_factory=list, description="One per file of the job")

    @classmethod
    def from_core(cls, job: JobInfo) -> JobOut:
        result = job.result
        return cls(
            job_id=job.id,
            status=job.status,  # type: ignore[arg-type]
            filename=job.filename,
            created=job.created,
            finished=job.finished,
            ingested=list(result.get("ingested", [])),
            replaced=list(result.get("replaced", [])),
            failed=[FileError(**f) for f in result.get("failed", [])],
            version=str(result.get("version", "")),
            warnings=[str(w) for w in result.get("warnings", [])],
            files=[JobFileOut.model_validate(f) for f in result.get("files", [])],
        )


class RemoveResponse(BaseModel):
    removed: list[str]
    version: str


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: Literal["up", "down"]
    question: str = Field(min_length=1, max_length=2000)
    answer: str = Field("", max_length=20000)
    citations: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list, max_length=MAX_CITATIONS, description="Chunk ids cited by the answer"
    )
    comment: str = Field("", max_length=MAX_COMMENT)
    index_version: str = Field("", max_length=64)


class FeedbackCreated(BaseModel):
    id: int


class FeedbackOut(BaseModel):
    id: int
    username: str
    unit: str
    ts: dt.datetime
    question: str
    answer: str
    citations: list[str]
    rating: str
    comment: str
    index_version: str

    @classmethod
    def from_core(cls, item: FeedbackItem) -> FeedbackOut:
        return cls(
            id=item.id, username=item.username, unit=item.unit, ts=item.ts, question=item.question,
            answer=item.answer, citations=list(item.citations), rating=item.rating, comment=item.comment,
            index_version=item.index_version,
        )  # fmt: skip


class FeedbackList(BaseModel):
    items: list[FeedbackOut]
