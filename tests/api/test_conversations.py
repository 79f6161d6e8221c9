"""Saved conversations: each user sees, saves and deletes only their own; bad turns are refused by field."""

from __future__ import annotations

from pathlib import Path

import pytest
from auth_support import bearer
from fastapi.testclient import TestClient

from assistant.accounts.db import Database
from assistant.api.conversation_store import ConversationStore
from assistant.api.errors import ConversationNotFound

CITATION = {
    "n": 1, "chunk_id": "qd-30-2025:dieu-2", "doc_id": "qd-30-2025", "title": "Quy chế công tác văn thư",
    "number": "30/2025/QĐ-UBND", "path": "Điều 2", "page": 1, "snippet": "Văn bản khẩn xử lý trong 2 giờ.",
    "status": "in_force", "current": True,
}  # fmt: skip
QUESTION = "Văn bản khẩn phải được xử lý trong bao lâu?"
TURN = {"question": QUESTION, "answer": "Trong 2 giờ [1].", "citations": [CITATION]}


@pytest.fixture
def client(app_client) -> TestClient:  # type: ignore[no-untyped-def]
    return app_client(allow_anonymous=True)


def test_a_saved_conversation_comes_back_after_a_new_login(client: TestClient) -> None:
    headers = bearer(client, "lan", units=["STTTT"])
    created = client.post("/v1/me/conversations", json={"turns": [TURN]}, headers=headers)
    assert created.status_code == 201, created.text
    conversation_id = created.json()["id"]
    second = {"question": "còn văn bản thường thì sao?", "answer": "", "abstained": True}
    saved = client.put(f"/v1/me/conversations/{conversation_id}", json={"turns": [TURN, second]}, headers=headers)
    assert saved.status_code == 200 and saved.json()["turn_count"] == 2

    again = bearer(client, "lan")  # another token of the same user: another browser, or after a reload
    listed = client.get("/v1/me/conversations", headers=again).json()["conversations"]
    assert [(c["id"], c["title"], c["turn_count"]) for c in listed] == [(conversation_id, TURN["question"], 2)]
    opened = client.get(f"/v1/me/conversations/{conversation_id}", headers=again).json()
    assert [t["question"] for t in opened["turns"]] == [TURN["question"], second["question"]]
    assert opened["turns"][0]["citations"][0]["number"] == "30/2025/QĐ-UBND"
    assert opened["turns"][1]["abstained"] is True

    assert client.delete(f"/v1/me/conversations/{conversation_id}", headers=again).status_code == 204
    assert client.get("/v1/me/conversations", headers=again).json()["conversations"] == []


def test_another_users_conversation_looks_like_none_at_all(client: TestClient) -> None:
    owner = bearer(client, "lan", units=["STTTT"])
    other = bearer(client, "hoa", units=["SXD"])
    conversation_id = client.post("/v1/me/conversations", json={"turns": [TURN]}, headers=owner).json()["id"]
    missing = "0123456789abcdef01234567"
    for method, body in (("GET", None), ("PUT", {"turns": [TURN]}), ("DELETE", None)):
        theirs = client.request(method, f"/v1/me/conversations/{conversation_id}", json=body, headers=other)
        absent = client.request(method, f"/v1/me/conversations/{missing}", json=body, headers=other)
        assert theirs.status_code == absent.status_code == 404, method
        assert theirs.json()["error"]["message"].replace(conversation_id, "<id>") == absent.json()["error"][
            "message"
        ].replace(missing, "<id>")
    assert client.get("/v1/me/conversations", headers=other).json()["conversations"] == []
    assert TURN["question"] not in client.get("/v1/me/conversations", headers=other).text
    kept = client.get(f"/v1/me/conversations/{conversation_id}", headers=owner).json()
    assert kept["turns"][0]["answer"] == TURN["answer"]  # the other user's PUT and DELETE changed nothing


def test_anonymous_callers_have_no_saved_conversations(client: TestClient) -> None:
    assert client.get("/v1/me/conversations").status_code == 401
    assert client.post("/v1/me/conversations", json={"turns": [TURN]}).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"turns": []}, "turns"),
        ({"turns": [{**TURN, "question": ""}]}, "question"),
        ({"turns": [{**TURN, "citations": [{**CITATION, "page": 0}]}]}, "page"),
        ({"turns": [{**TURN, "script": "<b>"}]}, "script"),
        ({"turns": [TURN] * 101}, "turns"),
    ],
)
def test_bad_turns_are_refused_naming_the_field(client: TestClient, body: dict[str, object], field: str) -> None:
    headers = bearer(client, "lan")
    response = client.post("/v1/me/conversations", json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert field in response.text
    assert client.get("/v1/me/conversations", headers=headers).json()["conversations"] == []


def test_each_user_keeps_the_newest_conversations(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'store.sqlite'}")
    db.create()
    store = ConversationStore(db, keep=3)
    ids = [store.create("lan", [{**TURN, "question": f"Câu hỏi số {i}?"}]).id for i in range(5)]
    store.create("hoa", [TURN])
    assert [c.id for c in store.recent("lan")] == ids[:1:-1]  # the two oldest were dropped
    assert [c.title for c in store.recent("hoa")] == [TURN["question"]]
    with pytest.raises(ConversationNotFound):
        store.get("lan", ids[0])
    long = store.create("lan", [{**TURN, "question": "dài " * 100}])
    assert len(long.title) == 120 and long.title.endswith("…")
    db.dispose()
