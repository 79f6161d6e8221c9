"""The distributed shape on one machine: two API replicas and an ingest worker as separate processes, sharing the
data folder (published index versions), a PostgreSQL store (accounts, audit, ingest queue) and a Redis (limits and
lockout), both throwaway servers on loopback. An upload through replica A is answered by replica B
once the worker publishes; a login lockout hit on A holds on B; a worker killed mid-job leaves the served version
whole and its job is taken again by the next worker."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ADMIN, ADMIN_PASSWORD = "quan-tri", "mat-khau-quan-tri-rat-dai-1"
PLAN = """ỦY BAN NHÂN DÂN HUYỆN VĂN QUAN
Số: 45/KH-UBND
KẾ HOẠCH
Tổ chức Ngày hội chuyển đổi số huyện Văn Quan
Điều 1. Thời gian và địa điểm
Ngày hội chuyển đổi số huyện Văn Quan được tổ chức vào ngày 10 tháng 10 hằng năm tại Nhà văn hóa trung tâm huyện.
"""


def big_decision(articles: int = 5000) -> str:
    """A long decision: ingesting it takes seconds, long enough to kill the worker in the middle."""
    lines = ["ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "Số: 99/QĐ-UBND", "QUYẾT ĐỊNH", "Ban hành Quy chế thử tải lớn"]
    for i in range(1, articles + 1):
        lines += [
            f"Điều {i}. Thủ tục số {i}",
            f"1. Cơ quan thứ {i} giải quyết hồ sơ trong {i % 30 + 1} ngày làm việc kể từ ngày nhận đủ hồ sơ.",
            f"2. Lệ phí của thủ tục thứ {i} là {(i % 50 + 1) * 10}.000 đồng cho mỗi hồ sơ.",
        ]
    return "\n".join(lines) + "\n"


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout} s")


def test_two_replicas_and_a_worker(
    tmp_path: Path, launch: Any, free_port: Callable[[], int], clean_env: Callable[..., dict[str, str]],
    redis_server: Any, postgres: Callable[[], str],
) -> None:  # fmt: skip
    shared = tmp_path / "shared"
    env = clean_env(
        ASSISTANT_DATA_DIR=str(shared), ASSISTANT_DATABASE_URL=postgres(),
        ASSISTANT_EMBEDDER="hashing", ASSISTANT_ENVIRONMENT="test", ASSISTANT_ALLOW_ANONYMOUS="false",
        ASSISTANT_ADMIN_USERNAME=ADMIN, ASSISTANT_ADMIN_PASSWORD=ADMIN_PASSWORD, ASSISTANT_INGEST_WORKER="true",
        ASSISTANT_REDIS_URL=redis_server.url, ASSISTANT_LOGIN_ATTEMPTS_PER_MINUTE="5",
        ASSISTANT_RELOAD_CHECK_SECONDS="0.3", ASSISTANT_WORKER_LEASE_SECONDS="2", ASSISTANT_WORKER_POLL_SECONDS="0.2",
        PYTHONPATH=str(REPO),
    )  # fmt: skip
    urls = []
    for name in ("api-a", "api-b"):  # one after the other: the first creates the store and the first admin
        port = free_port()
        urls.append(f"http://127.0.0.1:{port}")
        launch(name, [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)], env, f"{urls[-1]}/healthz")
    a, b = (httpx.Client(base_url=url, timeout=30) for url in urls)
    token = a.post("/v1/auth/login", json={"username": ADMIN, "password": ADMIN_PASSWORD}).json()["token"]
    admin = {"Authorization": f"Bearer {token}"}

    # -- an upload through A waits in the queue: no replica ingests it -----------------------------------------
    files = {"file": ("ke-hoach-45.md", PLAN.encode(), "text/markdown")}
    job_id = a.post("/v1/documents", files=files, headers=admin).json()["job_id"]
    time.sleep(1.0)
    assert b.get(f"/v1/ingest/jobs/{job_id}", headers=admin).json()["status"] == "queued"

    # -- the worker takes it; B answers from the published version ----------------------------------------------
    worker_cmd = [sys.executable, "-m", "assistant.cli", "worker"]
    worker = launch("worker-1", worker_cmd, env, None)
    job = wait_until(
        lambda: (j := b.get(f"/v1/ingest/jobs/{job_id}", headers=admin).json())["status"] in ("done", "failed") and j,
        60, "the worker's job",
    )  # fmt: skip
    assert job["status"] == "done", job
    question = {"question": "Ngày hội chuyển đổi số huyện Văn Quan được tổ chức vào ngày nào?"}
    answer = wait_until(
        lambda: (r := b.post("/v1/ask", json=question, headers=admin)).status_code == 200 and r.json(),
        30, "replica B's answer",
    )  # fmt: skip
    assert "10 tháng 10" in answer["answer"] and answer["citations"][0]["number"] == "45/KH-UBND"
    published = b.get("/readyz").json()["index_version"]
    assert wait_until(lambda: a.get("/readyz").json()["index_version"] == published, 10, "A's swap")  # checks 0.3 s

    # -- a login lockout hit on A holds on B ---------------------------------------------------------------------
    wrong = {"username": "lan", "password": "mat-khau-sai-123"}
    assert [a.post("/v1/auth/login", json=wrong).status_code for _ in range(4)] == [401] * 4  # 5 with the admin's
    assert b.post("/v1/auth/login", json=wrong).status_code == 429

    # -- a worker killed mid-job: nothing half-published, the next worker finishes the job ----------------------
    before = b.get("/readyz").json()
    files = {"file": ("qd-99-tai-lon.md", big_decision().encode(), "text/markdown")}
    big_id = a.post("/v1/documents", files=files, headers=admin).json()["job_id"]
    wait_until(lambda: b.get(f"/v1/ingest/jobs/{big_id}", headers=admin).json()["status"] == "running", 30, "running")
    time.sleep(0.5)
    worker.kill()
    time.sleep(1.0)
    assert b.get(f"/v1/ingest/jobs/{big_id}", headers=admin).json()["status"] == "running"  # its worker is gone
    assert b.get("/readyz").json() == before  # the served version is the one before the job, whole
    assert b.post("/v1/ask", json=question, headers=admin).status_code == 200
    launch("worker-2", worker_cmd, env, None)
    job = wait_until(
        lambda: (j := b.get(f"/v1/ingest/jobs/{big_id}", headers=admin).json())["status"] in ("done", "failed") and j,
        120, "the retried job",
    )  # fmt: skip
    assert job["status"] == "done", job
    after = wait_until(lambda: (r := a.get("/readyz").json())["chunks"] > before["chunks"] and r, 30, "A's swap")
    assert after["documents"] == before["documents"] + 1
    assert wait_until(lambda: b.get("/readyz").json() == after, 30, "B's swap to the same version")
