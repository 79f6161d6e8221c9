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
from fastapi.responses import JSONResponse

from assistant.api.routes import ask, documents, health
from assistant.api.schemas import ErrorResponse
from assistant.errors import (
    AssistantError,
    ConfigurationError,
    DocumentNotFound,
    IndexNotReady,
    InvalidRequest,
    PermissionDenied,
)
from assistant.service import AssistantService
from assistant.settings import Settings

logger = logging.getLogger(__name__)

_STATUS: list[tuple[type[AssistantError], int, str]] = [
    (IndexNotReady, 503, "index_not_ready"),
    (DocumentNotFound, 404, "not_found"),
    (PermissionDenied, 403, "forbidden"),
    (InvalidRequest, 422, "invalid_request"),
    (ConfigurationError, 500, "configuration_error"),
]

# Validation errors are re-shaped by ``validation_error`` below; document that body, not FastAPI's default one.
_INVALID: dict[int | str, dict[str, Any]] = {422: {"model": ErrorResponse, "description": "Invalid request"}}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def _watch_index(service: AssistantService, interval: float) -> None:
    """Swap in newly published index versions; requests in flight keep the version they started with."""
    while True:
        await asyncio.sleep(interval)
        try:
            await asyncio.to_thread(service.refresh_index)
        except AssistantError as exc:
            logger.error("could not load the new index version: %s", exc)


def create_app(settings: Settings | None = None, *, service: AssistantService | None = None) -> FastAPI:
    """Build the app; ``service`` may be injected (tests), else it is built from ``settings`` at startup."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        svc = service or AssistantService(settings)
        await asyncio.to_thread(svc.load)
        app.state.service = svc
        app.state.settings = settings
        watcher = asyncio.create_task(_watch_index(svc, settings.reload_check_seconds))
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    app = FastAPI(
        title="Trợ lý công chức số",
        description="Hỏi đáp có trích dẫn trên văn bản hành chính, pháp luật (điểm/khoản/Điều, số hiệu, trang).",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    app.include_router(ask.router, responses=_INVALID)
    app.include_router(documents.router, responses=_INVALID)

    @app.exception_handler(AssistantError)
    async def domain_error(request: Request, exc: AssistantError) -> JSONResponse:
        for cls, status, code in _STATUS:
            if isinstance(exc, cls):
                if status >= 500:
                    logger.error("%s on %s: %s", code, request.url.path, exc)
                return _error(status, code, str(exc))
        return _error(400, "bad_request", str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            problems.append(f"trường '{where}': {err.get('msg', 'không hợp lệ')}")
        message = "Yêu cầu không hợp lệ — " + "; ".join(problems) + ". Xem tài liệu API tại /docs."
        return _error(422, "invalid_request", message)

    return app
