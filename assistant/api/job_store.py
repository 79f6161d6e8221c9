"""Records of background ingest jobs (uploads), kept in the accounts database so every API process can
report them; written by IngestRunner, read by GET /v1/ingest/jobs/{id}."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from assistant.accounts.db import Database
from assistant.accounts.models import IngestJob, utcnow


@dataclass(frozen=True)
class JobInfo:
    id: str
    username: str
    filename: str
    status: str  # queued | running | done | failed
    created: dt.datetime
    finished: dt.datetime | None
    result: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, row: IngestJob) -> JobInfo:
        return cls(row.id, row.username, row.filename, row.status, row.created, row.finished, dict(row.result))


class JobStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, job_id: str, *, username: str, filename: str) -> JobInfo:
        row = IngestJob(id=job_id, username=username, filename=filename, status="queued", created=utcnow(), result={})
        with self.db.session() as session:
            session.add(row)
            session.flush()
            return JobInfo.of(row)

    def update(self, job_id: str, *, status: str, result: dict[str, Any] | None = None) -> None:
        with self.db.session() as session:
            row = session.get(IngestJob, job_id)
            if row is None:
                raise KeyError(job_id)
            row.status = status
            if result is not None:
                row.result = result
            if status in ("done", "failed"):
                row.finished = utcnow()

    def pending(self) -> int:
        """Jobs queued or running, in every API process."""
        query = select(func.count()).select_from(IngestJob).where(IngestJob.status.in_(("queued", "running")))
        with self.db.session() as session:
            return int(session.scalar(query) or 0)

    def get(self, job_id: str) -> JobInfo | None:
        with self.db.session() as session:
            row = session.get(IngestJob, job_id)
            return JobInfo.of(row) if row else None
