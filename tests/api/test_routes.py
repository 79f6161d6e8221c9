"""Every HTTP route through the app factory with its lifespan: answers, search, documents, errors, OpenAPI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.deps import get_principal
from assistant.embedding.hashing import HashingEmbedder
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import Principal

URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"
# An English question quoting the clause without diacritics: detected as English, and close enough to the clause
# for the hashing embedder (English evidence is dense-only, so a paraphrase would carry no signal offline).
ENGLISH = (
    "What is the time limit in Dieu 2, Thoi han xu ly van ban den: van thu chuyen van ban den cho lanh dao "
    "trong ngay lam viec; van ban khan phai duoc xu ly trong vong bao nhieu gio lam viec ke tu khi nhan?"
)
MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture
def app(settings: Settings, service: AssistantService) -> FastAPI:
    return create_app(settings, service=service)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def not_found_message(doc_id: str) -> str:
    return f"Không tìm thấy văn bản '{doc_id}'. Xem danh sách tại GET /v1/documents."


# -- health --------------------------------------------------------------------------------------------


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_the_served_index(client: TestClient, service: AssistantService) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert body["index_version"] == service.holder.get().version
    assert body["documents"] == 3
    assert body["chunks"] == len(service.holder.get().chunks) > 3
    assert body["embedder"] == "hashing-256"


def test_readyz_is_503_before_any_ingest(settings: Settings, embedder: HashingEmbedder) -> None:
    empty = AssistantService(settings, embedder=embedder)
    with TestClient(create_app(settings, service=empty)) as client:
        ready = client.get("/readyz")
        ask = client.post("/v1/ask", json={"question": URGENT})
        healthy = client.get("/healthz")
    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/json"
    assert ready.json() == {
        "ready": False,
        "index_version": None,
        "documents": 0,
        "chunks": 0,
        "embedder": "hashing-256",
    }
    assert ask.status_code == 503
    error = ask.json()["error"]
    assert error["code"] == "index_not_ready"
    assert "assistant ingest" in error["message"]
    assert healthy.status_code == 200


# -- ask -----------------------------------------------------------------------------------------------


def test_ask_cites_the_newer_decree_with_markers_in_the_answer(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": URGENT})
    assert response.status_code == 200
    body = response.json()
    assert body["abstained"] is False
    assert body["language"] == "vi"
    lead = body["answer"].splitlines()[0]
    assert lead.startswith("Trong vòng 2 giờ làm việc: ") and lead.endswith("[1]")  # the asked time limit first
    assert "4 giờ" not in body["answer"]

    citations = body["citations"]
    assert citations
    markers = {int(n) for n in MARKER.findall(body["answer"])}
    assert {c["n"] for c in citations} == markers
    passage_ids = {p["chunk_id"] for p in body["passages"]}
    for citation in citations:
        assert citation["chunk_id"] in passage_ids
        assert citation["doc_id"] == "qd-30-2025"
        assert citation["number"] == "30/2025/QĐ-UBND"
        assert citation["current"] is True
        assert citation["warning"] == ""
        assert citation["url"] == "/v1/documents/qd-30-2025/source"
    assert citations[0]["path"] == "khoản 2 Điều 2"
    assert body["index_version"] == client.get("/readyz").json()["index_version"]
    assert "total_ms" in body["timings"]


def test_ask_off_topic_abstains_without_citations(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "giá vé máy bay đi Hà Nội"})
    assert response.status_code == 200
    body = response.json()
    assert body["abstained"] is True
    assert body["citations"] == []
    assert MARKER.search(body["answer"]) is None
    assert body["answer"].startswith("Không tìm thấy căn cứ")
    assert body["evidence"] < 0.2


def test_ask_in_english_gets_english_framing(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": ENGLISH}).json()
    assert body["language"] == "en"
    assert body["abstained"] is False
    assert "the source (in Vietnamese) says: “" in body["answer"].splitlines()[0]
    assert body["citations"]
    assert {c["doc_id"] for c in body["citations"]} == {"qd-30-2025"}


def test_ask_in_english_without_evidence_abstains_in_english(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "What is the airfare to Hanoi?"}).json()
    assert body["language"] == "en"
    assert body["abstained"] is True
    assert body["answer"].startswith("No basis was found")
    assert body["citations"] == []


# -- search and filters --------------------------------------------------------------------------------


def test_search_returns_ranked_passages_and_respects_top_k(client: TestClient) -> None:
    response = client.post("/v1/search", json={"question": URGENT, "top_k": 3})
    assert response.status_code == 200
    passages = response.json()["passages"]
    assert [p["rank"] for p in passages] == [1, 2, 3]
    scores = [p["score"] for p in passages]
    assert scores == sorted(scores, reverse=True)
    assert passages[0]["chunk_id"] == "qd-30-2025:dieu-2"
    assert passages[0]["path"] == "Điều 2"
    assert "Văn bản khẩn" in passages[0]["text"]


def test_search_default_top_k_comes_from_settings(client: TestClient, settings: Settings) -> None:
    passages = client.post("/v1/search", json={"question": URGENT}).json()["passages"]
    assert len(passages) == settings.top_k


def test_in_force_only_excludes_the_replaced_decree(client: TestClient) -> None:
    unfiltered = client.post("/v1/search", json={"question": URGENT, "top_k": 20}).json()["passages"]
    replaced = [p for p in unfiltered if p["doc_id"] == "qd-12-2024"]
    assert replaced, "without the filter the replaced decree is still ranked (demoted)"
    assert all(p["current"] is False and p["status"] == "expired" for p in replaced)

    body = {"question": URGENT, "top_k": 20, "filters": {"in_force_only": True}}
    filtered = client.post("/v1/search", json=body).json()["passages"]
    assert filtered
    assert {p["doc_id"] for p in filtered} == {"qd-30-2025"}


def test_doc_types_filter(client: TestClient) -> None:
    decisions = client.post(
        "/v1/search", json={"question": URGENT, "top_k": 20, "filters": {"doc_types": ["quyết định"]}}
    ).json()["passages"]
    assert decisions
    assert {p["doc_id"] for p in decisions} == {"qd-12-2024", "qd-30-2025"}

    plans = client.post(
        "/v1/search", json={"question": "diễn tập ứng cứu sự cố", "filters": {"doc_types": ["Kế hoạch"]}}
    ).json()["passages"]
    assert plans == [], "the only 'Kế hoạch' is unit-only: an anonymous caller gets nothing, not a hint"


def test_doc_types_filter_for_a_member_of_the_unit(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[get_principal] = lambda: Principal(units=frozenset({"STTTT"}))
    passages = client.post(
        "/v1/search", json={"question": "diễn tập ứng cứu sự cố", "filters": {"doc_types": ["Kế hoạch"]}}
    ).json()["passages"]
    assert passages
    assert {p["doc_id"] for p in passages} == {"kh-77-stttt"}


# -- documents -----------------------------------------------------------------------------------------


def test_documents_lists_public_documents_only(client: TestClient) -> None:
    response = client.get("/v1/documents")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert [d["doc_id"] for d in body["documents"]] == ["qd-12-2024", "qd-30-2025"]
    old, new = body["documents"]
    assert old["superseded_by"] == ["30/2025/QĐ-UBND"]
    assert old["current"] is False
    assert new["current"] is True
    assert new["relations"] == [{"kind": "replaces", "target": "12/2024/QĐ-UBND"}]
    assert new["source_url"] == "/v1/documents/qd-30-2025/source"


def test_documents_query_filters_never_reveal_hidden_ones(client: TestClient) -> None:
    plans = client.get("/v1/documents", params={"doc_type": "Kế hoạch"}).json()
    assert plans["total"] == 0
    assert plans["documents"] == []
    in_force = client.get("/v1/documents", params={"in_force_only": "true"}).json()
    assert [d["doc_id"] for d in in_force["documents"]] == ["qd-30-2025"]
    page = client.get("/v1/documents", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 2
    assert [d["doc_id"] for d in page["documents"]] == ["qd-30-2025"]


def test_document_detail_lists_its_chunks(client: TestClient) -> None:
    response = client.get("/v1/documents/qd-30-2025")
    assert response.status_code == 200
    body = response.json()
    assert body["document"]["number"] == "30/2025/QĐ-UBND"
    assert body["document"]["issued_date"] == "2025-06-01"
    chunks = body["chunks"]
    assert [c["ordinal"] for c in chunks] == list(range(len(chunks)))
    assert all(c["chunk_id"].startswith("qd-30-2025:") for c in chunks)
    assert {"Điều 1", "Điều 2", "Điều 3"} <= {c["path"] for c in chunks}
    assert any("2 giờ làm việc" in c["text"] for c in chunks)


def test_document_source_returns_the_original_bytes(client: TestClient, shelf: Path) -> None:
    response = client.get("/v1/documents/qd-30-2025/source")
    assert response.status_code == 200
    assert response.content == (shelf / "qd-30-2025.txt").read_bytes()
    assert response.headers["content-type"].startswith("text/plain")
    assert 'filename="qd-30-2025.txt"' in response.headers["content-disposition"]


@pytest.mark.parametrize("suffix", ["", "/source"])
def test_unknown_document_is_404_json(client: TestClient, suffix: str) -> None:
    response = client.get(f"/v1/documents/khong-co-van-ban{suffix}")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": not_found_message("khong-co-van-ban")}}


@pytest.mark.parametrize("suffix", ["", "/source"])
def test_hidden_document_looks_exactly_like_an_unknown_one(client: TestClient, suffix: str) -> None:
    hidden = client.get(f"/v1/documents/kh-77-stttt{suffix}")
    unknown = client.get(f"/v1/documents/khong-co-van-ban{suffix}")
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.headers["content-type"] == unknown.headers["content-type"]
    unknown_body = unknown.json()
    unknown_body["error"]["message"] = unknown_body["error"]["message"].replace("khong-co-van-ban", "kh-77-stttt")
    assert hidden.json() == unknown_body


# -- validation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("/v1/ask", {"question": ""}, "'question'"),
        ("/v1/ask", {"question": "   "}, "'question'"),
        ("/v1/ask", {}, "'question'"),
        ("/v1/ask", {"question": URGENT, "top_k": 0}, "'top_k'"),
        ("/v1/ask", {"question": URGENT, "top_k": 21}, "'top_k'"),
        ("/v1/ask", {"question": URGENT, "mode": "fast"}, "'mode'"),
        ("/v1/search", {"question": URGENT, "top_k": 0}, "'top_k'"),
        ("/v1/search", {"question": URGENT, "filters": {"in_force": True}}, "'filters.in_force'"),
        ("/v1/search", {"question": URGENT, "filters": {"as_of": "hôm qua"}}, "'filters.as_of'"),
    ],
)
def test_invalid_requests_are_422_naming_the_field(client: TestClient, route: str, body: dict, field: str) -> None:
    response = client.post(route, json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in error["message"]


def test_question_over_max_length_is_422(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "văn bản " * 300})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert "'question'" in error["message"]
    assert "2000" in error["message"]


def test_invalid_documents_query_is_422(client: TestClient) -> None:
    response = client.get("/v1/documents", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert "'query.limit'" in response.json()["error"]["message"]


# -- OpenAPI -------------------------------------------------------------------------------------------

JSON_ROUTES = {
    ("/healthz", "get"): "Health",
    ("/readyz", "get"): "Readiness",
    ("/v1/ask", "post"): "AskResponse",
    ("/v1/search", "post"): "SearchResponse",
    ("/v1/documents", "get"): "DocumentList",
    ("/v1/documents/{doc_id}", "get"): "DocumentDetail",
    ("/v1/auth/login", "post"): "LoginResponse",
    ("/v1/auth/logout", "post"): "LogoutResponse",
    ("/v1/auth/oidc/callback", "get"): "LoginResponse",
    ("/v1/me", "get"): "UserOut",
    ("/v1/documents/{doc_id}", "delete"): "RemoveResponse",
    ("/v1/ingest/jobs/{job_id}", "get"): "JobOut",
    ("/v1/feedback", "get"): "FeedbackList",
    ("/v1/me/conversations", "get"): "ConversationList",
    ("/v1/eval/runs", "get"): "EvalRunList",
    ("/v1/eval/runs/{run_id}", "get"): "EvalRunOut",
    ("/v1/me/conversations/{conversation_id}", "get"): "ConversationOut",
    ("/v1/me/conversations/{conversation_id}", "put"): "ConversationOut",
    ("/v1/index/rollback", "post"): "RollbackResponse",
    ("/v1/index/versions", "get"): "assistant__api__admin_schemas__VersionList",
    ("/v1/trash", "get"): "TrashList",
    ("/v1/trash/purge", "post"): "TrashPurged",
    ("/v1/trash/{doc_id}/restore", "post"): "TrashRestored",
    ("/v1/quiz/banks", "get"): "BankList",
    ("/v1/quiz/banks/{bank_id}", "get"): "BankOut",
    ("/v1/quiz/banks/{bank_id}/items/{item_id}", "put"): "BankOut",
    ("/v1/quiz/banks/{bank_id}/practice", "get"): "PracticeOut",
    ("/v1/quiz/banks/{bank_id}/practice", "post"): "PracticeResult",
    ("/v1/quiz/banks/{bank_id}/stats", "get"): "StatsOut",
    ("/v1/quiz/banks/{bank_id}/versions", "get"): "assistant__api__quiz_schemas__VersionList",
    ("/v1/quiz/lessons", "post"): "LessonOut",  # or DOCX on request
    ("/v1/inspection/bases", "post"): "BasesResponse",  # or text/plain with ?format=text
    ("/v1/inspection/workspace", "post"): "WorkspaceResponse",  # or DOCX with ?format=checklist|plan
    ("/v1/documents/{doc_id}/changes", "get"): "ComparisonOut",  # or DOCX with ?format=docx
    ("/v1/drafts", "post"): "DraftOut",  # with ?format=json; DOCX by default
    ("/v1/chat/completions", "post"): "ChatCompletion",  # or chat.completion.chunk events with "stream": true
    ("/v1/models", "get"): "ModelList",
}
# Routes whose success status is not 200, or whose body is not JSON.
OTHER_ROUTES = {
    ("/v1/documents/{doc_id}/source", "get"),
    ("/v1/documents", "post"),
    ("/v1/feedback", "post"),
    ("/v1/feedback/export", "get"),
    ("/v1/ask/stream", "post"),  # Server-Sent Events (tests/api/test_stream.py)
    ("/v1/auth/oidc/login", "get"),  # a redirect to the identity provider
    ("/v1/backup", "post"),  # an archive download
    ("/v1/quiz/banks", "post"),  # 201
    ("/v1/quiz/banks/{bank_id}", "delete"),  # 204
    ("/v1/me/conversations/{conversation_id}", "delete"),  # 204
    ("/v1/me/conversations", "post"),  # 201
    ("/v1/eval/runs", "post"),  # 202
    ("/v1/quiz/banks/{bank_id}/export", "get"),  # a file
    ("/widget.js", "get"),  # the portal chat box (tests/ui/test_widget.py)
}


def _schema_ref(response: dict) -> str:
    return str(response["content"]["application/json"]["schema"]["$ref"]).rsplit("/", 1)[-1]


def test_openapi_lists_every_route_with_its_response_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operations = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert operations == {*JSON_ROUTES, *OTHER_ROUTES}
    for (path, method), schema in JSON_ROUTES.items():
        assert _schema_ref(spec["paths"][path][method]["responses"]["200"]) == schema, path
    source = spec["paths"]["/v1/documents/{doc_id}/source"]["get"]["responses"]
    assert "application/octet-stream" in source["200"]["content"]
    for path in ("/v1/documents/{doc_id}", "/v1/documents/{doc_id}/source"):
        assert _schema_ref(spec["paths"][path]["get"]["responses"]["404"]) == "ErrorResponse"


def test_openapi_documents_the_422_body_the_app_actually_sends(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if "422" in op["responses"]:
                assert _schema_ref(op["responses"]["422"]) == "ErrorResponse", (method, path)


def test_swagger_ui_is_served(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.text
