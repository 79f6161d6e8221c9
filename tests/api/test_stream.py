"""POST /v1/ask/stream: the same answer, citations, auth and visibility as /v1/ask, as Server-Sent Events;
and the optional ``history`` of follow-up questions that both routes accept."""

from __future__ import annotations

import json
from typing import Any

import pytest
from auth_support import bearer
from fastapi.testclient import TestClient

from assistant.api.routes.stream import answer_pieces
from assistant.text.followup import is_follow_up, subject_context

URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"
SIGNERS = "Người ký văn bản đi gồm những ai?"
SECRET = "Đội ứng cứu sự cố mang mật danh gì và trực ở đâu?"
NONSENSE = "xyz qwerty"


def parse_sse(text: str) -> list[tuple[str, dict[str, Any]]]:
    """(event, data) pairs of an event stream; every data line must be one JSON object."""
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        assert set(fields) == {"event", "data"}, block
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def stream(client: TestClient, body: dict[str, Any], **kwargs: Any) -> list[tuple[str, dict[str, Any]]]:
    response = client.post("/v1/ask/stream", json=body, **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-store"
    return parse_sse(response.text)


@pytest.fixture
def client(app_client) -> TestClient:  # type: ignore[no-untyped-def]
    return app_client()


@pytest.mark.parametrize("question", [URGENT, SIGNERS])
def test_stream_carries_the_answer_of_ask(client: TestClient, question: str) -> None:
    events = stream(client, {"question": question})
    plain = client.post("/v1/ask", json={"question": question}).json()

    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["citations", "done"]
    assert set(names[1:-2]) == {"delta"}
    meta = events[0][1]
    assert meta["index_version"] == plain["index_version"]
    assert meta["abstained"] is False and meta["language"] == "vi"
    assert meta["evidence"] == plain["evidence"]
    assert [p["chunk_id"] for p in meta["passages"]] == [p["chunk_id"] for p in plain["passages"]]
    assert {"rank", "doc_id", "title", "number", "path", "page_start", "current", "status"} <= set(meta["passages"][0])
    assert "text" not in meta["passages"][0]  # a summary: the passages' text travels only in the citations

    deltas = [data["text"] for name, data in events if name == "delta"]
    assert "".join(deltas) == plain["answer"]
    assert events[-2][1]["citations"] == plain["citations"]
    assert events[-2][1]["citations"][0]["doc_id"] == "qd-30-2025"
    assert "total_ms" in events[-1][1]["timings"]


def test_a_list_answer_arrives_in_several_pieces(client: TestClient) -> None:
    deltas = [data["text"] for name, data in stream(client, {"question": SIGNERS}) if name == "delta"]
    assert len(deltas) >= 3
    assert all(not piece.strip().startswith("[") for piece in deltas)  # a marker stays with its sentence


def test_abstention_streams_the_no_basis_message_without_citations(client: TestClient) -> None:
    events = stream(client, {"question": NONSENSE})
    assert events[0][1]["abstained"] is True
    assert "Không tìm thấy căn cứ" in "".join(d["text"] for n, d in events if n == "delta")
    assert events[-2] == ("citations", {"citations": []})


def test_filters_apply_as_in_ask(client: TestClient) -> None:
    body = {"question": URGENT, "filters": {"in_force_only": True}}
    meta = stream(client, body)[0][1]
    assert meta["passages"] and all(p["current"] for p in meta["passages"])


def test_unit_documents_reach_only_their_unit(client: TestClient) -> None:
    anonymous = stream(client, {"question": SECRET})
    member = stream(client, {"question": SECRET}, headers=bearer(client, "nv-stttt", units=["STTTT"]))
    outsider = stream(client, {"question": SECRET}, headers=bearer(client, "nv-sxd", units=["SXD"]))

    def docs(events: list[tuple[str, dict[str, Any]]]) -> set[str]:
        cited = {c["doc_id"] for c in events[-2][1]["citations"]}
        return cited | {p["doc_id"] for p in events[0][1]["passages"]}

    assert "kh-77-stttt" in docs(member)
    assert "SAO-BANG-09" in "".join(d["text"] for n, d in member if n == "delta")
    for events in (anonymous, outsider):
        assert "kh-77-stttt" not in docs(events)
        assert "SAO-BANG-09" not in json.dumps(events, ensure_ascii=False)


def test_errors_are_json_with_their_status_not_a_stream(app_client) -> None:  # type: ignore[no-untyped-def]
    closed = app_client(allow_anonymous=False)
    unauthorized = closed.post("/v1/ask/stream", json={"question": URGENT})
    assert unauthorized.status_code == 401
    assert unauthorized.headers["content-type"] == "application/json"
    assert unauthorized.json()["error"]["code"] == "unauthorized"

    invalid = closed.post("/v1/ask/stream", json={"question": ""}, headers=bearer(closed, "nv"))
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "invalid_request"
    too_long = closed.post(
        "/v1/ask/stream", json={"question": URGENT, "history": ["x"] * 11}, headers=bearer(closed, "nv")
    )
    assert too_long.status_code == 422 and "history" in too_long.json()["error"]["message"]


def test_stream_is_in_the_openapi_schema(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/ask/stream"]["post"]
    assert "text/event-stream" in operation["responses"]["200"]["content"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/AskRequest")


# -- follow-up questions ------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/v1/ask", "/v1/ask/stream"])
def test_a_short_follow_up_is_answered_from_the_previous_question(client: TestClient, route: str) -> None:
    def ask(body: dict[str, Any]) -> tuple[bool, list[str]]:
        response = client.post(route, json=body)
        assert response.status_code == 200
        if route == "/v1/ask":
            answer = response.json()
            return answer["abstained"], [c["chunk_id"] for c in answer["citations"]]
        events = parse_sse(response.text)
        return events[0][1]["abstained"], [c["chunk_id"] for c in events[-2][1]["citations"]]

    assert ask({"question": "mấy giờ?"}) == (True, [])
    assert ask({"question": "mấy giờ?", "history": [SIGNERS, URGENT]}) == (False, ["qd-30-2025:dieu-2"])
    assert ask({"question": URGENT, "history": []})[1] == ["qd-30-2025:dieu-2"]  # an empty history changes nothing


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("mấy giờ?", True),
        ("Còn hồ sơ cấp lại thì nộp ở đâu?", True),
        ("Thủ tục đó mất bao nhiêu ngày làm việc kể từ khi nhận đủ hồ sơ?", True),  # points back
        ("What about the fee for that procedure?", True),
        ("Nghị quyết 49-NQ/TU?", False),  # names its own document
        ("Thời hạn giải quyết thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ là bao lâu?", False),
        ("", False),
    ],
)
def test_is_follow_up(question: str, expected: bool) -> None:
    assert is_follow_up(question, [URGENT]) is expected
    assert not is_follow_up(question, [])  # nothing earlier to follow


def test_subject_context() -> None:
    assert subject_context("mấy giờ?", []) == ""
    assert subject_context("mấy giờ?", ["Hỏi A?", "  ", URGENT, ""]) == URGENT
    long_previous = "Thủ tục cấp giấy phép " + "a " * 1500
    assert len(subject_context("mấy giờ?", [long_previous], max_chars=1000)) == 1000
    standalone = "Thời hạn giải quyết thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ là bao lâu?"
    assert subject_context(standalone, [URGENT]) == ""


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Một câu.",
        "Theo các văn bản tìm được:\n- 2. Văn bản khẩn phải được xử lý trong vòng 2 giờ. [1]\n- Câu hai! Câu ba? [2]",
        "Không tìm thấy căn cứ để trả lời câu hỏi này. Gợi ý: dùng thuật ngữ trong văn bản.\r\nDòng cuối",
    ],
)
def test_answer_pieces_rebuild_the_answer(text: str) -> None:
    pieces = answer_pieces(text)
    assert "".join(pieces) == text
    assert all(pieces)
