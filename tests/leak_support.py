"""Probes shared by the leak suites (importable as ``leak_support``): every question path and every lookup path
is tried for one hidden document, and nothing that would identify it may come back."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from fastapi.testclient import TestClient

ABSENT_ID = "khong-co-van-ban"
INSPECTED = "UBND xã Chi Lăng"
FOLLOW_UP = "còn thời hạn thì sao?"


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one per line."""
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def assert_clean(text: str, telltales: Sequence[str], where: str) -> None:
    for telltale in telltales:
        assert telltale not in text, f"{telltale!r} leaked through {where}"


def normalised_404(client: TestClient, path: str, headers: dict[str, str], doc_id: str) -> tuple[int, str, str]:
    response = client.get(path, headers=headers)
    return response.status_code, response.headers["content-type"], response.text.replace(doc_id, "<id>")


def question_bodies(question: str, doc_id: str, doc_type: str, issuer: str) -> list[tuple[str, dict[str, object]]]:
    """Every way of asking: search (wide), search pinned to the hidden id, ask, the answer stream, a follow-up
    whose earlier turn names the hidden document, filters that match the hidden document's metadata, and the
    OpenAI-compatible chat (plain, and streamed as a follow-up)."""
    pinned = {"doc_ids": [doc_id]}
    matching = {"doc_types": [doc_type], "issuers": [issuer]}
    return [
        ("/v1/search", {"question": question, "top_k": 50}),
        ("/v1/search", {"question": question, "filters": pinned}),
        ("/v1/search", {"question": question, "filters": matching}),
        ("/v1/ask", {"question": question}),
        ("/v1/ask", {"question": question, "filters": {**pinned, "in_force_only": False}}),
        ("/v1/ask/stream", {"question": question, "filters": matching}),
        ("/v1/ask", {"question": FOLLOW_UP, "history": [question]}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": question}]}),
        ("/v1/chat/completions", {"stream": True, "messages": [
            {"role": "user", "content": question}, {"role": "assistant", "content": "…"},
            {"role": "user", "content": FOLLOW_UP},
        ]}),
    ]  # fmt: skip


def probe_hidden_document(
    client: TestClient,
    headers: dict[str, str],
    doc_id: str,
    queries: Sequence[str],
    telltales: Sequence[str],
    *,
    doc_type: str,
    issuer: str,
) -> int:
    """Ask every query through every path as the caller of ``headers``; returns the number of requests made."""
    requests = 0
    for question in queries:
        for route, body in question_bodies(question, doc_id, doc_type, issuer):
            response = client.post(route, json=body, headers=headers)
            requests += 1
            assert response.status_code == 200, (route, body, response.text)
            assert_clean(response.text, telltales, f"{route} {body}")
            if body.get("filters") == {"doc_ids": [doc_id]}:
                assert response.json()["passages"] == []  # the same as pinning a document that does not exist
    # Lookups of a hidden id look exactly like lookups of an id that does not exist.
    for suffix in ("", "/source"):
        hidden = normalised_404(client, f"/v1/documents/{doc_id}{suffix}", headers, doc_id)
        absent = normalised_404(client, f"/v1/documents/{ABSENT_ID}{suffix}", headers, ABSENT_ID)
        assert hidden == absent, suffix
        requests += 2
    return requests


def assert_feedback_is_no_oracle(client: TestClient, headers: dict[str, str], hidden_chunk: str) -> None:
    """Citing a hidden chunk in feedback is accepted exactly like citing a missing one; the export is admin-only."""
    for chunk in (hidden_chunk, f"{ABSENT_ID}:dieu-1"):
        body = {"rating": "up", "question": "?", "citations": [chunk]}
        sent = client.post("/v1/feedback", json=body, headers=headers)
        assert sent.status_code == 201 and set(sent.json()) == {"id"}
    assert client.get("/v1/feedback/export", headers=headers).status_code == 403


def probe_quiz(
    client: TestClient, headers: dict[str, str], doc_id: str, queries: Sequence[str], telltales: Sequence[str]
) -> int:
    """Trainer mode: lessons and (for trainers) banks asked for by the hidden document's words or id carry nothing of
    it (the caller's own topic, echoed in a title, is taken out first), and naming its id is refused exactly like
    naming an id that does not exist. Returns the number of requests made."""
    trainer = client.get("/v1/quiz/banks/khong-co", headers=headers).status_code == 404  # staff get 403 here
    requests = 1
    for question in queries:
        routes = [("/v1/quiz/lessons", {"topic": question})]
        if trainer:
            routes.append(("/v1/quiz/banks", {"title": "Ôn tập", "topic": question, "count": 8}))
        for route, body in routes:
            response = client.post(route, json=body, headers=headers)
            requests += 1
            assert response.status_code in (200, 201, 422), (route, body, response.text)
            assert_clean(response.text.replace(question, ""), telltales, f"{route} {body}")
    if trainer:
        named = [
            client.post("/v1/quiz/banks", json={"title": "Ôn tập", "doc_ids": [d]}, headers=headers)
            for d in (doc_id, ABSENT_ID)
        ]
        assert named[0].status_code == named[1].status_code == 422
        assert named[0].text.replace(doc_id, "<id>") == named[1].text.replace(ABSENT_ID, "<id>")
        requests += 2
    return requests


def probe_inspection(
    client: TestClient, headers: dict[str, str], doc_id: str, queries: Sequence[str], telltales: Sequence[str]
) -> int:
    """Inspection and drafting: legal bases (JSON and the text block), drafts whose căn cứ come from a topic and the
    inspection workspace (JSON, checklist DOCX, plan DOCX), all asked for by the hidden document's words, carry
    nothing of it (the caller's own topic, echoed back, is taken out
    first); the changes of the hidden id, or against it, look exactly like those of an id that does not exist.
    Returns the number of requests made."""
    requests = 0
    for question in queries:
        calls = [
            ("/v1/inspection/bases", {}, {"topic": question, "include_superseded": True}),
            ("/v1/inspection/bases", {"format": "text"}, {"topic": question}),
            ("/v1/drafts", {"format": "json"}, {"kind": "cong_van", "subject": question, "bases_topic": question}),
            ("/v1/inspection/workspace", {}, {"topic": question, "object_name": INSPECTED}),
            ("/v1/inspection/workspace", {"format": "checklist"}, {"topic": question, "object_name": INSPECTED}),
            ("/v1/inspection/workspace", {"format": "plan"}, {"topic": question, "object_name": INSPECTED}),
        ]
        for route, params, body in calls:
            response = client.post(route, params=params, json=body, headers=headers)
            requests += 1
            assert response.status_code == 200, (route, body, response.text)
            text = docx_text(response.content) if params.get("format") in ("checklist", "plan") else response.text
            echo_removed = " ".join(text.split()).replace(question, "")  # a title wraps the topic over lines
            assert_clean(echo_removed, telltales, f"{route} {params} {body}")
            if route == "/v1/drafts":
                assert_clean("\n".join(response.json()["bases"]), telltales, f"{route} bases of {question!r}")
    public = client.get("/v1/documents", params={"limit": 1}, headers=headers).json()["documents"][0]["doc_id"]
    for template in ("/v1/documents/{}/changes?format=json", f"/v1/documents/{public}/changes?against={{}}"):
        for suffix in ("", "&format=docx"):
            hidden = normalised_404(client, template.format(doc_id) + suffix, headers, doc_id)
            absent = normalised_404(client, template.format(ABSENT_ID) + suffix, headers, ABSENT_ID)
            assert hidden == absent and hidden[0] == 404, (template, suffix)
            requests += 2
    return requests
