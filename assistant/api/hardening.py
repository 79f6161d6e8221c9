"""ASGI middleware at the edge: security headers, request line/header and body size limits, rate limit per client
address, and a start-up failure reported as one line; plus the HTTP server options these limits need."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import RateLimited
from assistant.api.ratelimit import Limiter
from assistant.errors import AssistantError
from assistant.settings import Settings

SOURCE_ROUTE = re.compile(r"^/v1/documents/[^/]+/source$")
UPLOAD_ROUTE = "/v1/documents"
_DOCS_ROUTES = ("/docs", "/redoc", "/docs/oauth2-redirect")
JSON_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


async def send_error(send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """nosniff, no referrer, no caching of /v1 answers, no framing — except the source route, which a page of
    the same origin (or of a configured UI origin) may frame, and whose non-PDF files are sandboxed."""

    def __init__(self, app: ASGIApp, *, frame_origins: list[str] | tuple[str, ...] = ()) -> None:
        self.app = app
        self.frame_ancestors = " ".join(["'self'", *frame_origins])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                if path.startswith("/v1/"):
                    headers["Cache-Control"] = "no-store"
                if SOURCE_ROUTE.match(path) and message["status"] == 200:
                    csp = f"frame-ancestors {self.frame_ancestors}"
                    if not headers.get("content-type", "").startswith("application/pdf"):
                        # HTML or text from a document must never run as a page of this origin.
                        csp = f"sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; {csp}"
                    headers["Content-Security-Policy"] = csp
                else:
                    headers["X-Frame-Options"] = "DENY"
                    docs = path in _DOCS_ROUTES
                    headers["Content-Security-Policy"] = "frame-ancestors 'none'" if docs else JSON_CSP
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its limit (FastAPI re-raises HTTPExceptions)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=too_large_message(limit))


def too_large_message(limit: int) -> str:
    size = f"{limit / (1024 * 1024):.1f} MB" if limit >= 1024 * 1024 else f"{max(1, limit // 1024)} KB"
    return f"Nội dung yêu cầu quá lớn (giới hạn {size}). Hãy gửi tệp hoặc nội dung nhỏ hơn."


class BodyLimitMiddleware:
    """413 when the body is over its limit: at once from Content-Length, or while streaming a chunked body."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == UPLOAD_ROUTE
        limit = self.max_upload if upload else self.max_body
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await send_error(send, 413, "payload_too_large", too_large_message(limit))
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await send_error(send, 413, "payload_too_large", too_large_message(limit))


class IpRateLimitMiddleware:
    """429 with Retry-After when one client address sends too many /v1 requests (probes are not limited)."""

    def __init__(self, app: ASGIApp, *, limiter: Limiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith("/v1/"):
            client = scope.get("client")
            wait = self.limiter.hit(f"ip:{client[0] if client else 'unknown'}")
            if wait > 0:
                error = RateLimited(max(1, int(wait + 0.999)))
                await send_error(send, 429, "rate_limited", str(error), {"Retry-After": str(error.retry_after)})
                return
        await self.app(scope, receive, send)


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn options for ``uvicorn.run``: h11 buffers request heads up to ``max_request_head_kb`` (its default,
    16 KB, drops a longer URL with a bare 400 and a reset connection), so RequestLimitsMiddleware can answer
    anything between the limits and that size with 414/431 and a JSON body. The client's address is taken from
    X-Forwarded-For only when the peer is one of ``forwarded_allow_ips`` (the load balancer)."""
    return {
        "h11_max_incomplete_event_size": settings.max_request_head_kb * 1024,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
    }


class RequestLimitsMiddleware:
    """414 when the request target (path and query) is over ``max_url`` bytes, 431 when the headers together are
    over ``max_headers`` bytes; both with the JSON error body and before any route runs."""

    def __init__(self, app: ASGIApp, *, max_url: int, max_headers: int) -> None:
        self.app = app
        self.max_url = max_url
        self.max_headers = max_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = len(scope.get("raw_path") or scope.get("path", "").encode()) + len(scope.get("query_string", b""))
        if target > self.max_url:
            message = (
                f"Đường dẫn yêu cầu quá dài ({target // 1024} KB, giới hạn {self.max_url // 1024} KB). "
                "Hãy gửi dữ liệu dài trong thân yêu cầu (POST) thay vì trên URL."
            )
            await send_error(send, 414, "uri_too_long", message, {"Connection": "close"})
            return
        size = sum(len(name) + len(value) + 4 for name, value in scope.get("headers", []))
        if size > self.max_headers:
            message = (
                f"Tiêu đề yêu cầu quá lớn ({size // 1024} KB, giới hạn {self.max_headers // 1024} KB). "
                "Hãy bớt cookie hoặc tiêu đề không cần thiết rồi gửi lại."
            )
            await send_error(send, 431, "request_header_fields_too_large", message, {"Connection": "close"})
            return
        await self.app(scope, receive, send)


class StartupErrorMiddleware:
    """A start-up refused for a known reason (e.g. a weak ASSISTANT_ADMIN_PASSWORD) is reported to the server as
    that one line, not as a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold_failure(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed":
                held.append(message)
                return
            await send(message)

        try:
            await self.app(scope, receive, hold_failure)
        except AssistantError as exc:
            if held:
                await send({"type": "lifespan.startup.failed", "message": f"Lỗi: {exc}"})
            raise
        except BaseException:
            for message in held:
                await send(message)
            raise
        for message in held:
            await send(message)
