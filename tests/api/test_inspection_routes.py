"""Inspection and drafting over HTTP, on the sample shelf (corpus/src ingested as text with the hashing embedder, as in
tests/assistant/inspection/test_bases.py): legal bases on a date, the changes between the two quy chế (JSON and DOCX),
drafts as DOCX or JSON, and a draft's căn cứ never taken from a document its author may not see."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from auth_support import bearer
from docx import Document
from fastapi.testclient import TestClient
from shelf_support import shelf_service

from assistant.api.app import create_app

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UNIT_ONLY = "07/HD-TTr"  # the Thanh tra tỉnh's unit-only guide on conclusions


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    service = shelf_service(
        tmp_path_factory.mktemp("inspection-api"),
        allow_anonymous=False,
        rate_limit_user_per_minute=0,
        rate_limit_ip_per_minute=0,
    )
    with TestClient(create_app(service.settings, service=service)) as test_client:
        yield test_client


@pytest.fixture
def staff(client: TestClient) -> dict[str, str]:
    return bearer(client, "nv-sxd", roles=["staff"], units=["SXD"])


def _numbers(body: dict, superseded: bool | None = False) -> list[str]:  # type: ignore[type-arg]
    return [b["number"] for b in body["bases"] if superseded is None or b["superseded"] == superseded]


def test_bases_are_the_documents_in_force_with_the_block(client: TestClient, staff: dict[str, str]) -> None:
    response = client.post("/v1/inspection/bases", json={"topic": "quản lý văn bản"}, headers=staff)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["bases"][0]["number"] == "35/2025/QĐ-UBND"
    assert all(b["status"] == "in_force" and not b["superseded"] for b in body["bases"])
    assert "18/2021/QĐ-UBND" not in _numbers(body, superseded=None)
    lines = body["block"].splitlines()
    assert lines[0].startswith("Căn cứ Quyết định số 35/2025/QĐ-UBND ngày 20 tháng 8 năm 2025") and lines[-1][-1] == "."
    text = client.post("/v1/inspection/bases", params={"format": "text"}, json={"topic": "quản lý văn bản"},
                       headers=staff)  # fmt: skip
    assert text.headers["content-type"].startswith("text/plain") and text.text == body["block"]


def test_bases_on_a_date_follow_the_replacement(client: TestClient, staff: dict[str, str]) -> None:
    def first(as_of: str) -> list[str]:
        body = {"topic": "quản lý văn bản", "as_of": as_of}
        return _numbers(client.post("/v1/inspection/bases", json=body, headers=staff).json())

    before, after = first("2025-08-31"), first("2025-09-02")
    assert "18/2021/QĐ-UBND" in before and "35/2025/QĐ-UBND" not in before
    assert "35/2025/QĐ-UBND" in after and "18/2021/QĐ-UBND" not in after
    shown = client.post(
        "/v1/inspection/bases", json={"topic": "quản lý văn bản", "include_superseded": True}, headers=staff
    ).json()
    assert _numbers(shown, superseded=True) == ["18/2021/QĐ-UBND"] and "18/2021" not in shown["block"]


def test_bad_bases_requests_are_refused(client: TestClient, staff: dict[str, str]) -> None:
    for body in ({"topic": ""}, {"topic": "x" * 501}, {"topic": "thanh tra", "limit": 0}, {"topic": "a", "x": 1}):
        refused = client.post("/v1/inspection/bases", json=body, headers=staff)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_request", body
    blank = client.post("/v1/inspection/bases", json={"topic": "   "}, headers=staff)
    assert blank.status_code == 422 and "topic" in blank.json()["error"]["message"]
    assert client.post("/v1/inspection/bases", json={"topic": "thanh tra"}).status_code == 401


def test_changes_between_the_two_quy_che(client: TestClient, staff: dict[str, str]) -> None:
    response = client.get("/v1/documents/qc-qlvb-2021/changes", headers=staff)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["old_number"], body["new_number"], body["mode"]) == ("18/2021/QĐ-UBND", "35/2025/QĐ-UBND", "articles")
    deadline = next(c for c in body["changes"] if c["new_label"] == "Điều 7")
    assert {"op": "delete", "text": "07"} in deadline["segments"] and {"op": "insert", "text": "05"} in deadline[
        "segments"
    ]
    assert body["counts"]["changed"] == 13 and all(c["kind"] != "unchanged" for c in body["changes"])
    named = client.get("/v1/documents/qc-qlvb-2025/changes", params={"against": "qc-qlvb-2021"}, headers=staff)
    assert named.json() == body  # given the other way round, the same pair
    docx = client.get("/v1/documents/qc-qlvb-2021/changes", params={"format": "docx"}, headers=staff)
    assert docx.status_code == 200 and docx.headers["content-type"] == DOCX
    assert "attachment" in docx.headers["content-disposition"]
    text = "\n".join(cell.text for table in Document(io.BytesIO(docx.content)).tables for row in table.rows
                     for cell in row.cells)  # fmt: skip
    assert "07" in text and "05" in text


def test_changes_errors(client: TestClient, staff: dict[str, str]) -> None:
    missing = client.get("/v1/documents/khong-co/changes", headers=staff)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    same = client.get("/v1/documents/qc-qlvb-2021/changes", params={"against": "qc-qlvb-2021"}, headers=staff)
    assert same.status_code == 422
    alone = client.get("/v1/documents/qt-thanh-tra/changes", headers=staff)
    assert alone.status_code == 422 and "không thay thế hay sửa đổi" in alone.json()["error"]["message"]


INVITATION = {
    "kind": "giay_moi",
    "issuing_body": "Ủy ban nhân dân tỉnh Lạng Sơn",
    "issuing_abbreviation": "UBND",
    "drafting_unit": "VP",
    "number": "12",
    "place": "Lạng Sơn",
    "date": "2025-10-01",
    "subject": "Họp triển khai Quy chế quản lý văn bản",
    "details": {"invitees": ["Giám đốc các sở"], "venue": "Phòng họp số 1", "content": "Triển khai Quy chế"},
    "signature": {"authority": "TL.", "on_behalf_of": "Chủ tịch", "title": "Chánh Văn phòng"},
}


def _paragraphs(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_draft_is_a_docx_with_its_number_and_placeholders(client: TestClient, staff: dict[str, str]) -> None:
    response = client.post("/v1/drafts", json={**INVITATION, "bases_topic": "quản lý văn bản"}, headers=staff)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    assert response.headers["x-draft-number"] == "12/GM-UBND"
    placeholders = response.headers["x-draft-placeholders"].split(",")
    assert "details.time" in placeholders and "signature.name" in placeholders
    text = _paragraphs(response.content)
    assert "Căn cứ Quyết định số 35/2025/QĐ-UBND" in text and "Phòng họp số 1" in text
    as_json = client.post("/v1/drafts", params={"format": "json"}, json=INVITATION, headers=staff).json()
    assert as_json["number"] == "12/GM-UBND" and as_json["filename"] == "giay_moi.docx"
    assert "details.time" in as_json["placeholders"] and as_json["bases"] == []
    assert Document(io.BytesIO(base64.b64decode(as_json["docx_base64"]))).paragraphs
    unnumbered = client.post("/v1/drafts", json={"kind": "quyết định"}, headers=staff)
    assert unnumbered.status_code == 200
    assert unquote(unnumbered.headers["x-draft-number"]).startswith("…/QĐ-")  # percent-encoded UTF-8
    assert "details.articles" in unnumbered.headers["x-draft-placeholders"].split(",")


def test_bad_draft_requests_name_the_field(client: TestClient, staff: dict[str, str]) -> None:
    for body, field in (
        ({"kind": "thong_bao"}, "kind"),
        ({"kind": "giay_moi", "number": "12/GM"}, "number"),
        ({"kind": "giay_moi", "details": {"paragraphs": ["x"]}}, "details.paragraphs"),
        ({"kind": "cong_van", "details": {"paragraphs": ["a\x00b"]}}, "details"),  # no control character in a DOCX
        ({"kind": "cong_van", "subject": "a\x01b"}, "subject"),
        ({"kind": "cong_van", "details": {"paragraphs": "một đoạn"}, "recipients": ["Sở Y tế"], "subject": "x" * 1001},
         "subject"),
    ):  # fmt: skip
        refused = client.post("/v1/drafts", json=body, headers=staff)
        assert refused.status_code == 422, body
        assert field in refused.json()["error"]["message"], (body, refused.text)


def test_a_draft_never_cites_a_document_its_author_may_not_see(client: TestClient) -> None:
    body = {**INVITATION, "bases_topic": "thanh tra", "bases": ["Căn cứ chức năng, nhiệm vụ được giao"]}
    inspector = bearer(client, "tt-vien", roles=["staff"], units=["TTT"])
    outsider = bearer(client, "nv-sxd", roles=["staff"], units=["SXD"])
    inside = client.post("/v1/drafts", params={"format": "json"}, json=body, headers=inspector).json()
    assert any(UNIT_ONLY in line for line in inside["bases"])
    outside = client.post("/v1/drafts", params={"format": "json"}, json=body, headers=outsider)
    assert outside.status_code == 200
    assert outside.json()["bases"][0] == "Căn cứ chức năng, nhiệm vụ được giao"  # the user's own line, first
    assert UNIT_ONLY not in outside.text
    assert UNIT_ONLY not in _paragraphs(client.post("/v1/drafts", json=body, headers=outsider).content)


# -- the inspection workspace ---------------------------------------------------------------------------------------

WORKSPACE = {"topic": "quản lý văn bản điện tử", "object_name": "UBND xã Chi Lăng", "as_of": "2026-03-01"}


def test_the_workspace_lists_bases_checks_and_the_plans_deadlines(client: TestClient, staff: dict[str, str]) -> None:
    response = client.post("/v1/inspection/workspace", json=WORKSPACE, headers=staff)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["object_name"] == "UBND xã Chi Lăng" and "commune" in body["holders"]
    assert "35/2025/QĐ-UBND" in body["bases"]["block"] and "18/2021/QĐ-UBND" not in body["bases"]["block"]
    by_citation = {item["citation"]: item for item in body["checklist"]}
    duty = by_citation["khoản 3 Điều 7 Quy chế số 35/2025/QĐ-UBND"]
    assert duty["deadlines"] == ["05 ngày làm việc"] and duty["duty"] in duty["clause"]
    steps = {d["step"]: d for d in body["deadlines"]}
    assert steps["Thời hạn thanh tra"]["values"] == ["45 ngày", "70 ngày"]
    assert steps["Thời hạn thanh tra"]["citation"].startswith("khoản 1 Điều 12")
    assert body["plan"]["kind"] == "ke_hoach" and body["plan"]["filename"].endswith(".docx")


def _docx_text(content: bytes) -> tuple[str, list[list[str]]]:
    document = Document(io.BytesIO(content))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return "\n".join(p.text for p in document.paragraphs), rows


def test_the_checklist_and_the_plan_download_as_word(client: TestClient, staff: dict[str, str]) -> None:
    checklist = client.post("/v1/inspection/workspace", params={"format": "checklist"}, json=WORKSPACE, headers=staff)
    assert checklist.status_code == 200 and checklist.headers["content-type"] == DOCX
    assert "bang-kiem-2026-03-01.docx" in unquote(checklist.headers["content-disposition"])
    _, rows = _docx_text(checklist.content)
    assert rows[0][:3] == ["STT", "Nội dung kiểm tra", "Căn cứ"]
    cited = [row for row in rows[1:] if "khoản 3 Điều 7" in row[2] and "35/2025/QĐ-UBND" in row[2]]
    assert cited and "05 ngày làm việc" in cited[0][3]
    plan = client.post("/v1/inspection/workspace", params={"format": "plan"}, json=WORKSPACE, headers=staff)
    assert plan.status_code == 200 and plan.headers["content-type"] == DOCX
    text, _ = _docx_text(plan.content)
    assert "KẾ HOẠCH" in text and "UBND xã Chi Lăng" in text and "Căn cứ" in text and "45 ngày" in text


def test_bad_workspace_requests_are_refused(client: TestClient, staff: dict[str, str]) -> None:
    blank = client.post("/v1/inspection/workspace", json={**WORKSPACE, "object_name": "  "}, headers=staff)
    assert blank.status_code == 422 and "object_name" in blank.text
    for body in ({"topic": "thanh tra"}, {**WORKSPACE, "extra": 1}, {**WORKSPACE, "as_of": "31/02/2026"}):
        assert client.post("/v1/inspection/workspace", json=body, headers=staff).status_code == 422
    odd = client.post("/v1/inspection/workspace", params={"format": "pdf"}, json=WORKSPACE, headers=staff)
    assert odd.status_code == 422
    assert client.post("/v1/inspection/workspace", json=WORKSPACE).status_code == 401


def test_the_workspace_never_draws_on_a_unit_only_text_for_an_outsider(
    client: TestClient, staff: dict[str, str]
) -> None:
    asked = {**WORKSPACE, "topic": "kết luận thanh tra"}
    inspector = bearer(client, "ttv", roles=["inspector"], units=["TTT"])
    inside = client.post("/v1/inspection/workspace", json=asked, headers=inspector).json()
    assert UNIT_ONLY in {item["number"] for item in inside["checklist"]}
    for fmt in ("json", "checklist", "plan"):
        seen = client.post("/v1/inspection/workspace", params={"format": fmt}, json=asked, headers=staff)
        text = (
            seen.text if fmt == "json" else "\n".join([_docx_text(seen.content)[0], str(_docx_text(seen.content)[1])])
        )
        assert seen.status_code == 200 and UNIT_ONLY not in text, fmt
