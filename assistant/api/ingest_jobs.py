"""Runs admin uploads and removals through the ingest pipeline, one at a time, off the request threads.

After a job publishes a new index version the served snapshot is refreshed at once, so the new document is
answerable by the next request of this process (other processes pick it up on their index watch). With
``ingest_worker`` on, uploads are only queued here and ``assistant worker`` runs them (``ingest_worker.py``);
removals, restores and rollbacks stay quick synchronous calls of the API.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from assistant.accounts.audit import Action
from assistant.accounts.service import AccountService
from assistant.api.job_store import JobStore
from assistant.api.uploads import access_vocabulary
from assistant.errors import AssistantError, DocumentNotFound
from assistant.index.versions import IngestLocked, VersionStore
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import Embedder
from ingest.pipeline import IngestPipeline
from ingest.trash import TrashBin, restore_document

logger = logging.getLogger(__name__)


def ingest_job(
    settings: Settings, embedder: Embedder, accounts: AccountService, jobs: JobStore, job_id: str, path: Path,
    username: str, *, on_published: Callable[[], None] | None = None,
) -> None:  # fmt: skip
    """Ingest the uploaded ``path`` as job ``job_id`` and record its outcome (the job ends done or failed and its
    folder is removed), except when another process holds the index: IngestLocked is raised, the folder kept."""
    jobs.update(job_id, status="running")
    try:
        vocabulary = access_vocabulary(accounts.tree)  # the same unit and role checks as the upload route
        report = IngestPipeline(settings, embedder, progress=False, vocabulary=vocabulary).ingest_paths([path])
        result = report.as_dict()
        result["failed"] = [{"file": Path(f.path).name, "reason": f.reason} for f in report.failed]
        result["files"] = [{**f, "path": Path(f["path"]).name} for f in result["files"]]  # no server paths
        result["warnings"] = [w for f in report.files for w in f.warnings]
        status = "failed" if report.failed or not (report.ingested or report.replaced or report.skipped) else "done"
        if (report.ingested or report.replaced) and on_published is not None:
            on_published()
        jobs.update(job_id, status=status, result=result)
        accounts.audit.record(
            username,
            Action.DOCUMENT_UPLOAD,
            {"job": job_id, "file": path.name, "status": status, "doc_ids": report.ingested + report.replaced},
        )
    except IngestLocked:
        raise
    except Exception as exc:  # the job must end in a state the admin can read, whatever went wrong
        logger.exception("ingest job %s failed", job_id)
        reason = str(exc) if isinstance(exc, AssistantError) else f"lỗi không mong đợi ({type(exc).__name__})"
        jobs.update(job_id, status="failed", result={"failed": [{"file": path.name, "reason": reason}]})
    shutil.rmtree(path.parent, ignore_errors=True)


class IngestRunner:
    """A single worker thread: ingests never run concurrently in one process (the index lock covers processes)."""

    def __init__(self, settings: Settings, service: AssistantService, accounts: AccountService) -> None:
        self.settings = settings
        self.service = service
        self.accounts = accounts
        self.jobs = JobStore(accounts.db)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

    @staticmethod
    def new_job_id() -> str:
        return uuid.uuid4().hex

    def job_folder(self, job_id: str) -> Path:
        return self.settings.uploads_dir / job_id

    def submit(self, job_id: str, path: Path, *, username: str) -> Future[None] | None:
        """Queue the ingest of ``path`` (already stored in the job folder) as job ``job_id``: on this process's
        worker thread, or for ``assistant worker`` when ``ingest_worker`` is on (then None)."""
        self.jobs.create(job_id, username=username, filename=path.name)
        if self.settings.ingest_worker:
            return None
        return self._executor.submit(self._ingest, job_id, path, username)

    def remove(self, doc_id: str, *, username: str, reason: str = "") -> dict[str, Any]:
        """Move a document to the trash now (queued behind running uploads); DocumentNotFound when not indexed."""
        return self._executor.submit(self._remove, doc_id, username, reason).result()

    def restore(self, doc_id: str, *, username: str) -> dict[str, Any]:
        """Put a document back from the trash (queued like removals); NotInTrash, TrashConflict otherwise."""
        return self._executor.submit(self._restore, doc_id, username).result()

    def rollback(self, version: str, *, username: str) -> dict[str, Any]:
        """Publish the kept index ``version`` again as the current one; UnknownVersion when it is not kept."""
        return self._executor.submit(self._rollback, version, username).result()

    def purge_trash(self, *, username: str) -> list[str]:
        """Delete the trash entries past the retention period; returns their document ids."""
        return self._executor.submit(self._purge_trash, username).result()

    def trash(self) -> TrashBin:
        return TrashBin(self.settings.data_dir / "trash", self.settings.trash_retention_days)

    def versions(self) -> VersionStore:
        return VersionStore(
            self.settings.index_dir,
            keep=self.settings.keep_versions,
            grace_seconds=self.settings.version_grace_minutes * 60,
        )

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=False)

    # -- worker ------------------------------------------------------------------------------------
    def _pipeline(self) -> IngestPipeline:
        vocabulary = access_vocabulary(self.accounts.tree)  # the same unit and role checks as the upload route
        return IngestPipeline(self.settings, self.service.embedder, progress=False, vocabulary=vocabulary)

    def _ingest(self, job_id: str, path: Path, username: str) -> None:
        try:
            ingest_job(
                self.settings, self.service.embedder, self.accounts, self.jobs, job_id, path, username,
                on_published=self._refresh,
            )  # fmt: skip
        except IngestLocked as exc:  # another process (a CLI ingest) holds the index: say so, do not wait
            self.jobs.update(job_id, status="failed", result={"failed": [{"file": path.name, "reason": str(exc)}]})
            shutil.rmtree(self.job_folder(job_id), ignore_errors=True)

    def _remove(self, doc_id: str, username: str, reason: str) -> dict[str, Any]:
        report = self._pipeline().remove([doc_id], actor=username, reason=reason)
        if not report.removed:
            raise DocumentNotFound(doc_id)
        self._refresh()
        detail = {"doc_id": doc_id, "version": report.version, "reason": reason, "trash": True}
        self.accounts.audit.record(username, Action.DOCUMENT_REMOVE, detail)
        return {"removed": report.removed, "version": report.version}

    def _restore(self, doc_id: str, username: str) -> dict[str, Any]:
        report, entry = restore_document(self._pipeline(), doc_id)
        self._refresh()
        detail = {
            "doc_id": doc_id,
            "version": report.version,
            "removed_by": entry.removed_by,
            "embedded": report.embedded,
        }
        self.accounts.audit.record(username, Action.DOCUMENT_RESTORE, detail)
        return {
            "restored": doc_id,
            "version": report.version,
            "chunks": report.chunks_added,
            "embedded": report.embedded,
        }

    def _rollback(self, version: str, username: str) -> dict[str, Any]:
        info = self.versions().rollback(version, expected_embedder=self.service.embedder.name)
        self._refresh()
        self.accounts.audit.record(username, Action.INDEX_ROLLBACK, {"to": version, "version": info.version})
        return {"version": info.version, "rolled_back_from": version}

    def _purge_trash(self, username: str) -> list[str]:
        purged = [e.doc_id for e in self.trash().purge_expired()]
        self.accounts.audit.record(username, Action.TRASH_PURGE, {"doc_ids": purged})
        return purged

    def _refresh(self) -> None:
        try:
            self.service.refresh_index()
        except AssistantError as exc:
            logger.error("published a new index version but could not load it: %s", exc)
