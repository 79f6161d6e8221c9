"""The same store on a real PostgreSQL server started on loopback (the session's ``postgres`` fixture,
tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from auth_support import PASSWORD
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import update

from assistant.accounts.errors import AccountError
from assistant.accounts.models import Token
from assistant.accounts.service import AccountService
from assistant.api.app import create_app
from assistant.api.feedback_store import FeedbackStore
from assistant.api.job_store import JobStore
from assistant.service import AssistantService
from assistant.settings import Settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_settings(account_settings: Settings, postgres: Callable[[], str]) -> Settings:
    return account_settings.model_copy(update={"database_url": SecretStr(postgres())})


def test_the_whole_store_runs_on_postgresql(pg_settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    accounts = AccountService(pg_settings)
    assert not accounts.db.is_sqlite and accounts.db.url.get_backend_name() == "postgresql"
    with caplog.at_level(logging.DEBUG):
        accounts.open()  # tables, first admin, retention purge
    url_password = pg_settings.database_url.get_secret_value().split(":")[2].split("@")[0]  # type: ignore[union-attr]
    assert url_password not in caplog.text
    try:
        assert accounts.users.any_admin()
        lan = accounts.users.add("lan", roles=["staff"], units=["SXD"], password=PASSWORD)
        with pytest.raises(AccountError, match="đã tồn tại"):
            accounts.users.add("lan", roles=["staff"], password=PASSWORD)
        assert accounts.users.authenticate("lan", PASSWORD) == lan
        assert accounts.principal_of(lan).unit_scope == {"SXD", "SXD-QLXD", "SXD-QLXD-TO1"}

        issued = accounts.login("lan", PASSWORD, client="127.0.0.1")
        assert accounts.authenticate_token(issued.token) == lan
        assert issued.expires_at.tzinfo is not None
        other = accounts.tokens.issue(lan, ttl_hours=1)
        with accounts.db.session() as session:
            session.execute(update(Token).where(Token.id == 2).values(expires=dt.datetime.now(dt.UTC)))
        assert accounts.tokens.resolve(other.token) is None
        assert accounts.tokens.revoke(issued.token) is True
        assert accounts.tokens.resolve(issued.token) is None

        feedback, jobs = FeedbackStore(accounts.db), JobStore(accounts.db)
        fid = feedback.add(
            username="lan", unit="SXD", question="Hỏi?", answer="Đáp [1].", citations=["a:dieu-1"], rating="up"
        )
        assert feedback.get_many([fid])[0].citations == ("a:dieu-1",)
        jobs.create("job1", username="admin", filename="a.txt")
        jobs.update("job1", status="done", result={"ingested": ["a"]})
        job = jobs.get("job1")
        assert job is not None and job.status == "done" and job.finished is not None

        actions = [e["action"] for e in accounts.audit.events()]
        assert actions == ["admin.user.add", "login.success"]
        assert accounts.audit.purge(1, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2)) == 2
    finally:
        accounts.close()


def test_the_api_logs_in_against_postgresql(pg_settings: Settings, service: AssistantService) -> None:
    settings = pg_settings.model_copy(update={"allow_anonymous": False})
    with TestClient(create_app(settings, service=service)) as client:
        login = client.post("/v1/auth/login", json={"username": "admin", "password": "test-admin-password"})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        assert client.get("/v1/me", headers=headers).json()["roles"] == ["admin"]
        ask = client.post("/v1/ask", json={"question": "Văn bản khẩn xử lý trong bao lâu?"}, headers=headers)
        assert ask.status_code == 200
        assert client.post("/v1/auth/logout", headers=headers).json() == {"revoked": True}
        assert client.get("/v1/me", headers=headers).status_code == 401


def test_backup_of_postgresql_restores_onto_sqlite_and_onto_an_empty_postgresql(
    pg_settings: Settings, postgres: Callable[[], str], tmp_path: Path
) -> None:
    """The store of a PostgreSQL installation is exported table by table in one snapshot; it restores onto the
    default SQLite store and onto another (empty) PostgreSQL database, whose id sequences continue after it."""
    from assistant.accounts.backup import RestoreRefused, create_backup, restore_backup

    accounts = AccountService(pg_settings)
    accounts.open()
    accounts.users.add("lan", roles=["staff"], units=["SXD"], password=PASSWORD)
    accounts.login("lan", PASSWORD)
    FeedbackStore(accounts.db).add(username="lan", unit="SXD", question="Hỏi?", answer="", citations=[], rating="up")
    expected = ([u.username for u in accounts.users.list()], list(accounts.audit.events()))
    summary = create_backup(pg_settings, tmp_path / "pg.tar.gz", database=accounts.db)
    accounts.close()
    assert summary.manifest["store"]["backend"] == "postgresql"
    assert summary.manifest["store"]["method"] == "logical-export"

    for url in (None, SecretStr(postgres())):
        target = pg_settings.model_copy(update={"data_dir": tmp_path / f"to-{bool(url)}", "database_url": url})
        restore_backup(summary.path, target)
        restored = AccountService(target)
        restored.open(bootstrap=False)
        try:
            assert ([u.username for u in restored.users.list()], list(restored.audit.events())) == expected
            assert restored.users.authenticate("lan", PASSWORD) is not None
            restored.audit.record("lan", "ask", {})  # the next id follows the restored ones
            assert [e["id"] for e in restored.audit.events()][-1] == expected[1][-1]["id"] + 1
        finally:
            restored.close()
        if url is not None:
            again = target.model_copy(update={"data_dir": tmp_path / "again"})
            with pytest.raises(RestoreRefused, match="đã có dữ liệu"):
                restore_backup(summary.path, again)
