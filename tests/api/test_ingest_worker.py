"""The ingest queue for `assistant worker`: one worker wins each job, a silent worker's job is taken again (and
failed after the last attempt), a held index puts the job back in the queue, and a job run by a worker publishes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from assistant.accounts.models import IngestClaim
from assistant.accounts.service import AccountService
from assistant.api.ingest_worker import IngestWorker
from assistant.api.job_store import JobStore
from assistant.embedding.hashing import HashingEmbedder
from assistant.index.versions import VersionStore
from assistant.settings import Settings

PLAN = """ỦY BAN NHÂN DÂN HUYỆN VĂN QUAN
Số: 45/KH-UBND
KẾ HOẠCH
Tổ chức Ngày hội chuyển đổi số huyện Văn Quan
Điều 1. Thời gian và địa điểm
Ngày hội chuyển đổi số huyện Văn Quan được tổ chức vào ngày 10 tháng 10 hằng năm.
"""


@pytest.fixture
def accounts(settings: Settings) -> Iterator[AccountService]:
    service = AccountService(settings.model_copy(update={"ingest_worker": True}))
    service.open(bootstrap=False)
    yield service
    service.close()


def queue_upload(settings: Settings, jobs: JobStore, job_id: str, text: str = PLAN) -> Path:
    folder = settings.uploads_dir / job_id
    folder.mkdir(parents=True)
    path = folder / "ke-hoach-45.md"
    path.write_text(text, encoding="utf-8")
    jobs.create(job_id, username="quan-tri", filename=path.name)
    return path


def silence(accounts: AccountService, job_id: str, seconds: float) -> None:
    """As if the job's worker had not beaten its heartbeat for ``seconds``."""
    then = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)
    with accounts.db.session() as session:
        session.execute(update(IngestClaim).where(IngestClaim.job_id == job_id).values(heartbeat=then))


def test_one_worker_wins_each_queued_job(settings: Settings, accounts: AccountService) -> None:
    jobs = JobStore(accounts.db)
    queue_upload(settings, jobs, "job-1")
    first = jobs.claim("may-a:1", lease_seconds=60, max_attempts=3)
    assert first is not None and (first.job_id, first.attempts) == ("job-1", 1)
    assert jobs.claim("may-b:2", lease_seconds=60, max_attempts=3) is None  # taken, and its worker is alive
    assert jobs.get("job-1").status == "running"  # type: ignore[union-attr]


def test_a_silent_workers_job_is_taken_again_then_failed(settings: Settings, accounts: AccountService) -> None:
    jobs = JobStore(accounts.db)
    queue_upload(settings, jobs, "job-1")
    assert jobs.claim("may-a:1", lease_seconds=60, max_attempts=2) is not None
    jobs.heartbeat("job-1", "may-a:1")
    assert jobs.claim("may-b:2", lease_seconds=60, max_attempts=2) is None
    silence(accounts, "job-1", 61)
    again = jobs.claim("may-b:2", lease_seconds=60, max_attempts=2)
    assert again is not None and again.attempts == 2
    jobs.heartbeat("job-1", "may-a:1")  # the first worker, back from the dead, no longer holds it
    silence(accounts, "job-1", 61)
    assert jobs.claim("may-c:3", lease_seconds=60, max_attempts=2) is None
    failed = jobs.get("job-1")
    assert failed is not None and failed.status == "failed" and failed.finished is not None
    assert "dừng 2 lần" in failed.result["failed"][0]["reason"]


def test_a_worker_ingests_and_publishes(settings: Settings, accounts: AccountService) -> None:
    jobs = JobStore(accounts.db)
    path = queue_upload(settings, jobs, "job-1")
    worker = IngestWorker(settings, accounts, HashingEmbedder(settings.hashing_dim), name="may-a:1")
    assert worker.run_once() is True
    job = jobs.get("job-1")
    assert job is not None and job.status == "done", job
    assert not path.parent.exists()  # the upload is gone once the job has ended
    current = VersionStore(settings.index_dir).current()
    assert current is not None
    assert worker.run_once() is False  # nothing left


def test_a_held_index_puts_the_job_back_in_the_queue(settings: Settings, accounts: AccountService) -> None:
    jobs = JobStore(accounts.db)
    path = queue_upload(settings, jobs, "job-1")
    fast = settings.model_copy(update={"worker_poll_seconds": 0.01})
    worker = IngestWorker(fast, accounts, HashingEmbedder(settings.hashing_dim), name="may-a:1")
    with VersionStore(settings.index_dir).lock():  # a removal or a CLI ingest in another process
        assert worker.run_once() is True
    job = jobs.get("job-1")
    assert job is not None and job.status == "queued" and path.is_file()
    assert worker.run_once() is True
    assert jobs.get("job-1").status == "done"  # type: ignore[union-attr]


def test_a_missing_upload_fails_the_job_saying_so(settings: Settings, accounts: AccountService) -> None:
    jobs = JobStore(accounts.db)
    path = queue_upload(settings, jobs, "job-1")
    path.unlink()
    worker = IngestWorker(settings, accounts, HashingEmbedder(settings.hashing_dim), name="may-a:1")
    assert worker.run_once() is True
    job = jobs.get("job-1")
    assert job is not None and job.status == "failed" and "thư mục chung" in job.result["failed"][0]["reason"]
