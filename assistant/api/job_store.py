"""Records of background ingest jobs (uploads), kept in the accounts database so every API process can
report them; written by IngestRunner, read by GET /v1/ingest/jobs/{id}."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update

from assistant.accounts.db import Database
from assistant.accounts.models import IngestClaim, IngestJob, utcnow


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


@dataclass(frozen=True)
class Claim:
    """A job a worker took: the file to ingest is ``uploads_dir/<job_id>/<filename>``."""

    job_id: str
    filename: str
    username: str
    attempts: int


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

    def claim(self, worker: str, *, lease_seconds: float, max_attempts: int) -> Claim | None:
        """Take a job for ``worker``: first one whose worker went silent for ``lease_seconds`` (failed instead once
        it was tried ``max_attempts`` times), else the oldest queued one. One worker wins each job: the update is
        conditional on the state it read."""
        now = utcnow()
        stale = now - dt.timedelta(seconds=lease_seconds)
        with self.db.session() as session:
            silent = session.execute(
                select(IngestClaim, IngestJob)
                .join(IngestJob, IngestJob.id == IngestClaim.job_id)
                .where(IngestJob.status == "running", IngestClaim.heartbeat < stale)
                .order_by(IngestJob.created)
                .limit(10)
            ).all()
            for held, job in silent:
                attempts = held.attempts  # read before the update below refreshes the row in the session
                if attempts >= max_attempts:
                    reason = (
                        f"tiến trình nạp đã dừng {attempts} lần giữa chừng khi nạp tệp này; hãy kiểm tra tệp "
                        "(quá lớn?) và nhật ký của `assistant worker`, rồi tải lên lại"
                    )
                    job.status, job.finished = "failed", now
                    job.result = {"failed": [{"file": job.filename, "reason": reason}]}
                    continue
                taken = session.execute(
                    update(IngestClaim)
                    .where(IngestClaim.job_id == held.job_id, IngestClaim.heartbeat == held.heartbeat)
                    .values(worker=worker, heartbeat=now, attempts=IngestClaim.attempts + 1)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    return Claim(job.id, job.filename, job.username, attempts + 1)
            queued = session.scalars(
                select(IngestJob).where(IngestJob.status == "queued").order_by(IngestJob.created).limit(10)
            ).all()
            for job in queued:
                taken = session.execute(
                    update(IngestJob)
                    .where(IngestJob.id == job.id, IngestJob.status == "queued")
                    .values(status="running")
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    session.execute(delete(IngestClaim).where(IngestClaim.job_id == job.id))
                    session.add(IngestClaim(job_id=job.id, worker=worker, heartbeat=now, attempts=1))
                    return Claim(job.id, job.filename, job.username, 1)
        return None

    def heartbeat(self, job_id: str, worker: str) -> None:
        with self.db.session() as session:
            session.execute(
                update(IngestClaim)
                .where(IngestClaim.job_id == job_id, IngestClaim.worker == worker)
                .values(heartbeat=utcnow())
            )

    def requeue(self, job_id: str) -> None:
        """Put a taken job back in the queue (its worker could not run it now)."""
        with self.db.session() as session:
            session.execute(delete(IngestClaim).where(IngestClaim.job_id == job_id))
            session.execute(update(IngestJob).where(IngestJob.id == job_id).values(status="queued"))

    def pending(self) -> int:
        """Jobs queued or running, in every API process."""
        query = select(func.count()).select_from(IngestJob).where(IngestJob.status.in_(("queued", "running")))
        with self.db.session() as session:
            return int(session.scalar(query) or 0)

    def get(self, job_id: str) -> JobInfo | None:
        with self.db.session() as session:
            row = session.get(IngestJob, job_id)
            return JobInfo.of(row) if row else None
