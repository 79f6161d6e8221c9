"""Trainer mode over HTTP: who may generate, review, export, practise and read results; edits are versioned; and a
unit-only document never reaches a bank, an export, a lesson or a practice session of another unit."""

from __future__ import annotations

import io
from typing import Any

import pytest
from auth_support import bearer
from docx import Document
from fastapi.testclient import TestClient
from lxml import etree

from assistant.text.normalize import fold_diacritics

INTERNAL_TELLTALES = ["kh-77-stttt", "77/KH-STTTT", "SAO-BANG", "máy chủ tầng 3", "Ứng cứu sự cố", "14 tháng 9"]


@pytest.fixture
def client(app_client) -> TestClient:  # type: ignore[no-untyped-def]
    return app_client(allow_anonymous=False, rate_limit_user_per_minute=0, rate_limit_ip_per_minute=0)  # type: ignore[no-any-return]


def _generate(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    response = client.post("/v1/quiz/banks", json={"title": "Ôn tập", "count": 6, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_trainer_builds_a_cited_bank_from_current_documents_only(client: TestClient) -> None:
    trainer = bearer(client, "gv-sxd", roles=["trainer"], units=["SXD"])
    made = _generate(client, trainer, topic="xử lý văn bản đến, văn bản khẩn")
    bank = made["bank"]
    assert bank["version"] == 1 and bank["owner"] == "gv-sxd" and bank["items"]
    assert made["checked"] >= len(bank["items"])
    assert bank["doc_ids"] == ["qd-30-2025"]  # the replaced decree 12/2024 is not drawn from
    assert bank["audience"]["visibility"] == "public"
    for item in bank["items"]:
        assert item["status"] == "pending"
        assert "30/2025/QĐ-UBND" in item["citation"]
        assert item["sources"][0]["text"] and item["explanation"]
    assert "12/2024" not in str(bank)
    listed = client.get("/v1/quiz/banks", headers=bearer(client, "nv-syt", roles=["staff"], units=["SYT"])).json()
    assert [b["bank_id"] for b in listed["banks"]] == [bank["bank_id"]]


def test_staff_may_practise_but_not_build_review_export_or_read_answers(client: TestClient) -> None:
    trainer = bearer(client, "gv-sxd", roles=["trainer"], units=["SXD"])
    bank = _generate(client, trainer, topic="văn bản khẩn")["bank"]
    staff = bearer(client, "nv-syt", roles=["staff"], units=["SYT"])
    bid = bank["bank_id"]
    assert client.post("/v1/quiz/banks", json={"title": "x", "topic": "văn bản"}, headers=staff).status_code == 403
    assert client.get(f"/v1/quiz/banks/{bid}", headers=staff).status_code == 403
    assert client.get(f"/v1/quiz/banks/{bid}/export", headers=staff).status_code == 403
    assert client.get(f"/v1/quiz/banks/{bid}/stats", headers=staff).status_code == 403
    review = {"status": "accepted", "expected_version": 1}
    item_id = bank["items"][0]["item_id"]
    assert client.put(f"/v1/quiz/banks/{bid}/items/{item_id}", json=review, headers=staff).status_code == 403
    shown = client.get(f"/v1/quiz/banks/{bid}/practice", headers=staff)
    assert shown.status_code == 200
    for item in shown.json()["items"]:
        assert set(item) == {"item_id", "kind", "stem", "options", "lefts", "rights"}  # no answer travels


def test_review_saves_versions_and_a_stale_edit_is_a_conflict(client: TestClient) -> None:
    trainer = bearer(client, "gv-sxd", roles=["trainer"], units=["SXD"])
    bank = _generate(client, trainer, topic="văn bản khẩn", kinds=["true_false", "fill_blank"])["bank"]
    bid, first, second = bank["bank_id"], bank["items"][0], bank["items"][-1]
    url = f"/v1/quiz/banks/{bid}/items"
    accepted = client.put(
        f"{url}/{first['item_id']}", json={"status": "accepted", "expected_version": 1}, headers=trainer
    )
    assert accepted.status_code == 200 and accepted.json()["version"] == 2
    stale = client.put(
        f"{url}/{second['item_id']}", json={"status": "rejected", "expected_version": 1}, headers=trainer
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    edit = {"status": "accepted", "expected_version": 2, "stem": "Câu hỏi đã sửa: văn bản khẩn xử lý trong bao lâu?"}
    edited = client.put(f"{url}/{second['item_id']}", json=edit, headers=trainer).json()
    assert edited["version"] == 3
    assert next(i for i in edited["items"] if i["item_id"] == second["item_id"])["stem"] == edit["stem"]
    versions = client.get(f"/v1/quiz/banks/{bid}/versions", headers=trainer).json()["versions"]
    assert [v["version"] for v in versions] == [1, 2, 3]
    old = client.get(f"/v1/quiz/banks/{bid}", params={"version": 1}, headers=trainer).json()
    assert all(i["status"] == "pending" for i in old["items"])
    other_unit = bearer(client, "gv-syt", roles=["trainer"], units=["SYT"])
    refused = client.put(f"{url}/{first['item_id']}", json={"status": "rejected", "expected_version": 3},
                         headers=other_unit)  # fmt: skip
    assert refused.status_code == 403


def test_exports_open_as_word_and_moodle_xml(client: TestClient) -> None:
    trainer = bearer(client, "gv-sxd", roles=["trainer"], units=["SXD"])
    bank = _generate(client, trainer, topic="văn bản khẩn")["bank"]
    url = f"/v1/quiz/banks/{bank['bank_id']}/export"
    paper = client.get(url, params={"format": "docx"}, headers=trainer)
    assert paper.status_code == 200 and "attachment" in paper.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(paper.content)).paragraphs)
    assert bank["items"][0]["stem"][:30] in text.replace("\xa0", " ") or "Câu 1" in text
    key = Document(io.BytesIO(client.get(url, params={"format": "key"}, headers=trainer).content))
    assert "30/2025/QĐ-UBND" in "\n".join(p.text for p in key.paragraphs) + "".join(
        c.text for t in key.tables for r in t.rows for c in r.cells
    )
    quiz = etree.fromstring(client.get(url, params={"format": "moodle"}, headers=trainer).content)
    assert quiz.tag == "quiz" and len(quiz.findall("question")) > len(bank["items"])  # items + category
    assert client.get(url, params={"format": "pdf"}, headers=trainer).status_code == 422


def test_practice_is_graded_with_citations_and_counted_anonymously(client: TestClient) -> None:
    trainer = bearer(client, "gv-sxd", roles=["trainer"], units=["SXD"])
    bank = _generate(client, trainer, topic="văn bản khẩn", kinds=["true_false", "fill_blank"])["bank"]
    bid = bank["bank_id"]
    answers = {i["item_id"]: i for i in bank["items"]}
    assert "fill_blank" in {i["kind"] for i in bank["items"]}
    learner = bearer(client, "nv-sxd", roles=["staff"], units=["SXD"])
    shown = client.get(f"/v1/quiz/banks/{bid}/practice", headers=learner).json()

    def right_answer(item: dict[str, Any]) -> dict[str, str]:
        if item["kind"] == "fill_blank":  # typed as staff type: without diacritics or leading zeros
            return {"text": fold_diacritics(item["answers"][0]).lstrip("0")}
        return {"choice": item["options"][item["correct"][0]]}

    right = {item["item_id"]: right_answer(answers[item["item_id"]]) for item in shown["items"]}
    graded = client.post(f"/v1/quiz/banks/{bid}/practice", json={"version": 1, "answers": right}, headers=learner)
    assert graded.status_code == 200, graded.text
    result = graded.json()
    assert result["score"] == result["total"] == len(bank["items"])
    assert all(i["correct"] and i["citation"] and i["explanation"] for i in result["items"])
    wrong = {iid: {"choice": "không phải phương án nào", "text": "không biết"} for iid in right}
    assert client.post(f"/v1/quiz/banks/{bid}/practice", json={"version": 1, "answers": wrong},
                       headers=learner).json()["score"] == 0  # fmt: skip
    stats = client.get(f"/v1/quiz/banks/{bid}/stats", headers=trainer).json()["items"]
    assert {s["attempts"] for s in stats} == {2} and {s["wrong"] for s in stats} == {1}
    assert "nv-sxd" not in str(stats)
    unknown = {"version": 1, "answers": {"khong-co": {"choice": "A"}}}
    assert client.post(f"/v1/quiz/banks/{bid}/practice", json=unknown, headers=learner).status_code == 422


def test_a_lesson_lists_cited_rules_and_exports_to_word(client: TestClient) -> None:
    staff = bearer(client, "nv-syt", roles=["staff"], units=["SYT"])
    lesson = client.post("/v1/quiz/lessons", json={"topic": "văn bản đến", "points": 3}, headers=staff).json()
    assert 1 <= len(lesson["points"]) <= 3
    assert all(p["citation"] and p["text"] for p in lesson["points"])
    word = client.post("/v1/quiz/lessons", json={"topic": "văn bản đến", "format": "docx"}, headers=staff)
    assert word.status_code == 200 and word.content[:2] == b"PK"


def test_unit_only_text_never_reaches_another_units_bank_lesson_or_practice(client: TestClient) -> None:
    outsider = bearer(client, "gv-syt", roles=["trainer"], units=["SYT"])
    asked = {"title": "Ôn tập", "topic": "đội ứng cứu sự cố an toàn thông tin diễn tập"}
    by_topic = client.post("/v1/quiz/banks", json=asked, headers=outsider)
    for telltale in INTERNAL_TELLTALES:
        assert telltale not in by_topic.text
    hidden_source, absent_source = (
        client.post("/v1/quiz/banks", json={"title": "Ôn tập", "doc_ids": [doc_id]}, headers=outsider)
        for doc_id in ("kh-77-stttt", "khong-co")
    )
    assert hidden_source.status_code == absent_source.status_code == 422
    assert hidden_source.text.replace("kh-77-stttt", "<id>") == absent_source.text.replace("khong-co", "<id>")
    asked = "diễn tập ứng cứu sự cố an toàn thông tin hằng năm"
    lesson = client.post("/v1/quiz/lessons", json={"topic": asked}, headers=outsider)
    for telltale in INTERNAL_TELLTALES:
        assert telltale not in lesson.text

    insider = bearer(client, "gv-stttt", roles=["trainer"], units=["STTTT"])
    made = _generate(client, insider, doc_ids=["kh-77-stttt"], kinds=["true_false", "fill_blank"])
    bank = made["bank"]
    assert bank["audience"] == {"visibility": "unit", "unit": "STTTT", "allowed_units": [], "allowed_roles": []}
    bid = bank["bank_id"]
    member = bearer(client, "nv-stttt", roles=["staff"], units=["STTTT"])
    assert client.get(f"/v1/quiz/banks/{bid}/practice", headers=member).status_code == 200
    for path in ("", "/practice", "/export", "/stats", "/versions"):
        hidden = client.get(f"/v1/quiz/banks/{bid}{path}", headers=outsider)
        absent = client.get(f"/v1/quiz/banks/khong-co{path}", headers=outsider)
        assert hidden.status_code == absent.status_code == 404, path
        assert hidden.text.replace(bid, "<id>") == absent.text.replace("khong-co", "<id>")
    submit = {"version": 1, "answers": {bank["items"][0]["item_id"]: {"text": "x"}}}
    assert client.post(f"/v1/quiz/banks/{bid}/practice", json=submit, headers=outsider).status_code == 404
    review = {"status": "rejected", "expected_version": 1}
    put = client.put(f"/v1/quiz/banks/{bid}/items/{bank['items'][0]['item_id']}", json=review, headers=outsider)
    assert put.status_code == 404
    assert client.delete(f"/v1/quiz/banks/{bid}", headers=outsider).status_code == 404
    listed = client.get("/v1/quiz/banks", headers=outsider).text
    for telltale in INTERNAL_TELLTALES:
        assert telltale not in listed
