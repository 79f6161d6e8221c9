"""The FastAPI application factory; the lifespan loads models and the index, then watches for new versions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.accounts.errors import AuthenticationRequired, DirectoryUnavailable
from assistant.accounts.service import AccountService
from assistant.api.conversation_store import ConversationStore
from assistant.api.errors import ConversationNotFound, JobNotFound, PayloadTooLarge, RateLimited, UnsupportedUpload
from assistant.api.eval_jobs import EvalJobStore, EvalRunner
from assistant.api.feedback_store import FeedbackStore
from assistant.api.hardening import (
    BodyLimitMiddleware,
    IpRateLimitMiddleware,
    RequestLimitsMiddleware,
    SecurityHeadersMiddleware,
    StartupErrorMiddleware,
)
from assistant.api.ingest_jobs import IngestRunner
from assistant.api.observability import AnswerObserver, Metrics, ObservabilityMiddleware
from assistant.api.quiz_store import QuizStore
from assistant.api.ratelimit import RateLimits
from assistant.api.routes import (
    admin,
    ask,
    auth,
    chat,
    conversations,
    documents,
    evaluation,
    feedback,
    health,
    inspection,
    quiz,
    stream,
    widget,
)
from assistant.api.routes import (
    metrics as metrics_route,
)
from assistant.api.schemas import ErrorResponse
from assistant.errors import (
    AssistantError,
    BankNotFound,
    ConfigurationError,
    DocumentNotFound,
    IndexNotReady,
    InvalidRequest,
    NoQuizSource,
    PermissionDenied,
    UnsupportedDocument,
    VersionConflict,
)
from assistant.service import AssistantService
from assistant.settings import Settings

logger = logging.getLogger(__name__)

_STATUS: list[tuple[type[AssistantError], int, str]] = [
    (IndexNotReady, 503, "index_not_ready"),
    (DirectoryUnavailable, 503, "directory_unavailable"),
    (DocumentNotFound, 404, "not_found"),
    (JobNotFound, 404, "not_found"),
    (ConversationNotFound, 404, "not_found"),
    (BankNotFound, 404, "not_found"),
    (VersionConflict, 409, "conflict"),
    (NoQuizSource, 422, "no_source"),
    (AuthenticationRequired, 401, "unauthorized"),
    (RateLimited, 429, "rate_limited"),
    (PayloadTooLarge, 413, "payload_too_large"),
    (UnsupportedUpload, 415, "unsupported_media_type"),
    (UnsupportedDocument, 422, "unsupported_document"),
    (PermissionDenied, 403, "forbidden"),
    (InvalidRequest, 422, "invalid_request"),
    (ConfigurationError, 500, "configuration_error"),
]

# Validation errors are re-shaped by ``validation_error`` below; document that body, not FastAPI's default one.
_INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "Invalid request"},
    503: {"model": ErrorResponse, "description": "No index published yet"},
}


_HTTP_MESSAGES = {
    404: ("not_found", "Không có đường dẫn này. Xem tài liệu API tại /docs."),
    405: ("method_not_allowed", "Phương thức HTTP này không dùng được cho đường dẫn này. Xem tài liệu API tại /docs."),
    413: ("payload_too_large", "Nội dung yêu cầu quá lớn."),
}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


async def _watch_index(service: AssistantService, interval: float) -> None:
    """Swap in newly published index versions; requests in flight keep the version they started with."""
    while True:
        await asyncio.sleep(interval)
        try:
            await asyncio.to_thread(service.refresh_index)
        except AssistantError as exc:
            logger.error("could not load the new index version: %s", exc)


def create_app(
    settings: Settings | None = None,
    *,
    service: AssistantService | None = None,
    accounts: AccountService | None = None,
) -> FastAPI:
    """Build the app; ``service`` and ``accounts`` may be injected (tests), else they are built from ``settings``
    at startup (the accounts store is opened, the first admin created and old audit events purged)."""
    settings = settings or Settings()
    limits = RateLimits.from_settings(settings)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = accounts or AccountService(settings)
        await asyncio.to_thread(store.open)
        svc = service or AssistantService(settings)
        await asyncio.to_thread(svc.load)
        runner = IngestRunner(settings, svc, store)
        app.state.service = svc
        app.state.settings = settings
        app.state.accounts = store
        app.state.feedback = FeedbackStore(store.db)
        app.state.conversations = ConversationStore(store.db, keep=settings.conversations_kept)
        app.state.quiz = QuizStore(store.db)
        app.state.limits = limits
        app.state.ingest_runner = runner
        app.state.eval_runner = evaluations = EvalRunner(svc, EvalJobStore(store.db))
        metrics.watch_shelf(lambda: svc, runner.jobs.pending)
        watcher = asyncio.create_task(_watch_index(svc, settings.reload_check_seconds))
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            await asyncio.to_thread(runner.shutdown)
            await asyncio.to_thread(evaluations.shutdown)
            if accounts is None:
                store.close()

    app = FastAPI(
        title="Trợ lý công chức số",
        description="Hỏi đáp có trích dẫn trên văn bản hành chính, pháp luật (điểm/khoản/Điều, số hiệu, trang).",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.metrics = metrics
    app.state.observer = AnswerObserver(metrics, log_questions=settings.log_questions)
    app.include_router(health.router)
    app.include_router(metrics_route.router)
    app.include_router(widget.router)
    app.include_router(auth.router, responses=_INVALID)
    app.include_router(ask.router, responses=_INVALID)
    app.include_router(stream.router, responses=_INVALID)
    app.include_router(chat.router, responses=_INVALID)
    app.include_router(documents.router, responses=_INVALID)
    app.include_router(admin.router, responses=_INVALID)
    app.include_router(feedback.router, responses=_INVALID)
    app.include_router(conversations.router, responses=_INVALID)
    app.include_router(evaluation.router, responses=_INVALID)
    app.include_router(quiz.router, responses=_INVALID)
    app.include_router(inspection.router, responses=_INVALID)
    _add_middleware(app, settings, limits, metrics)

    @app.exception_handler(AssistantError)
    async def domain_error(request: Request, exc: AssistantError) -> JSONResponse:
        for cls, status, code in _STATUS:
            if isinstance(exc, cls):
                if status >= 500:
                    logger.error("%s on %s: %s", code, request.url.path, exc)
                headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
                if isinstance(exc, RateLimited):
                    headers = {"Retry-After": str(exc.retry_after)}
                return _error(status, code, str(exc), headers)
        return _error(400, "bad_request", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", str(exc.detail)))
        if exc.status_code == 413 and isinstance(exc.detail, str) and exc.detail.startswith("Nội dung"):
            message = exc.detail
        return _error(exc.status_code, code, message, dict(exc.headers or {}) or None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            problems.append(f"trường '{where}': {err.get('msg', 'không hợp lệ')}")
        message = "Yêu cầu không hợp lệ — " + "; ".join(problems) + ". Xem tài liệu API tại /docs."
        return _error(422, "invalid_request", message)

    return app


def _add_middleware(app: FastAPI, settings: Settings, limits: RateLimits, metrics: Metrics) -> None:
    """Outermost first on the way in: start-up errors as one line, request id and metrics, CORS, security headers,
    request line and header limits, body size limit, rate limit per client address."""
    app.add_middleware(IpRateLimitMiddleware, limiter=limits.ip)
    app.add_middleware(
        BodyLimitMiddleware, max_body=settings.max_body_kb * 1024, max_upload=settings.max_file_bytes + 1024 * 1024
    )
    app.add_middleware(
        RequestLimitsMiddleware, max_url=settings.max_url_kb * 1024, max_headers=settings.max_headers_kb * 1024
    )
    app.add_middleware(SecurityHeadersMiddleware, frame_origins=tuple(settings.cors_origins))
    if settings.cors_origins:  # closed by default: no CORS headers at all
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Retry-After"],
            allow_credentials=False,
            max_age=600,
        )
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    app.add_middleware(StartupErrorMiddleware)
