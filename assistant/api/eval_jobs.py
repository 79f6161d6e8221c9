"""Evaluation runs an admin starts from the UI or the API: a question set asked of the shelf being served, in the
background, one question after another through the same ask path as /v1/ask (``eval.runner``). Progress and
figures are kept in the accounts database, so any API process reports them; one run at a time per process.

The figures are the eval harness's own (``eval.runner.summarize``); only the headline ones and the questions
that missed are kept with the job. ``assistant eval run`` remains the full harness (its own index, reports).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from assistant.accounts.db import Database
from assistant.accounts.models import EvalJob, utcnow
from assistant.service import AssistantService
from eval.datasets import EvalQuestion
from eval.runner import CONFIGS, evaluate_question, summarize

logger = logging.getLogger(__name__)

HEADLINE = (
    "n", "n_answerable", "recall@1", "recall@5", "mrr@10", "citation_precision", "citation_recall",
    "abstain_recall", "false_abstain_rate", "abstain_auc", "abstain_catch_at_10fa", "english_recall@5",
    "latency_p50_ms", "latency_p95_ms",
)  # fmt: skip
MAX_MISSES = 50
PROGRESS_EVERY_SECONDS = 0.5
_STOPPED = "máy chủ API đã dừng trước khi lượt đánh giá chạy xong; hãy chạy lại"


class _Stopped(Exception):
    """The API process is shutting down."""


@dataclass(frozen=True)
class EvalJobInfo:
    id: str
    username: str
    label: str
    status: str  # queued | running | done | failed
    configs: tuple[str, ...]
    done: int
    total: int
    created: dt.datetime
    finished: dt.datetime | None
    result: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, row: EvalJob) -> EvalJobInfo:
        return cls(
            row.id, row.username, row.label, row.status, tuple(row.configs), row.done, row.total, row.created,
            row.finished, dict(row.result),
        )  # fmt: skip


class EvalJobStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, *, username: str, label: str, configs: Sequence[str], total: int) -> EvalJobInfo:
        row = EvalJob(
            id=secrets.token_hex(8), username=username, label=label[:200], status="queued", created=utcnow(),
            configs=list(configs), done=0, total=total, result={},
        )  # fmt: skip
        with self.db.session() as session:
            session.add(row)
            session.flush()
            return EvalJobInfo.of(row)

    def update(
        self, job_id: str, *, status: str, done: int | None = None, result: dict[str, Any] | None = None
    ) -> None:
        with self.db.session() as session:
            row = session.get(EvalJob, job_id)
            if row is None:
                raise KeyError(job_id)
            row.status = status
            if done is not None:
                row.done = done
            if result is not None:
                row.result = result
            if status in ("done", "failed"):
                row.finished = utcnow()

    def get(self, job_id: str) -> EvalJobInfo | None:
        with self.db.session() as session:
            row = session.get(EvalJob, job_id)
            return EvalJobInfo.of(row) if row else None

    def recent(self, *, limit: int = 20) -> list[EvalJobInfo]:
        query = select(EvalJob).order_by(EvalJob.created.desc(), EvalJob.id).limit(limit)
        with self.db.session() as session:
            return [EvalJobInfo.of(row) for row in session.scalars(query)]


def headline(metrics: dict[str, Any]) -> dict[str, float]:
    return {key: round(float(metrics[key]), 4) for key in HEADLINE if key in metrics}


def misses(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The questions the product configuration got wrong: an answerable one whose gold was not found first or that
    was refused, and an unanswerable one that was answered."""
    out = []
    for row in rows:
        if row["answerable"] and (row["rank"] != 1 or row["abstained"]):
            why = "abstained" if row["abstained"] else "not_first" if row["rank"] else "not_found"
        elif not row["answerable"] and not row["abstained"]:
            why = "answered_without_basis"
        else:
            continue
        out.append({"qid": row["qid"], "question": row["question"][:300], "why": why, "rank": row["rank"]})
    return out[:MAX_MISSES]


class EvalRunner:
    """Runs queued evaluations one at a time on a worker thread, beside the requests the service answers."""

    def __init__(self, service: AssistantService, store: EvalJobStore) -> None:
        self.service = service
        self.store = store
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eval")
        self._stopping = threading.Event()
        self._queued: set[str] = set()
        self._lock = threading.Lock()

    def submit(
        self, questions: Sequence[EvalQuestion], configs: Sequence[str], *, username: str, label: str
    ) -> tuple[EvalJobInfo, Future[None]]:
        job = self.store.create(username=username, label=label, configs=configs, total=len(questions) * len(configs))
        with self._lock:
            self._queued.add(job.id)
        return job, self._executor.submit(self._run, job.id, list(questions), list(configs))

    def shutdown(self) -> None:
        """Stop between two questions: the running job is reported failed, queued ones never start."""
        self._stopping.set()
        self._executor.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            never_started, self._queued = self._queued, set()
        for job_id in never_started:
            self.store.update(job_id, status="failed", result={"error": _STOPPED})

    def _run(self, job_id: str, questions: list[EvalQuestion], configs: list[str]) -> None:
        with self._lock:
            self._queued.discard(job_id)
        done, last = 0, 0.0
        try:
            self.store.update(job_id, status="running", done=0)
            metrics: dict[str, dict[str, float]] = {}
            missed: list[dict[str, Any]] = []
            for name in configs:
                rows = []
                for question in questions:
                    if self._stopping.is_set():
                        raise _Stopped(_STOPPED)
                    rows.append(evaluate_question(self.service, question, name, CONFIGS[name]))
                    done += 1
                    if time.monotonic() - last >= PROGRESS_EVERY_SECONDS:
                        self.store.update(job_id, status="running", done=done)
                        last = time.monotonic()
                metrics[name] = headline(summarize(rows))
                if name == configs[0]:
                    missed = misses(rows)
            index_version = self.service.holder.get().version
            result = {"metrics": metrics, "misses": missed, "index_version": index_version}
            self.store.update(job_id, status="done", done=done, result=result)
        except _Stopped as exc:
            self.store.update(job_id, status="failed", done=done, result={"error": str(exc)})
        except Exception as exc:  # the job reports it; the API process carries on
            logger.exception("evaluation %s failed", job_id)
            self.store.update(job_id, status="failed", done=done, result={"error": f"{type(exc).__name__}: {exc}"})
