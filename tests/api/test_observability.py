"""/metrics for a scraper or an admin, request ids in and out, JSON log lines without question text or tokens."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from auth_support import bearer
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.api.observability import JsonFormatter, RequestIdFilter

URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"
SCRAPER = "khoa-may-thu-so-do-1234567890"


@pytest.fixture
def client(app_client) -> TestClient:  # type: ignore[no-untyped-def]
    return app_client(allow_anonymous=False, metrics_token=SecretStr(SCRAPER))


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the request and question loggers write, formatted as JSON lines the way `assistant serve` does."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("assistant.requests", "assistant.questions")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield out
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one series in Prometheus text."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{re.escape(name)}{re.escape('{' + wanted + '}') if labels else ''} (\S+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else None


def test_metrics_are_for_the_scraper_and_admins_only(client: TestClient) -> None:
    assert client.get("/metrics").status_code == 401
    staff = bearer(client, "lan", units=["STTTT"])
    refused = client.get("/metrics", headers=staff)
    assert refused.status_code == 403 and "assistant_" not in refused.text
    assert client.get("/metrics", headers={"Authorization": "Bearer sai-khoa"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {SCRAPER}"}).status_code == 200
    admin = client.get("/metrics", headers=bearer(client, "quan-tri", roles=["admin"]))
    assert admin.status_code == 200 and admin.headers["content-type"].startswith("text/plain")


def test_requests_answers_and_the_shelf_are_counted(client: TestClient) -> None:
    staff = bearer(client, "lan", units=["STTTT"])
    assert client.post("/v1/ask", json={"question": URGENT}, headers=staff).status_code == 200
    assert client.post("/v1/ask", json={"question": "Cá hồi nuôi ở đâu?"}, headers=staff).status_code == 200
    assert client.get("/v1/documents/qd-30-2025", headers=staff).status_code == 200
    assert client.get("/v1/documents/khong-co", headers=staff).status_code == 404
    assert client.get("/khong/co/duong/nay").status_code == 404
    text = client.get("/metrics", headers={"Authorization": f"Bearer {SCRAPER}"}).text

    assert sample(text, "assistant_http_requests_total", method="POST", route="/v1/ask", status="200") == 2
    assert sample(text, "assistant_http_requests_total", method="GET", route="/v1/documents/{doc_id}", status="200")
    assert sample(text, "assistant_http_requests_total", method="GET", route="/v1/documents/{doc_id}", status="404")
    assert "qd-30-2025" not in text and "khong-co" not in text  # ids never become series
    assert sample(text, "assistant_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert sample(text, "assistant_http_request_seconds_count", method="POST", route="/v1/ask") == 2
    answered = sample(text, "assistant_answers_total", abstained="false") or 0
    refused = sample(text, "assistant_answers_total", abstained="true") or 0
    assert answered + refused == 2 and refused >= 1
    for stage in ("normalize", "retrieval", "assess", "compose", "total"):
        assert sample(text, "assistant_ask_stage_seconds_count", stage=stage) == 2, stage
    assert (sample(text, "assistant_index_chunks") or 0) > 0 and (sample(text, "assistant_index_documents") or 0) > 0
    assert re.search(r'^assistant_index_info\{embedder="hashing-256",version="v[^"]+"\} 1\.0$', text, re.MULTILINE)
    assert sample(text, "assistant_ingest_jobs_pending") == 0
    assert URGENT not in text


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "tram-1.yeu-cau_42"})
    assert given.headers["x-request-id"] == "tram-1.yeu-cau_42"
    forged = client.get("/healthz", headers={"X-Request-ID": "a b <script>" + "x" * 80})
    ids = {forged.headers["x-request-id"], client.get("/healthz").headers["x-request-id"]}
    assert len(ids) == 2 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert client.post("/v1/ask", json={"question": URGENT}).headers["x-request-id"]  # a 401 too


def test_log_lines_are_json_with_the_request_id_and_no_question_or_token(
    client: TestClient, log_lines: io.StringIO
) -> None:
    headers = bearer(client, "lan", units=["STTTT"])
    response = client.post("/v1/ask", json={"question": URGENT}, headers={**headers, "X-Request-ID": "hoi-1"})
    assert response.status_code == 200
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    request = next(line for line in lines if line.get("route") == "/v1/ask")
    assert request["request_id"] == "hoi-1" and request["status"] == 200 and request["method"] == "POST"
    assert request["level"] == "info" and request["ms"] > 0
    everything = log_lines.getvalue()
    assert URGENT not in everything and headers["Authorization"].split()[1] not in everything


def test_an_admin_may_turn_question_logging_on(app_client, log_lines: io.StringIO) -> None:  # type: ignore[no-untyped-def]
    client = app_client(allow_anonymous=True, log_questions=True)
    client.post("/v1/ask", json={"question": URGENT}, headers={"X-Request-ID": "hoi-2"})
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    logged = next(line for line in lines if line["logger"] == "assistant.questions")
    assert logged["question"] == URGENT and logged["request_id"] == "hoi-2"
