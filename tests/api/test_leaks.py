"""Endpoint-level leak suite: a unit-only and a restricted document never surface, through any endpoint, to users
of other units — not in answers, passages, listings, counts, lookups, downloads, exports or error bodies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from auth_support import bearer
from fastapi.testclient import TestClient
from leak_support import (
    assert_clean,
    assert_feedback_is_no_oracle,
    probe_hidden_document,
    probe_inspection,
    probe_quiz,
)
from support import ingest, write_doc

from assistant.embedding.hashing import HashingEmbedder
from assistant.service import AssistantService
from assistant.settings import Settings

UNIT_DOC, RESTRICTED_DOC = "kh-77-stttt", "kl-05-ttt"
RESTRICTED = """THANH TRA TỈNH
Số: 05/KL-TTT
KẾT LUẬN THANH TRA
Kết luận thanh tra công tác quản lý ngân sách năm 2024
Điều 1. Kết luận
Phát hiện sai phạm tại gói thầu mã GT-KIWI-55 với tổng giá trị 3 tỷ đồng.
Điều 2. Kiến nghị
Kiến nghị xử lý trách nhiệm Ban quản lý dự án về gói thầu GT-KIWI-55.
"""
QUERIES = {
    UNIT_DOC: [
        "Ứng cứu sự cố an toàn thông tin năm 2025",  # exact title
        "77/KH-STTTT",  # số hiệu
        "Đội ứng cứu mang mật danh SAO-BANG-09 gồm 7 thành viên",
        "phòng máy chủ tầng 3 trực 24/7",
        "diễn tập ứng cứu sự cố ngày 14 tháng 9 hằng năm",
    ],
    RESTRICTED_DOC: [
        "Kết luận thanh tra công tác quản lý ngân sách năm 2024",
        "05/KL-TTT",
        "sai phạm tại gói thầu mã GT-KIWI-55",
        "tổng giá trị 3 tỷ đồng",
        "xử lý trách nhiệm Ban quản lý dự án",
    ],
}
METADATA = {UNIT_DOC: ("Kế hoạch", "Thông tin và Truyền thông"), RESTRICTED_DOC: ("Kết luận", "Thanh tra")}
TELLTALES = {
    UNIT_DOC: ["kh-77-stttt", "77/KH-STTTT", "SAO-BANG", "máy chủ tầng 3", "Ứng cứu sự cố", "14 tháng 9"],
    RESTRICTED_DOC: ["kl-05-ttt", "05/KL-TTT", "GT-KIWI", "3 tỷ", "Kết luận thanh tra", "Ban quản lý dự án"],
}
# Who must not see what: (username, roles, units) → the hidden documents.
OUTSIDERS = {
    ("yte", ("staff",), ("SYT",)): [UNIT_DOC, RESTRICTED_DOC],
    ("xaydung", ("staff", "trainer"), ("SXD",)): [UNIT_DOC, RESTRICTED_DOC],
    ("danh-gia", ("evaluator",), ()): [UNIT_DOC, RESTRICTED_DOC],
    ("tttt", ("staff",), ("STTTT",)): [RESTRICTED_DOC],  # its own unit doc is fine, the inspection is not
    ("tinh", ("staff",), ("LANGSON",)): [RESTRICTED_DOC],  # the root sees unit docs, not a restricted list
}
INSIDERS = {
    ("tttt2", ("staff",), ("STTTT",)): [UNIT_DOC],
    ("tinh2", ("staff",), ("LANGSON",)): [UNIT_DOC],
    ("thanh-tra", ("staff",), ("TTT",)): [RESTRICTED_DOC],
    ("thanh-tra-vien", ("inspector",), ("SYT",)): [RESTRICTED_DOC],
}


@pytest.fixture
def client(
    app_client, settings: Settings, embedder: HashingEmbedder, service: AssistantService, tmp_path: Path
) -> TestClient:  # type: ignore[no-untyped-def]
    path = write_doc(
        tmp_path / "restricted", "kl-05-ttt.txt", RESTRICTED,
        'id: kl-05-ttt\nnumber: "05/KL-TTT"\ntype: "Kết luận"\nissuer: "Thanh tra tỉnh"\n'
        "visibility: restricted\nallowed_units: [TTT]\nallowed_roles: [inspector]\n",
    )  # fmt: skip
    assert ingest(settings, embedder, path).ingested == [RESTRICTED_DOC]
    service.refresh_index()
    return app_client(allow_anonymous=False, rate_limit_user_per_minute=0, rate_limit_ip_per_minute=0)  # type: ignore[no-any-return]


@pytest.mark.parametrize("who", sorted(OUTSIDERS), ids=lambda w: w[0])
def test_outsiders_get_nothing_of_hidden_documents_anywhere(
    client: TestClient, who: tuple[str, tuple[str, ...], tuple[str, ...]]
) -> None:
    username, roles, units = who
    hidden = OUTSIDERS[who]
    headers = bearer(client, username, roles=roles, units=units)
    public_count = 2 + (1 if UNIT_DOC not in hidden else 0)
    for doc in hidden:
        doc_type, issuer = METADATA[doc]
        probe_hidden_document(client, headers, doc, QUERIES[doc], TELLTALES[doc], doc_type=doc_type, issuer=issuer)
        quiz_requests = probe_quiz(client, headers, doc, QUERIES[doc], TELLTALES[doc])
        assert quiz_requests == 1 + len(QUERIES[doc]) * (2 if "trainer" in roles else 1) + (
            2 if "trainer" in roles else 0
        )
        assert probe_inspection(client, headers, doc, QUERIES[doc], TELLTALES[doc]) == 6 * len(QUERIES[doc]) + 8

    listing = client.get("/v1/documents", params={"limit": 1000}, headers=headers).json()
    assert listing["total"] == len(listing["documents"]) == public_count
    assert_clean(json.dumps(listing, ensure_ascii=False), [t for d in hidden for t in TELLTALES[d]], "/v1/documents")
    for doc_type in ("Kế hoạch", "Kết luận"):
        filtered = client.get("/v1/documents", params={"doc_type": doc_type}, headers=headers).json()
        expected = 1 if (doc_type == "Kế hoạch" and UNIT_DOC not in hidden) else 0
        assert filtered["total"] == expected

    assert_feedback_is_no_oracle(client, headers, f"{hidden[0]}:dieu-1")


@pytest.mark.parametrize("who", sorted(INSIDERS), ids=lambda w: w[0])
def test_insiders_find_what_they_may_see(client: TestClient, who: tuple[str, tuple[str, ...], tuple[str, ...]]) -> None:
    username, roles, units = who
    headers = bearer(client, username, roles=roles, units=units)
    for doc in INSIDERS[who]:
        for question in QUERIES[doc][:3]:
            passages = client.post("/v1/search", json={"question": question}, headers=headers).json()["passages"]
            assert doc in {p["doc_id"] for p in passages}, (username, question)
        assert client.get(f"/v1/documents/{doc}", headers=headers).status_code == 200
        assert client.get(f"/v1/documents/{doc}/source", headers=headers).status_code == 200


def test_raw_bm25_scores_are_for_admins_only(client: TestClient) -> None:
    """BM25 statistics are corpus-wide (hidden documents included), so the raw score is not shown to others."""
    staff = bearer(client, "yte", roles=["staff"], units=["SYT"])
    admin = bearer(client, "quan-tri", roles=["admin"])
    question = {"question": "Văn bản khẩn phải được xử lý trong bao lâu?"}
    for_staff = client.post("/v1/search", json=question, headers=staff).json()["passages"]
    for_admin = client.post("/v1/search", json=question, headers=admin).json()["passages"]
    assert for_staff and all("bm25" not in p["scores"] for p in for_staff)
    assert all("bm25_rank" in p["scores"] or "dense" in p["scores"] for p in for_staff)
    assert any("bm25" in p["scores"] for p in for_admin)


def test_the_feedback_export_for_admins_is_a_loadable_question_set(client: TestClient, tmp_path: Path) -> None:
    from eval.datasets import load_dataset

    staff = bearer(client, "tttt", roles=["staff"], units=["STTTT"])
    admin = bearer(client, "quan-tri", roles=["admin"])
    answer = client.post("/v1/ask", json={"question": QUERIES[UNIT_DOC][2]}, headers=staff).json()
    sent = client.post(
        "/v1/feedback",
        json={
            "rating": "up", "question": QUERIES[UNIT_DOC][2], "answer": answer["answer"],
            "citations": [c["chunk_id"] for c in answer["citations"]], "index_version": answer["index_version"],
        },
        headers=staff,
    )  # fmt: skip
    fid = sent.json()["id"]
    listed = client.get("/v1/feedback", headers=admin).json()["items"]
    assert listed[0]["id"] == fid and listed[0]["unit"] == "STTTT"
    exported = client.get("/v1/feedback/export", params={"ids": str(fid)}, headers=admin)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/x-ndjson")
    root = tmp_path / "fb-set"
    (root / "shelf").mkdir(parents=True)
    (root / "questions").mkdir()
    (root / "questions" / "feedback.jsonl").write_text(exported.text, encoding="utf-8")
    dataset = load_dataset(root)
    [question] = dataset.questions
    assert question.qid == f"fb-{fid}"
    assert question.gold_doc_ids == (UNIT_DOC,)
    assert question.asker_unit == "STTTT"
    assert client.get("/v1/feedback/export", params={"ids": "1,x"}, headers=admin).status_code == 422
