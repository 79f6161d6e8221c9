"""The OpenAI-compatible routes (POST /v1/chat/completions, GET /v1/models) in process: the answer of /v1/ask with
its citations, follow-ups read with the user's earlier messages, the same visibility, streams ending with [DONE],
and errors that name the field. The official ``openai`` client against the live server is in test_server.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from auth_support import bearer
from fastapi.testclient import TestClient

from assistant.api.chat_schemas import MODEL_ID

URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"
SECRET = "Đội ứng cứu sự cố mang mật danh gì và trực ở đâu?"


@pytest.fixture
def client(app_client) -> TestClient:  # type: ignore[no-untyped-def]
    return app_client()


def chat(client: TestClient, messages: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
    response = client.post("/v1/chat/completions", json={"model": MODEL_ID, "messages": messages}, **kwargs)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def chunks(client: TestClient, messages: list[dict[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
    body = {"model": MODEL_ID, "messages": messages, "stream": True}
    response = client.post("/v1/chat/completions", json=body, **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    blocks = [b for b in response.text.split("\n\n") if b.strip()]
    assert blocks[-1] == "data: [DONE]" and all(b.startswith("data: {") for b in blocks[:-1])
    return [json.loads(b.removeprefix("data: ")) for b in blocks[:-1]]


def test_the_reply_is_the_answer_of_ask_with_its_sources(client: TestClient) -> None:
    asked = client.post("/v1/ask", json={"question": URGENT}).json()
    body = chat(client, [{"role": "system", "content": "Trả lời ngắn."}, {"role": "user", "content": URGENT}])
    assert body["object"] == "chat.completion" and body["model"] == MODEL_ID and body["id"].startswith("chatcmpl-")
    reply = body["choices"][0]["message"]
    assert reply["role"] == "assistant" and body["choices"][0]["finish_reason"] == "stop"
    text, _, sources = reply["content"].partition("\n\nNguồn:\n")
    assert text == asked["answer"] and "[1]" in text
    assert sources.splitlines()[0].startswith("[1] ") and "30/2025/QĐ-UBND" in sources.splitlines()[0]
    assert [c["chunk_id"] for c in body["citations"]] == [c["chunk_id"] for c in asked["citations"]]
    assert body["abstained"] is False and body["index_version"] == asked["index_version"]
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"] > 0


def test_earlier_user_messages_are_the_history_of_a_follow_up(client: TestClient) -> None:
    follow_up = "Còn văn bản thường thì sao?"
    asked = client.post("/v1/ask", json={"question": follow_up, "history": [URGENT]}).json()
    body = chat(client, [
        {"role": "user", "content": URGENT}, {"role": "assistant", "content": "…"},
        {"role": "user", "content": [{"type": "text", "text": follow_up}]},
    ])  # fmt: skip
    assert body["choices"][0]["message"]["content"].startswith(asked["answer"])


def test_a_stream_carries_the_same_reply_and_ends_with_citations(client: TestClient) -> None:
    plain = chat(client, [{"role": "user", "content": URGENT}])
    streamed = chunks(client, [{"role": "user", "content": URGENT}])
    assert {c["object"] for c in streamed} == {"chat.completion.chunk"} and len({c["id"] for c in streamed}) == 1
    assert streamed[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in streamed)
    assert text == plain["choices"][0]["message"]["content"]
    last = streamed[-1]
    assert last["choices"][0]["finish_reason"] == "stop" and last["citations"] == plain["citations"]


def test_visibility_is_decided_by_the_callers_token_as_on_ask(client: TestClient) -> None:
    question = [{"role": "user", "content": SECRET}]
    member = chat(client, question, headers=bearer(client, "nv-stttt", units=["STTTT"]))
    outsider = chat(client, question, headers=bearer(client, "nv-sxd", units=["SXD"]))
    anonymous = chat(client, question, headers={"Authorization": "Bearer anonymous"})
    streamed = chunks(client, question, headers={"Authorization": "Bearer anonymous"})
    assert "kh-77-stttt" in {c["doc_id"] for c in member["citations"]}
    assert "SAO-BANG-09" in member["choices"][0]["message"]["content"]
    for body in (outsider, anonymous, {"chunks": streamed}):
        assert "kh-77-stttt" not in json.dumps(body) and "SAO-BANG-09" not in json.dumps(body, ensure_ascii=False)
    assert client.post("/v1/chat/completions", json={"messages": question},
                       headers={"Authorization": "Bearer not-a-token"}).status_code == 401  # fmt: skip


def test_anonymous_key_is_refused_where_anonymous_use_is_off(app_client) -> None:  # type: ignore[no-untyped-def]
    closed = app_client(allow_anonymous=False)
    body = {"messages": [{"role": "user", "content": URGENT}], "stream": True}
    refused = closed.post("/v1/chat/completions", json=body, headers={"Authorization": "Bearer anonymous"})
    assert refused.status_code == 401 and refused.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"model": "gpt-4o", "messages": [{"role": "user", "content": URGENT}]}, "'model'"),
        ({"messages": [{"role": "user", "content": URGENT}, {"role": "assistant", "content": "…"}]}, "'messages'"),
        ({"messages": [{"role": "user", "content": "   "}]}, "'messages'"),
        ({"messages": []}, "messages"),
        ({"messages": [{"role": "user", "content": "x" * 2001}]}, "messages"),
        ({"messages": [{"role": "robot", "content": URGENT}]}, "role"),
    ],
)
def test_a_conversation_without_a_question_is_a_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/v1/chat/completions", json=body)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["message"]


def test_models_lists_the_one_model(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list" and [m["id"] for m in body["data"]] == [MODEL_ID]
