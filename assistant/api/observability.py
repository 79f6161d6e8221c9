"""What an operator watches: Prometheus metrics at /metrics and one structured log line per request.

Metrics (a registry per app, so several apps in one process do not mix):

- ``assistant_http_requests_total{method,route,status}`` and ``assistant_http_request_seconds{method,route}``:
  the route is the template (``/v1/documents/{doc_id}``), never the raw path, so ids make no new series;
- ``assistant_ask_stage_seconds{stage}``: normalize, retrieval, assess, compose and total of each answer;
- ``assistant_answers_total{abstained}``: answered vs. "no basis" (the abstention rate is their ratio);
- ``assistant_index_chunks``, ``assistant_index_documents``, ``assistant_index_info{version,embedder}``;
- ``assistant_ingest_jobs_pending``: uploads queued or being ingested (from the store: every replica agrees).

Every response carries ``X-Request-ID`` (the caller's, when it is a plain token of ≤ 64 characters, else a new
one); log records made while a request runs carry it. The request line logs the method, the route template,
status and time: no query string, no body, no token. Question text reaches the log only when
``ASSISTANT_LOG_QUESTIONS`` is on.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.service import AskResult, AssistantService

logger = logging.getLogger("assistant.requests")
REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_STAGES = {"normalize_ms": "normalize", "assess_ms": "assess", "compose_ms": "compose", "total_ms": "total"}


class _ShelfCollector(Collector):
    """The served index and the ingest queue, read when Prometheus scrapes."""

    def __init__(self, service: Callable[[], AssistantService | None], pending: Callable[[], int]) -> None:
        self.service = service
        self.pending = pending

    def collect(self) -> Iterator[Any]:
        service = self.service()
        info = service.index_info() if service is not None else None
        chunks = GaugeMetricFamily("assistant_index_chunks", "Chunks in the served index version")
        documents = GaugeMetricFamily("assistant_index_documents", "Documents in the served index version")
        chunks.add_metric([], info.chunks if info else 0)
        documents.add_metric([], info.documents if info else 0)
        yield chunks
        yield documents
        if info is not None and service is not None:
            version = InfoMetricFamily("assistant_index", "The served index version")
            version.add_metric([], {"version": info.version, "embedder": service.embedder.name})
            yield version
        pending = GaugeMetricFamily("assistant_ingest_jobs_pending", "Uploads queued or being ingested")
        pending.add_metric([], self.pending())
        yield pending


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "assistant_http_requests", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "assistant_http_request_seconds", "HTTP request time", ["method", "route"], buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )  # fmt: skip
        self.stages = Histogram(
            "assistant_ask_stage_seconds", "Time of each stage of an answer", ["stage"], buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )  # fmt: skip
        self.answers = Counter("assistant_answers", "Answers given", ["abstained"], registry=self.registry)
        self._shelf: _ShelfCollector | None = None

    def watch_shelf(self, service: Callable[[], AssistantService | None], pending: Callable[[], int]) -> None:
        """Report this service's index and this store's ingest queue (again at each start of the app)."""
        if self._shelf is not None:
            self.registry.unregister(self._shelf)
        self._shelf = _ShelfCollector(service, pending)
        self.registry.register(self._shelf)

    def observe_answer(self, result: AskResult) -> None:
        timings = result.timings_ms
        for key, stage in _STAGES.items():
            if key in timings:
                self.stages.labels(stage).observe(timings[key] / 1000)
        if "total_ms" in timings:
            spent = sum(timings.get(k, 0.0) for k in ("normalize_ms", "assess_ms", "compose_ms"))
            self.stages.labels("retrieval").observe(max(0.0, timings["total_ms"] - spent) / 1000)
        self.answers.labels("true" if result.answer.abstained else "false").inc()


class AnswerObserver:
    """Counts and times each answer; logs its question only when an admin turned ``log_questions`` on."""

    def __init__(self, metrics: Metrics, *, log_questions: bool) -> None:
        self.metrics = metrics
        self.log_questions = log_questions

    def observe(self, question: str, result: AskResult) -> None:
        self.metrics.observe_answer(result)
        if self.log_questions:
            logging.getLogger("assistant.questions").info(
                "question", extra={"question": question, "abstained": result.answer.abstained}
            )


class ObservabilityMiddleware:
    """Request id in and out, the request counted and timed by route template, one log line per request."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"x-request-id"), "")
        request_id = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope.get("method", "")
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(seconds)
            logger.info(
                "%s %s %d %.1f ms", method, route, status, seconds * 1000,
                extra={"method": method, "route": route, "status": status, "ms": round(seconds * 1000, 1)},
            )  # fmt: skip
            REQUEST_ID.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (empty outside a request) to every record, and ``request_tag`` (" [id]" or nothing) for
    the plain-text format."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = REQUEST_ID.get()
        record.request_id = request_id
        record.request_tag = f" [{request_id}]" if request_id else ""
        return True


_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message", "asctime", "request_id", "request_tag",
}  # fmt: skip


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        body.update({k: v for k, v in vars(record).items() if k not in _RESERVED and not k.startswith("_")})
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False, default=str)


def configure_logging(*, json_lines: bool, level: int = logging.INFO) -> None:
    """The root handler for a served process: JSON lines or plain text, each record with its request id."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(name)s%(request_tag)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
