"""OpenAI-compatible routes: ``POST /v1/chat/completions`` (plain and streamed) and ``GET /v1/models``.

Any OpenAI client or chat front end can talk to the assistant: the last message is the question, the user's earlier
messages are its history (a follow-up is read with them, as on /v1/ask), and the reply is the /v1/ask answer with
its ``[n]`` markers and a closing "Nguồn:" block; the citations also travel in the extra field ``citations``. The
caller's token (the client's ``api_key``) decides what may be seen exactly as on /v1/ask; ``api_key="anonymous"``
asks as an anonymous caller (public documents only, when the server allows anonymous use). A streamed reply is
composed before its first byte, so every error is an ordinary JSON error response, never half a stream.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter
from starlette.responses import StreamingResponse

from assistant.answer.prompts import PromptLibrary
from assistant.api.chat_schemas import (
    MAX_MESSAGE_CHARS,
    MODEL_ID,
    AssistantMessage,
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    ModelCard,
    ModelList,
    Usage,
)
from assistant.api.deps import AuditorDep, ObserverDep, PrincipalDep, ServiceDep
from assistant.api.routes.ask import answer_and_audit
from assistant.api.routes.stream import MEDIA_TYPE, STREAM_HEADERS, answer_pieces
from assistant.api.schemas import AskRequest, CitationOut
from assistant.errors import InvalidRequest
from assistant.service import AskResult
from assistant.types import Answer

router = APIRouter(prefix="/v1", tags=["openai"])

_CREATED = int(time.time())
_HISTORY = 10
_STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A chat.completion object, or with `stream: true` Server-Sent Events of chat.completion.chunk "
        "objects ending with `data: [DONE]`",
        "content": {"application/json": {}, MEDIA_TYPE: {"schema": {"type": "string"}}},
    }
}


def ask_request(body: ChatCompletionRequest) -> AskRequest:
    """The /v1/ask request a conversation amounts to; InvalidRequest naming the field when it holds no question."""
    if body.model != MODEL_ID:
        raise InvalidRequest(
            f"Trường 'model': mô hình '{body.model[:100]}' không có; dùng '{MODEL_ID}' (GET /v1/models)."
        )
    last = body.messages[-1]
    if last.role != "user" or not last.text:
        raise InvalidRequest(
            "Trường 'messages': tin nhắn cuối cùng phải là câu hỏi của người dùng (role 'user') và không được để trống."
        )
    earlier = [m.text[:MAX_MESSAGE_CHARS] for m in body.messages[:-1] if m.role == "user" and m.text]
    if len(last.text) > MAX_MESSAGE_CHARS:
        raise InvalidRequest(f"Trường 'messages': câu hỏi dài quá {MAX_MESSAGE_CHARS} ký tự; hãy hỏi ngắn gọn hơn.")
    return AskRequest(question=last.text, history=earlier[-_HISTORY:], top_k=None)


def reply_text(answer: Answer, prompts: PromptLibrary) -> str:
    """The answer, then "Nguồn:" and one line per citation ("[1] khoản 2 Điều 5 30/2025/QĐ-UBND — …, trang 3")."""
    if not answer.citations:
        return answer.text
    lang = answer.language
    lines = [answer.text, "", prompts.render("answer", lang, "sources_header")]
    for c in answer.citations:
        page = prompts.render("answer", lang, "source_page", page=c.page) if c.page else ""
        document = f"{c.number} — {c.title}" if c.number else c.title
        lines.append(prompts.render("answer", lang, "source_item", n=c.n, path=c.path, document=document, page=page))
    return "\n".join(lines)


def _words(text: str) -> int:
    return len(text.split())


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def _chunk(completion_id: str, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
    data = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


async def _chunks(result: AskResult, text: str) -> AsyncIterator[bytes]:
    completion_id = _completion_id()
    yield _chunk(completion_id, {"role": "assistant", "content": ""})
    for piece in answer_pieces(text):
        yield _chunk(completion_id, {"content": piece})
    citations = [CitationOut.from_core(c).model_dump() for c in result.answer.citations]
    yield _chunk(
        completion_id, {}, "stop", citations=citations, abstained=result.answer.abstained,
        index_version=result.index_version,
    )  # fmt: skip
    yield b"data: [DONE]\n\n"


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses=_STREAM_DOC,
    summary="OpenAI-compatible chat: the cited answer of /v1/ask to the conversation's last question",
)
async def chat_completions(
    body: ChatCompletionRequest,
    service: ServiceDep,
    principal: PrincipalDep,
    auditor: AuditorDep,
    observer: ObserverDep,
) -> ChatCompletion | StreamingResponse:
    question = ask_request(body)
    result = await answer_and_audit(question, service, principal, auditor, observer)
    text = reply_text(result.answer, service.prompts)
    if body.stream:
        return StreamingResponse(_chunks(result, text), media_type=MEDIA_TYPE, headers=STREAM_HEADERS)
    prompt = _words(question.question) + sum(_words(h) for h in question.history)
    return ChatCompletion(
        id=_completion_id(),
        created=int(time.time()),
        model=MODEL_ID,
        choices=[Choice(message=AssistantMessage(content=text))],
        usage=Usage(prompt_tokens=prompt, completion_tokens=_words(text), total_tokens=prompt + _words(text)),
        citations=[CitationOut.from_core(c) for c in result.answer.citations],
        abstained=result.answer.abstained,
        index_version=result.index_version,
    )


@router.get("/models", response_model=ModelList, summary="OpenAI-compatible list of the one model served")
async def models(principal: PrincipalDep) -> ModelList:
    """Authenticated like every other route: a wrong key is a 401 here too, as OpenAI clients expect."""
    del principal
    return ModelList(data=[ModelCard(id=MODEL_ID, created=_CREATED, owned_by="tro-ly-cong-chuc-so")])
