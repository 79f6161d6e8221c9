"""POST /v1/ask/stream: the answer of /v1/ask as Server-Sent Events, for clients that render it progressively.

Events, in order: ``meta`` (index version, language, evidence, abstained, a summary of the retrieved passages),
``delta`` (one per line or sentence of the answer; their ``text`` fields joined give the answer exactly),
``citations`` (the list of /v1/ask's ``citations``) and ``done`` (timings). Every ``data`` line is one JSON
object. The answer is composed before the first byte is sent, so every error (401, 403, 422, 503…) is an
ordinary JSON error response with its status code, never an event in a half-sent stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter
from starlette.responses import StreamingResponse

from assistant.api.deps import AuditorDep, ObserverDep, PrincipalDep, ServiceDep
from assistant.api.routes.ask import answer_and_audit
from assistant.api.schemas import AskRequest, CitationOut
from assistant.service import AskResult
from assistant.text.legal_grammar import split_sentences

router = APIRouter(prefix="/v1", tags=["ask"])

MEDIA_TYPE = "text/event-stream"
STREAM_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}  # no caching, no proxy buffering
MIN_PIECE_CHARS = 20  # "2. Văn bản…": a list number is not a sentence of its own
_STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-Sent Events: meta, delta…, citations, done (each `data:` line is a JSON object)",
        "content": {MEDIA_TYPE: {"schema": {"type": "string"}}},
    }
}


def answer_pieces(text: str) -> list[str]:
    """The answer cut into lines and sentences; ``"".join(answer_pieces(t)) == t``."""
    pieces: list[str] = []
    for line in text.splitlines(keepends=True):
        piece = ""
        for sentence in split_sentences(line):  # a "[n]" marker stays with its sentence
            piece += sentence
            if len(piece) >= MIN_PIECE_CHARS:
                pieces.append(piece)
                piece = ""
        if piece:
            pieces.append(piece)
    return pieces


def sse(event: str, data: dict[str, Any]) -> bytes:
    """One Server-Sent Event (the JSON holds no raw newline, so one ``data:`` line suffices)."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def _meta(result: AskResult) -> dict[str, Any]:
    answer = result.answer
    passages = [
        {
            "rank": p.rank,
            "chunk_id": p.chunk.chunk_id,
            "doc_id": p.document.doc_id,
            "title": p.document.title,
            "number": p.document.number,
            "path": p.chunk.path_label,
            "page_start": p.chunk.page_start,
            "current": p.current,
            "status": p.document.status.value,
            "score": round(p.score, 4),
        }
        for p in answer.passages
    ]
    return {
        "index_version": result.index_version,
        "abstained": answer.abstained,
        "language": answer.language,
        "evidence": round(answer.evidence, 4),
        "composer": answer.composer,
        "passages": passages,
    }


async def _events(result: AskResult) -> AsyncIterator[bytes]:
    yield sse("meta", _meta(result))
    for piece in answer_pieces(result.answer.text):
        yield sse("delta", {"text": piece})
    citations = [CitationOut.from_core(c).model_dump() for c in result.answer.citations]
    yield sse("citations", {"citations": citations})
    yield sse("done", {"timings": {k: round(v, 2) for k, v in result.timings_ms.items()}})


@router.post(
    "/ask/stream",
    response_class=StreamingResponse,
    responses=_STREAM_DOC,
    summary="Answer a question with cited sources, streamed as Server-Sent Events",
)
async def ask_stream(
    body: AskRequest, service: ServiceDep, principal: PrincipalDep, auditor: AuditorDep, observer: ObserverDep
) -> StreamingResponse:
    result = await answer_and_audit(body, service, principal, auditor, observer)
    return StreamingResponse(_events(result), media_type=MEDIA_TYPE, headers=STREAM_HEADERS)
