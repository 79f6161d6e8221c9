"""A running app picks up a newly published index version without a restart, and serves every request meanwhile."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient
from support import write_doc

from assistant.api.app import create_app
from assistant.embedding.hashing import HashingEmbedder
from assistant.service import AssistantService
from assistant.settings import Settings
from ingest.pipeline import IngestPipeline

FIRE_SAFETY = """UỶ BAN NHÂN DÂN TỈNH LẠNG SƠN
Số: 41/2025/QĐ-UBND
QUYẾT ĐỊNH
Ban hành Quy định phòng cháy, chữa cháy tại trụ sở cơ quan
Điều 1. Kiểm tra bình chữa cháy
Bình chữa cháy xách tay tại trụ sở phải được kiểm tra định kỳ 6 tháng một lần.
"""
QUESTION = "Bình chữa cháy xách tay phải được kiểm tra định kỳ bao lâu một lần?"
SWAP_TIMEOUT_S = 5.0


def test_new_version_is_served_while_requests_keep_succeeding(
    settings: Settings, service: AssistantService, embedder: HashingEmbedder, tmp_path: Path
) -> None:
    new_doc = write_doc(
        tmp_path / "incoming", "qd-41-2025.txt", FIRE_SAFETY,
        'id: qd-41-2025\nnumber: "41/2025/QĐ-UBND"\ntype: "Quyết định"\nissued: 2025-09-01\nstatus: "còn hiệu lực"\n',
    )  # fmt: skip
    statuses: list[int] = []
    versions: list[str] = []
    errors: list[Exception] = []

    with TestClient(create_app(settings, service=service)) as client:
        old_version = client.get("/readyz").json()["index_version"]
        done = threading.Event()

        def search_during_swap() -> None:
            deadline = time.monotonic() + SWAP_TIMEOUT_S
            try:
                while not done.is_set() and time.monotonic() < deadline:
                    response = client.post("/v1/search", json={"question": "văn bản khẩn", "top_k": 3})
                    statuses.append(response.status_code)
                    if response.status_code == 200:
                        versions.append(response.json()["index_version"])
            except Exception as exc:  # surfaced by the main thread's assertions
                errors.append(exc)

        worker = threading.Thread(target=search_during_swap)
        worker.start()
        try:
            report = IngestPipeline(settings, embedder, progress=False).ingest_paths([new_doc])
            assert report.ingested == ["qd-41-2025"], report.failed
            assert report.version != old_version

            deadline = time.monotonic() + SWAP_TIMEOUT_S
            ready = client.get("/readyz").json()
            while ready["index_version"] != report.version and time.monotonic() < deadline:
                time.sleep(0.05)
                ready = client.get("/readyz").json()
            assert ready["index_version"] == report.version, "the new version was not swapped in within 5 s"
            assert ready["documents"] == 4

            # Let the worker see the new version too before stopping it.
            while report.version not in versions and time.monotonic() < deadline and worker.is_alive():
                time.sleep(0.02)
        finally:
            done.set()
            worker.join(timeout=SWAP_TIMEOUT_S)

        answer = client.post("/v1/ask", json={"question": QUESTION}).json()

    assert not errors, errors
    assert len(statuses) >= 3, "the worker should have made several requests during the swap"
    assert set(statuses) == {200}
    assert set(versions) == {old_version, report.version}
    assert versions == sorted(versions, key=lambda v: v == report.version), "never back to the old version"

    assert answer["index_version"] == report.version
    assert answer["abstained"] is False
    assert "6 tháng một lần" in answer["answer"]
    assert {c["doc_id"] for c in answer["citations"]} == {"qd-41-2025"}
