"""``assistant worker``: ingests the uploads that any API replica queued, in a process of its own.

With ``ASSISTANT_INGEST_WORKER=true`` an API replica only stores the uploaded file under the shared data folder
and queues the job in the accounts store (SQLite, or PostgreSQL for several machines). Workers take jobs one at a
time: a queued job is claimed by one worker only (a conditional UPDATE), and a worker holding a job writes a
heartbeat. A job whose worker stopped (killed, machine lost) has no heartbeat for ``worker_lease_seconds``; the
next worker takes it again, up to ``worker_max_attempts`` times. Publishing an index version is atomic (the
pipeline's lock and version swap), so a worker killed mid-job leaves the previous version served and nothing
half-published; the retry finds the file again in its job folder. Every replica swaps to the new version on its
index watch (``reload_check_seconds``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from assistant.accounts.service import AccountService
from assistant.api.ingest_jobs import ingest_job
from assistant.api.job_store import Claim, JobStore
from assistant.embedding.factory import create_embedder
from assistant.index.versions import IngestLocked
from assistant.settings import Settings
from assistant.types import Embedder

logger = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class IngestWorker:
    def __init__(self, settings: Settings, accounts: AccountService, embedder: Embedder, *, name: str = "") -> None:
        self.settings = settings
        self.accounts = accounts
        self.embedder = embedder
        self.jobs = JobStore(accounts.db)
        self.name = name or worker_name()
        self.stopping = threading.Event()

    def run_once(self) -> bool:
        """Take one job and ingest it; False when there was none to take."""
        claim = self.jobs.claim(
            self.name, lease_seconds=self.settings.worker_lease_seconds, max_attempts=self.settings.worker_max_attempts
        )
        if claim is None:
            return False
        logger.info("job %s (%s), attempt %d", claim.job_id, claim.filename, claim.attempts)
        beating = threading.Event()
        heart = threading.Thread(target=self._beat, args=(claim, beating), name="heartbeat", daemon=True)
        heart.start()
        try:
            path = self.settings.uploads_dir / claim.job_id / claim.filename
            if not path.is_file():
                gone = {"file": claim.filename, "reason": "tệp tải lên không còn trong thư mục chung"}
                self.jobs.update(claim.job_id, status="failed", result={"failed": [gone]})
                return True
            try:
                ingest_job(self.settings, self.embedder, self.accounts, self.jobs, claim.job_id, path, claim.username)
            except IngestLocked:  # a removal or a CLI ingest holds the index: back in the queue, taken again soon
                self.jobs.requeue(claim.job_id)
                self.stopping.wait(self.settings.worker_poll_seconds)
        finally:
            beating.set()
            heart.join()
        return True

    def run(self) -> None:
        """Until stopped: take jobs as they come, waiting ``worker_poll_seconds`` when there are none."""
        logger.info("worker %s: taking ingest jobs from %s", self.name, self.accounts.db.url.render_as_string())
        while not self.stopping.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the store went away for a moment: try again, do not die
                logger.exception("worker %s: could not take a job", self.name)
                busy = False
            if not busy:
                self.stopping.wait(self.settings.worker_poll_seconds)

    def _beat(self, claim: Claim, done: threading.Event) -> None:
        every = max(0.2, self.settings.worker_lease_seconds / 3)
        while not done.wait(every):
            self.jobs.heartbeat(claim.job_id, self.name)


def serve_worker(settings: Settings) -> None:
    accounts = AccountService(settings)
    accounts.open()
    embedder = create_embedder(settings)
    embedder.load()
    worker = IngestWorker(settings, accounts, embedder)
    try:
        worker.run()
    finally:
        accounts.close()
