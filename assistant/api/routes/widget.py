"""GET /widget.js: the chat box a portal page embeds with one ``<script>`` tag (``assistant/resources/widget.js``).

The box asks ``POST /v1/ask`` of this API as an anonymous caller, so only public documents answer; a browser lets
it do so only from the origins in ``ASSISTANT_CORS_ORIGINS`` (closed by default).
"""

from __future__ import annotations

import functools
from pathlib import Path

from fastapi import APIRouter
from starlette.responses import Response

router = APIRouter(tags=["widget"])

WIDGET_FILE = Path(__file__).resolve().parents[2] / "resources" / "widget.js"


@functools.cache
def _script() -> bytes:
    return WIDGET_FILE.read_bytes()


@router.get(
    "/widget.js",
    response_class=Response,
    responses={200: {"content": {"text/javascript": {}}, "description": "The chat box script"}},
    summary="The embeddable chat box for portal pages (public documents only)",
)
def widget() -> Response:
    return Response(_script(), media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "max-age=3600"})
