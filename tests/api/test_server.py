"""The real API under uvicorn, configured only through ASSISTANT_* variables, over HTTP on loopback."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import ingest

from assistant.embedding.hashing import HashingEmbedder
from assistant.settings import Settings

pytestmark = pytest.mark.slow

STARTUP_TIMEOUT_S = 30.0
# Evidence ≈ 0.38 with the hashing embedder: answered only if ASSISTANT_ABSTAIN_THRESHOLD=0.2 reached the server
# (the default threshold, 0.45, would make it abstain).
BORDERLINE = (
    "What is the time limit in Dieu 2, Thoi han xu ly van ban den: van thu chuyen van ban den cho lanh dao "
    "trong ngay lam viec; van ban khan phai duoc xu ly trong vong bao nhieu gio lam viec ke tu khi nhan?"
)


def server_env(settings: Settings, clean_env: Callable[..., dict[str, str]]) -> dict[str, str]:
    return clean_env(
        ASSISTANT_DATA_DIR=str(settings.data_dir), ASSISTANT_EMBEDDER="hashing", ASSISTANT_ABSTAIN_THRESHOLD="0.2"
    )


Launch = Callable[..., Any]  # the `launch` fixture (tests/conftest.py)
Port = Callable[[], int]  # the `free_port` fixture


def start_server(command: list[str], env: dict[str, str], launch: Launch, free_port: Port) -> str:
    """Run ``command`` (given the port as its last argument) until /healthz answers; returns the base URL (the
    process is stopped at the end of the test)."""
    base_url = f"http://127.0.0.1:{(port := free_port())}"
    launch("uvicorn", [*command, str(port)], env, f"{base_url}/healthz", STARTUP_TIMEOUT_S)
    return base_url


@pytest.fixture
def server(
    settings: Settings, embedder: HashingEmbedder, shelf: Path, launch: Launch, free_port: Port,
    clean_env: Callable[..., dict[str, str]],
) -> str:  # fmt: skip
    """Start uvicorn on the ingested shelf; returns the base URL."""
    report = ingest(settings, embedder, shelf)
    assert not report.failed, report.failed
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "assistant.api.app:create_app", "--host", "127.0.0.1", "--port",
    ]  # fmt: skip
    return start_server(command, server_env(settings, clean_env), launch, free_port)


@pytest.fixture
def served(
    settings: Settings, embedder: HashingEmbedder, shelf: Path, launch: Launch, free_port: Port,
    clean_env: Callable[..., dict[str, str]],
) -> str:  # fmt: skip
    """`assistant serve` (uvicorn with the project's server options) on the ingested shelf."""
    assert not ingest(settings, embedder, shelf).failed
    command = [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port"]
    return start_server(command, server_env(settings, clean_env), launch, free_port)


def test_real_server_answers_over_http(server: str, settings: Settings) -> None:
    with httpx.Client(base_url=server, timeout=10.0) as http:
        ready = http.get("/readyz")
        answer = http.post("/v1/ask", json={"question": "Văn bản khẩn phải được xử lý trong bao lâu?"})
        hidden = http.get("/v1/documents/kh-77-stttt")
        borderline = http.post("/v1/ask", json={"question": BORDERLINE})

    assert ready.status_code == 200
    readiness = ready.json()
    assert readiness["ready"] is True
    assert readiness["documents"] == 3
    assert readiness["embedder"] == "hashing-256"
    manifest = (settings.index_dir / "CURRENT.json").read_text(encoding="utf-8")
    assert readiness["index_version"] in manifest

    assert answer.status_code == 200
    body = answer.json()
    assert body["abstained"] is False
    assert body["index_version"] == readiness["index_version"]
    assert [c["doc_id"] for c in body["citations"]] == ["qd-30-2025"]
    assert "[1]" in body["answer"]

    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"

    assert borderline.status_code == 200
    assert 0.2 <= borderline.json()["evidence"] < Settings.model_fields["abstain_threshold"].default
    assert borderline.json()["abstained"] is False


def raw_request(base_url: str, head: bytes) -> tuple[int, dict[str, object], bytes]:
    """Send a raw request head; the status, the JSON body and the raw response (read to the server's close)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    status = int(raw.split(b" ", 2)[1])
    return status, json.loads(raw.split(b"\r\n\r\n", 1)[1]), raw


def test_overlong_url_and_headers_get_414_and_431_with_a_json_body(served: str) -> None:
    long_url = b"GET /v1/documents?q=" + b"a" * (240 * 1024) + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    status, body, raw = raw_request(served, long_url)
    assert status == 414, raw[:300]
    assert body["error"]["code"] == "uri_too_long"  # type: ignore[index]
    assert "Đường dẫn yêu cầu quá dài" in body["error"]["message"]  # type: ignore[index]
    assert b"application/json" in raw.split(b"\r\n\r\n")[0]

    big_header = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * (100 * 1024) + b"\r\nConnection: close\r\n\r\n"
    status, body, raw = raw_request(served, big_header)
    assert status == 431, raw[:300]
    assert body["error"]["code"] == "request_header_fields_too_large"  # type: ignore[index]
    assert "Tiêu đề yêu cầu quá lớn" in body["error"]["message"]  # type: ignore[index]

    with httpx.Client(base_url=served, timeout=10.0) as http:  # the server still serves
        assert http.get("/healthz").status_code == 200
        assert http.get("/v1/documents", params={"q": "a" * 2000}).status_code == 200
        assert http.get("/v1/documents", headers={"X-Small": "c" * 8000}).status_code == 200


def test_the_official_openai_client_talks_to_the_live_server(server: str, settings: Settings) -> None:
    import openai

    from assistant.accounts.service import AccountService
    from assistant.api.chat_schemas import MODEL_ID

    accounts = AccountService(settings)
    accounts.open(bootstrap=False)
    accounts.users.add("nv-stttt", roles=["staff"], units=["STTTT"], password="mat-khau-thu-nghiem-1")
    accounts.close()
    token = httpx.post(f"{server}/v1/auth/login", json={"username": "nv-stttt", "password": "mat-khau-thu-nghiem-1"})
    member = openai.OpenAI(base_url=f"{server}/v1", api_key=token.json()["token"], max_retries=0)
    anonymous = openai.OpenAI(base_url=f"{server}/v1", api_key="anonymous", max_retries=0)

    assert [m.id for m in anonymous.models.list()] == [MODEL_ID]
    urgent = [{"role": "user", "content": "Văn bản khẩn phải được xử lý trong bao lâu?"}]
    reply = anonymous.chat.completions.create(model=MODEL_ID, messages=urgent)  # type: ignore[arg-type]
    content = reply.choices[0].message.content or ""
    assert "[1]" in content and "\n\nNguồn:\n[1] " in content
    assert [c["doc_id"] for c in (reply.model_extra or {})["citations"]] == ["qd-30-2025"]
    streamed = anonymous.chat.completions.create(model=MODEL_ID, messages=urgent, stream=True)  # type: ignore[arg-type]
    assert "".join(chunk.choices[0].delta.content or "" for chunk in streamed) == content

    secret = [{"role": "user", "content": "Đội ứng cứu sự cố mang mật danh gì và trực ở đâu?"}]
    seen = member.chat.completions.create(model=MODEL_ID, messages=secret)  # type: ignore[arg-type]
    hidden = anonymous.chat.completions.create(model=MODEL_ID, messages=secret)  # type: ignore[arg-type]
    assert "SAO-BANG-09" in (seen.choices[0].message.content or "")
    assert "SAO-BANG-09" not in (hidden.choices[0].message.content or "")
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{server}/v1", api_key="not-a-token", max_retries=0).models.list()
