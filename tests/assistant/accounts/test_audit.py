"""The audit log: secrets never written, export as JSON Lines, retention."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from assistant.accounts.audit import Action, scrub
from assistant.accounts.errors import InvalidCredentials
from assistant.accounts.service import AccountService

NOW = dt.datetime(2025, 9, 1, 8, 0, tzinfo=dt.UTC)


def test_secret_looking_keys_are_dropped_at_any_depth() -> None:
    detail = {
        "password": "p1", "new_password": "p2", "token": "t", "access_token": "t2", "Authorization": "Bearer x",
        "api_key": "k", "tokens_revoked": 3, "question": "Hỏi?", "nested": [{"secret": "s", "doc_id": "d"}],
    }  # fmt: skip
    assert scrub(detail) == {"tokens_revoked": 3, "question": "Hỏi?", "nested": [{"doc_id": "d"}]}


def test_long_values_are_capped() -> None:
    cleaned = scrub({"question": "x" * 10_000, "ids": list(range(1000)), "when": NOW, "set": {"b", "a"}})
    assert len(cleaned["question"]) == 4000
    assert len(cleaned["ids"]) == 200
    assert cleaned["when"] == NOW.isoformat()
    assert cleaned["set"] == ["a", "b"]


def test_login_success_and_failure_are_audited_without_the_password(accounts: AccountService) -> None:
    accounts.users.add("lan", roles=["staff"], password="mat-khau-bi-mat-1")
    issued = accounts.login("lan", "mat-khau-bi-mat-1", client="10.0.0.7")
    with pytest.raises(InvalidCredentials):
        accounts.login("lan", "doan-sai-mat-khau", client="10.0.0.8")
    events = list(accounts.audit.events())
    assert [(e["user"], e["action"]) for e in events] == [("lan", Action.LOGIN), ("lan", Action.LOGIN_FAILED)]
    assert events[0]["detail"]["client"] == "10.0.0.7"
    dump = json.dumps(events, ensure_ascii=False)
    for secret in ("mat-khau-bi-mat-1", "doan-sai-mat-khau", issued.token):
        assert secret not in dump


def test_export_jsonl_between_dates(accounts: AccountService, tmp_path: Path) -> None:
    for i in range(3):
        accounts.audit.record("lan", Action.ASK, {"question": f"câu {i}", "cited_doc_ids": ["nq-57-tw"]})
    out = tmp_path / "out" / "audit.jsonl"
    now = dt.datetime.now(dt.UTC)
    assert accounts.audit.export_file(out, since=now - dt.timedelta(minutes=5)) == 3
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["detail"]["question"] for line in lines] == ["câu 0", "câu 1", "câu 2"]
    assert set(lines[0]) == {"id", "ts", "user", "action", "detail"}
    assert dt.datetime.fromisoformat(lines[0]["ts"]).tzinfo is not None
    assert accounts.audit.export_file(out, since=now + dt.timedelta(minutes=5)) == 0
    assert accounts.audit.export_file(out, since=now - dt.timedelta(days=1), until=now - dt.timedelta(hours=1)) == 0


def test_purge_by_retention(accounts: AccountService) -> None:
    accounts.audit.record("lan", Action.ASK, {"question": "cũ"})
    accounts.audit.record("lan", Action.ASK, {"question": "mới"})
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert accounts.audit.purge(30, now=later) == 2
    accounts.audit.record("lan", Action.ASK, {"question": "hôm nay"})
    assert accounts.audit.purge(30) == 0
    assert [e["detail"]["question"] for e in accounts.audit.events()] == ["hôm nay"]
