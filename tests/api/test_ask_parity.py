"""Eval measures what the API answers: its per-question row comes from the same AssistantService.ask call as
/v1/ask, and carries the same fields with the same values (follow-ups included)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.api.schemas import AskResponse
from assistant.service import AssistantService, RetrievalConfig
from eval.datasets import EvalQuestion
from eval.runner import evaluate_question


@pytest.fixture
def client(app_client) -> TestClient:  # type: ignore[no-untyped-def]
    return app_client()


SHARED = ("answer", "abstained", "language", "evidence", "threshold", "follow_up", "composer", "index_version")


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("Văn bản khẩn phải được xử lý trong bao lâu?", ()),
        ("Còn văn bản thường thì sao?", ("Văn bản khẩn phải được xử lý trong bao lâu?",)),
        ("Quyết định 30/2025/QĐ-UBND thay thế văn bản nào?", ()),
        ("Giá vé máy bay đi Hà Nội là bao nhiêu?", ()),
    ],
)
def test_an_eval_row_carries_what_v1_ask_returns(
    client: TestClient, service: AssistantService, question: str, history: tuple[str, ...]
) -> None:
    body = client.post("/v1/ask", json={"question": question, "history": list(history), "top_k": 10}).json()
    row = evaluate_question(service, EvalQuestion("q1", question, (), (), history=history), "hybrid", RetrievalConfig())
    assert set(AskResponse.model_fields) - {"passages", "citations", "timings"} <= set(row)
    assert {k: row[k] for k in SHARED} == {k: body[k] for k in SHARED}
    assert [c["chunk_id"] for c in row["citations"]] == [c["chunk_id"] for c in body["citations"]]
    assert row["passages"] == [p["chunk_id"] for p in body["passages"]]
    assert set(row["timings"]) == set(body["timings"])
