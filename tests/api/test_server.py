"""The real API under uvicorn, configured only through ASSISTANT_* variables, over HTTP on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(settings: Settings, embedder: HashingEmbedder, shelf: Path, tmp_path: Path) -> Iterator[str]:
    """Start uvicorn on the ingested shelf; yields the base URL and always stops the process."""
    report = ingest(settings, embedder, shelf)
    assert not report.failed, report.failed
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_DATA_DIR=str(settings.data_dir),
        ASSISTANT_EMBEDDER="hashing",
        ASSISTANT_ABSTAIN_THRESHOLD="0.2",
    )
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "uvicorn.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "--factory", "assistant.api.app:create_app",
            "--host", "127.0.0.1", "--port", str(port),
        ],
        env=env,
        cwd=tmp_path,  # no stray .env from the working tree
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"uvicorn exited with {process.returncode}:\n{(tmp_path / 'uvicorn.log').read_text()}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"uvicorn did not answer within {STARTUP_TIMEOUT_S:.0f} s")
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


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
