"""Evaluation runs an admin starts over the served shelf: progress, headline figures, misses; bad question lines
refused by line and field; admins only; a shutdown stops between questions and says so."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from auth_support import accounts_of, bearer
from fastapi.testclient import TestClient

from assistant.accounts.db import Database
from assistant.api import eval_jobs
from assistant.api.eval_jobs import EvalJobStore, EvalRunner
from eval.datasets import EvalQuestion

QUESTIONS = [
    {"id": "khan", "question": "Văn bản khẩn phải được xử lý trong bao lâu?", "gold_doc_ids": ["qd-30-2025"]},
    {"id": "ca-hoi", "question": "Quy trình nuôi cá hồi ở vùng núi cao gồm những bước nào?", "gold_doc_ids": []},
    {"id": "en", "question": "How long may an urgent document wait?", "gold_doc_ids": ["qd-30-2025"],
     "language": "en"},
]  # fmt: skip


@pytest.fixture
def client(app_client) -> TestClient:  # type: ignore[no-untyped-def]
    return app_client(allow_anonymous=False)


def jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def wait_done(client: TestClient, headers: dict[str, str], run_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        run = client.get(f"/v1/eval/runs/{run_id}", headers=headers).json()
        seen.append(run["done"])
        if run["status"] in ("done", "failed"):
            assert seen == sorted(seen)  # progress only goes forward
            return dict(run)
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} still {run['status']} after {timeout} s")


def test_an_uploaded_question_set_runs_with_progress_and_figures(client: TestClient) -> None:
    admin = bearer(client, "quan-tri", roles=["admin"])
    body = {"question_set": "upload", "questions_jsonl": jsonl(QUESTIONS), "configs": ["hybrid", "bm25"]}
    started = client.post("/v1/eval/runs", json=body, headers=admin)
    assert started.status_code == 202, started.text
    run = started.json()
    assert run["total"] == 6 and run["status"] in ("queued", "running") and "3 câu" in run["label"]

    finished = wait_done(client, admin, run["id"])
    assert finished["status"] == "done" and finished["done"] == finished["total"] == 6, finished
    hybrid = finished["metrics"]["hybrid"]
    assert hybrid["n"] == 3 and hybrid["n_answerable"] == 2
    assert 0 <= hybrid["recall@1"] <= hybrid["recall@5"] <= 1 and "abstain_auc" in hybrid
    assert set(finished["metrics"]) == {"hybrid", "bm25"}
    assert finished["index_version"]
    for miss in finished["misses"]:
        assert miss["qid"] in {"khan", "ca-hoi", "en"}
        assert miss["why"] in {"abstained", "not_first", "not_found", "answered_without_basis"}
    listed = client.get("/v1/eval/runs", headers=admin).json()["runs"]
    assert [r["id"] for r in listed] == [run["id"]]
    events = accounts_of(client).audit.events()
    assert any(e["action"] == "admin.eval.run" and e["detail"]["run_id"] == run["id"] for e in events)


def test_the_shelf_question_set_by_split_and_limit(client: TestClient) -> None:
    admin = bearer(client, "quan-tri", roles=["admin"])
    run = client.post("/v1/eval/runs", json={"split": "test", "limit": 2}, headers=admin).json()
    assert run["total"] == 2 and "kho mẫu · test · 2 câu" == run["label"]
    assert wait_done(client, admin, run["id"])["status"] == "done"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"question_set": "upload", "questions_jsonl": jsonl(QUESTIONS[:1]) + '{"id": "x", "question": "?"}\n'},
         ["questions_jsonl", "line 2", "gold_doc_ids"]),
        ({"question_set": "upload", "questions_jsonl": jsonl(QUESTIONS) + "{không phải json\n"},
         ["questions_jsonl", "line 4"]),
        ({"question_set": "upload", "questions_jsonl": jsonl(QUESTIONS[:1] * 2)}, ["line 2", "khan"]),
        ({"question_set": "upload", "questions_jsonl": "  "}, ["questions_jsonl"]),
        ({"question_set": "upload", "questions_jsonl": jsonl(QUESTIONS), "split": "dev"}, ["split 'dev'"]),
        ({"configs": ["hybrid", "bm-25"]}, ["configs", "bm-25"]),
        ({"configs": []}, ["configs"]),
        ({"limit": 0}, ["limit"]),
    ],
)  # fmt: skip
def test_bad_requests_name_what_to_fix_and_start_nothing(
    client: TestClient, body: dict[str, Any], says: list[str]
) -> None:
    admin = bearer(client, "quan-tri", roles=["admin"])
    response = client.post("/v1/eval/runs", json=body, headers=admin)
    assert response.status_code == 422, response.text
    message = response.text
    assert all(part in message for part in says), message
    assert "/tmp" not in message and "eval-upload-" not in message  # no server paths
    assert client.get("/v1/eval/runs", headers=admin).json()["runs"] == []


@pytest.mark.parametrize("role", ["staff", "trainer", "inspector", "evaluator"])
def test_only_admins_run_and_read_evaluations(client: TestClient, role: str) -> None:
    admin = bearer(client, "quan-tri", roles=["admin"])
    run_id = client.post("/v1/eval/runs", json={"limit": 1}, headers=admin).json()["id"]
    other = bearer(client, f"nguoi-{role}", roles=[role], units=["SXD"])
    for method, path in (("POST", "/v1/eval/runs"), ("GET", "/v1/eval/runs"), ("GET", f"/v1/eval/runs/{run_id}")):
        response = client.request(method, path, json={"limit": 1} if method == "POST" else None, headers=other)
        assert response.status_code == 403, (method, path)
        assert "Văn bản khẩn" not in response.text
    assert client.get("/v1/eval/runs/0123456789abcdef", headers=admin).status_code == 404
    wait_done(client, admin, run_id)


def test_a_shutdown_stops_between_questions_and_reports_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(f"sqlite:///{tmp_path / 'store.sqlite'}")
    db.create()
    store = EvalJobStore(db)
    asked, release = threading.Event(), threading.Event()

    def slow_question(*_args: object) -> dict[str, Any]:
        asked.set()
        release.wait(10)
        return {}

    monkeypatch.setattr(eval_jobs, "evaluate_question", slow_question)
    runner = EvalRunner(None, store)  # type: ignore[arg-type]  # never reaches the service: the question blocks
    questions = [EvalQuestion(f"q{i}", "Câu hỏi?", ("qd-30-2025",), ()) for i in range(3)]
    running, _ = runner.submit(questions, ["hybrid"], username="quan-tri", label="thử")
    queued, _ = runner.submit(questions, ["hybrid"], username="quan-tri", label="thử 2")
    assert asked.wait(10)
    stopper = threading.Thread(target=runner.shutdown)
    stopper.start()
    release.set()
    stopper.join(10)
    first, second = store.get(running.id), store.get(queued.id)
    assert first is not None and first.status == "failed" and first.done == 1 and "đã dừng" in first.result["error"]
    assert second is not None and second.status == "failed" and second.done == 0
    db.dispose()
