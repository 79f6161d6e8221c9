"""Source links: the browser opens ``source/<doc_id>?t=<ticket>#page=N`` on the UI server, which fetches the file
from the API with the session's token and passes it on; ``source/<doc_id>/read?t=…&c=<chunk_id>`` shows the
document's text with the cited clause highlighted (``ui.reader``).

The API token never reaches the browser. A ticket is a random, unguessable key that the UI process maps to
(token, document) for ``source_link_minutes``; it opens only that document, only while the session that asked
for it could open it itself (the API checks the token and the document's visibility on every fetch). The file
keeps the API's Content-Type, Content-Disposition (inline) and Content-Security-Policy (non-PDF files are
sandboxed), so an uploaded HTML document cannot run script in the UI's origin.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import quote as quote_url

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from ui.client import ApiClient, ApiError
from ui.reader import CITED_ID, READER_CSP, render_reader
from ui.strings import LANGUAGES, error_text

MAX_TICKETS = 20_000
_SECURITY_HEADERS = {"cache-control": "no-store", "referrer-policy": "no-referrer", "x-content-type-options": "nosniff"}


@dataclass(frozen=True)
class _Grant:
    token: str | None
    doc_id: str
    expires: float
    quote: str = ""  # the cited excerpt, marked in the reading view
    label: str = ""  # where it is cited ("khoản 1 Điều 3"), the reading view's title of the cited part


class SourceLinks:
    """Issues and resolves tickets; thread-safe (Gradio runs handlers in a thread pool)."""

    def __init__(self, ttl_seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if ttl_seconds <= 0:
            raise ValueError(f"ttl_seconds must be > 0, got {ttl_seconds}")
        self.ttl = ttl_seconds
        self.clock = clock
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()

    def issue(self, token: str | None, doc_id: str, quote: str = "", label: str = "") -> str:
        now = self.clock()
        ticket = secrets.token_urlsafe(24)
        with self._lock:
            if len(self._grants) >= MAX_TICKETS:
                self._grants = {k: g for k, g in self._grants.items() if g.expires > now}
                while len(self._grants) >= MAX_TICKETS:
                    self._grants.pop(next(iter(self._grants)))
            self._grants[ticket] = _Grant(token, doc_id, now + self.ttl, quote[:2000], label[:200])
        return ticket

    def url(self, token: str | None, doc_id: str, page: int | None = None) -> str:
        """A relative link (it works wherever the UI is mounted) to the source, at ``page`` for a PDF viewer."""
        fragment = f"#page={page}" if page else ""
        return f"source/{quote_url(doc_id, safe='')}?t={self.issue(token, doc_id)}{fragment}"

    def reader_url(
        self, token: str | None, doc_id: str, chunk_id: str, *, quote: str = "", label: str = "", lang: str = "vi"
    ) -> str:
        """A relative link to the reading view: the document's text with ``chunk_id`` highlighted and in view."""
        ticket = self.issue(token, doc_id, quote, label)
        return (
            f"source/{quote_url(doc_id, safe='')}/read?t={ticket}&c={quote_url(chunk_id, safe='')}&l={lang}#{CITED_ID}"
        )

    def resolve(self, ticket: str, doc_id: str) -> _Grant | None:
        with self._lock:
            grant = self._grants.get(ticket)
        if grant is None or grant.doc_id != doc_id or grant.expires <= self.clock():
            return None
        return grant


_EXPIRED = (
    "Liên kết này đã hết hạn hoặc không hợp lệ. Hãy quay lại trang hỏi đáp và bấm lại vào trích dẫn để mở văn bản. "
    "/ This link has expired: press the citation again in the assistant."
)


def _page(status: int, message: str) -> HTMLResponse:
    body = (
        '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Trợ lý công chức số</title>'
        f'<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">'
        f"<h1>Không mở được văn bản</h1><p>{escape(message)}</p></body></html>"
    )
    return HTMLResponse(body, status_code=status, headers=_SECURITY_HEADERS)


def _api_error_page(exc: ApiError, lang: str, client: ApiClient) -> HTMLResponse:
    """The API's refusal (its status; 502 when it did not answer) as a page that says what to do."""
    status = exc.status if 400 <= exc.status < 600 else 502
    return _page(status, error_text(lang, exc.code, exc.message, api_url=client.base_url))


def source_router(client: ApiClient, links: SourceLinks) -> APIRouter:
    """``GET /source/{doc_id}?t=<ticket>``: the document's original file, fetched with the ticket's token."""
    router = APIRouter()

    @router.get("/source/{doc_id}", include_in_schema=False)
    def source(doc_id: str, t: str = "") -> Response:
        grant = links.resolve(t, doc_id)
        if grant is None:
            return _page(403, _EXPIRED)
        try:
            file = client.source(doc_id, grant.token)
        except ApiError as exc:
            return _api_error_page(exc, "vi", client)
        headers = {**file.headers, **_SECURITY_HEADERS}
        headers.pop("content-type", None)
        media_type = file.headers.get("content-type", "application/octet-stream")
        return Response(file.content, media_type=media_type, headers=headers)

    @router.get("/source/{doc_id}/read", include_in_schema=False)
    def read(doc_id: str, t: str = "", c: str = "", l: str = "vi") -> Response:  # noqa: E741
        """The reading view: the cited clause highlighted in the document's text, the original one click away."""
        lang = l if l in LANGUAGES.values() else "vi"
        grant = links.resolve(t, doc_id)
        if grant is None:
            return _page(403, _EXPIRED)
        try:
            document = client.document_text(doc_id, grant.token)
        except ApiError as exc:
            return _api_error_page(exc, lang, client)
        cited = next((p for p in document.parts if p.chunk_id == c), None)
        page = f"#page={cited.page}" if cited and cited.page and document.source_format == "pdf" else ""
        original = f"../{quote_url(doc_id, safe='')}?t={t}{page}"
        html = render_reader(document, c, original, lang, grant.quote, grant.label)
        return HTMLResponse(html, headers={**_SECURITY_HEADERS, "content-security-policy": READER_CSP})

    return router
