"""Authentication at the edge: every route needs a token when anonymous access is off, admin routes need the
admin role, tokens expire and can be revoked, and no password or token reaches a log or the audit trail."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from auth_support import PASSWORD, accounts_of, bearer
from fastapi.testclient import TestClient
from sqlalchemy import update

from assistant.accounts.models import Token

OPEN_ROUTES = {("POST", "/v1/auth/login"), ("GET", "/v1/auth/oidc/login"), ("GET", "/v1/auth/oidc/callback")}
ADMIN_ROUTES = [
    ("POST", "/v1/documents"),
    ("DELETE", "/v1/documents/qd-30-2025"),
    ("DELETE", "/v1/documents/kh-77-stttt"),  # hidden from staff: still 403, never 404 (no existence oracle)
    ("DELETE", "/v1/documents/khong-co-van-ban"),
    ("GET", "/v1/ingest/jobs/0123456789abcdef"),
    ("GET", "/v1/feedback"),
    ("GET", "/v1/feedback/export"),
    ("GET", "/v1/trash"),
    ("POST", "/v1/trash/kh-77-stttt/restore"),
    ("POST", "/v1/trash/khong-co-van-ban/restore"),
    ("POST", "/v1/trash/purge"),
    ("GET", "/v1/index/versions"),
    ("POST", "/v1/index/rollback"),
    ("POST", "/v1/backup"),
    ("POST", "/v1/eval/runs"),
    ("GET", "/v1/eval/runs"),
    ("GET", "/v1/eval/runs/0123456789abcdef"),
]
URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"


@pytest.fixture
def client(app_client) -> TestClient:  # type: ignore[no-untyped-def]
    return app_client(allow_anonymous=False)


def v1_operations(client: TestClient) -> list[tuple[str, str]]:
    paths = client.get("/openapi.json").json()["paths"]
    return [(method.upper(), path) for path, ops in paths.items() if path.startswith("/v1/") for method in ops]


def concrete(path: str) -> str:
    return (
        path.replace("{doc_id}", "qd-30-2025")
        .replace("{job_id}", "0123456789abcdef")
        .replace("{conversation_id}", "0123456789abcdef01234567")
        .replace("{run_id}", "0123456789abcdef")
    )


def test_every_v1_route_but_login_needs_a_token(client: TestClient) -> None:
    operations = [op for op in v1_operations(client) if op not in OPEN_ROUTES]
    assert len(operations) >= 12
    for method, path in operations:
        response = client.request(method, concrete(path))
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"
        error = response.json()["error"]
        assert error["code"] == "unauthorized"
        assert "đăng nhập" in error["message"] and "/v1/auth/login" in error["message"]


def test_probes_docs_and_login_stay_open(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    response = client.post("/v1/auth/login", json={"username": "khong-co", "password": "sai-mat-khau"})
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.json()["error"]["message"]


@pytest.mark.parametrize("role", ["staff", "trainer", "inspector", "evaluator"])
def test_admin_routes_are_403_for_every_other_role(client: TestClient, role: str) -> None:
    headers = bearer(client, f"nguoi-{role}", roles=[role], units=["SXD"])
    for method, path in ADMIN_ROUTES:
        response = client.request(method, path, headers=headers)
        assert response.status_code == 403, (role, method, path, response.text)
        assert response.json()["error"] == {
            "code": "forbidden",
            "message": "Chức năng này chỉ dành cho quản trị viên (vai trò 'admin').",
        }
    assert client.get("/v1/documents/qd-30-2025", headers=headers).status_code == 200  # nothing was removed


def test_admins_pass_the_role_check(client: TestClient) -> None:
    headers = bearer(client, "quan-tri", roles=["admin"])
    assert client.get("/v1/feedback", headers=headers).status_code == 200
    assert client.get("/v1/ingest/jobs/0123456789abcdef", headers=headers).status_code == 404
    assert client.delete("/v1/documents/khong-co-van-ban", headers=headers).status_code == 404


def test_a_valid_token_opens_the_user_routes(client: TestClient) -> None:
    headers = bearer(client, "lan", roles=["staff"], units=["STTTT"])
    assert client.post("/v1/ask", json={"question": URGENT}, headers=headers).status_code == 200
    assert client.post("/v1/search", json={"question": URGENT}, headers=headers).status_code == 200
    listed = client.get("/v1/documents", headers=headers).json()
    assert "kh-77-stttt" in [d["doc_id"] for d in listed["documents"]]  # a member of STTTT sees its unit document
    assert client.get("/v1/documents/kh-77-stttt/source", headers=headers).status_code == 200
    body = {"rating": "up", "question": URGENT, "answer": "2 giờ [1].", "citations": ["qd-30-2025:dieu-2"]}
    assert client.post("/v1/feedback", json=body, headers=headers).status_code == 201


def test_login_me_logout(client: TestClient) -> None:
    accounts = accounts_of(client)
    accounts.users.add("lan", roles=["staff"], units=["STTTT"], display_name="Nguyễn Thị Lan", password=PASSWORD)
    before = dt.datetime.now(dt.UTC)
    response = client.post("/v1/auth/login", json={"username": "lan", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["user"] == {
        "username": "lan", "display_name": "Nguyễn Thị Lan", "roles": ["staff"], "units": ["STTTT"],
        "unit_scope": ["STTTT"],
    }  # fmt: skip
    ttl = dt.datetime.fromisoformat(body["expires_at"]) - before
    assert dt.timedelta(hours=11, minutes=59) < ttl <= dt.timedelta(hours=12, seconds=5)
    headers = {"Authorization": f"Bearer {body['token']}"}

    me = client.get("/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["username"] == "lan"
    logout = client.post("/v1/auth/logout", headers=headers)
    assert logout.status_code == 200 and logout.json() == {"revoked": True}

    for method, path in (("GET", "/v1/me"), ("POST", "/v1/auth/logout"), ("GET", "/v1/documents")):
        after = client.request(method, path, headers=headers)
        assert after.status_code == 401
        assert "hết hạn" in after.json()["error"]["message"]


def test_login_as_the_province_root_reports_the_whole_unit_scope(client: TestClient) -> None:
    accounts_of(client).users.add("lanh-dao", roles=["staff"], units=["LANGSON"], password=PASSWORD)
    body = client.post("/v1/auth/login", json={"username": "lanh-dao", "password": PASSWORD}).json()
    assert set(body["user"]["unit_scope"]) == set(accounts_of(client).tree.codes)


def test_token_ttl_comes_from_settings(app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(allow_anonymous=False, token_ttl_hours=0.5)
    accounts_of(client).users.add("lan", roles=["staff"], password=PASSWORD)
    body = client.post("/v1/auth/login", json={"username": "lan", "password": PASSWORD}).json()
    ttl = dt.datetime.fromisoformat(body["expires_at"]) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=29) < ttl <= dt.timedelta(minutes=30)


def test_wrong_password_unknown_user_and_disabled_account_look_the_same(client: TestClient) -> None:
    accounts = accounts_of(client)
    accounts.users.add("lan", roles=["staff"], password=PASSWORD)
    accounts.users.add("hoa", roles=["staff"], password=PASSWORD)
    accounts.users.set_disabled("hoa")
    bodies = [
        client.post("/v1/auth/login", json={"username": name, "password": password})
        for name, password in (
            ("lan", "sai-mat-khau-1"),
            ("khong-co", PASSWORD),
            ("hoa", PASSWORD),
            ("lan' OR '1'='1", "' OR '1'='1"),
            ("ＬＡＮ", PASSWORD),  # full-width look-alike of an existing name
        )
    ]
    assert {r.status_code for r in bodies} == {401}
    assert len({r.text for r in bodies}) == 1


def test_expired_token_is_401(client: TestClient) -> None:
    headers = bearer(client, "lan")
    assert client.get("/v1/me", headers=headers).status_code == 200
    with accounts_of(client).db.session() as session:
        session.execute(update(Token).values(expires=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    response = client.get("/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_revoked_and_disabled_tokens_are_401(client: TestClient) -> None:
    accounts = accounts_of(client)
    lan, hoa = bearer(client, "lan"), bearer(client, "hoa")
    accounts.tokens.revoke_all(accounts.users.require("lan"))  # `assistant users revoke-tokens lan`
    accounts.users.set_disabled("hoa")  # `assistant users disable hoa`
    assert client.get("/v1/me", headers=lan).status_code == 401
    assert client.get("/v1/me", headers=hoa).status_code == 401


@pytest.mark.parametrize(
    "header", ["Basic bGFuOm1hdC1raGF1", "Bearer", "Bearer tlcs_khong-hop-le", "Bearer " + "x" * 5000, "Token abc"]
)
def test_a_bad_authorization_header_is_401_even_when_anonymous_is_allowed(app_client, header: str) -> None:  # type: ignore[no-untyped-def]
    client = app_client(allow_anonymous=True)
    assert client.get("/v1/documents").status_code == 200
    response = client.get("/v1/documents", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_anonymous_callers_may_read_public_documents_but_not_give_feedback(app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(allow_anonymous=True)
    assert [d["doc_id"] for d in client.get("/v1/documents").json()["documents"]] == ["qd-12-2024", "qd-30-2025"]
    assert client.get("/v1/me").status_code == 401
    assert client.post("/v1/feedback", json={"rating": "up", "question": URGENT}).status_code == 401
    assert client.post("/v1/auth/logout").status_code == 401


def test_allow_anonymous_defaults_by_environment(settings) -> None:  # type: ignore[no-untyped-def]
    from assistant.settings import Settings

    for environment, expected in (("development", True), ("test", False), ("production", False)):
        assert Settings(_env_file=None, environment=environment).allow_anonymous is expected  # type: ignore[call-arg]


def test_login_is_rate_limited_per_address_and_name(app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client(allow_anonymous=False, login_attempts_per_minute=3)
    accounts_of(client).users.add("lan", roles=["staff"], password=PASSWORD)
    statuses = [
        client.post("/v1/auth/login", json={"username": "lan", "password": f"doan-{i}-sai"}).status_code
        for i in range(3)
    ]
    assert statuses == [401, 401, 401]
    blocked = client.post("/v1/auth/login", json={"username": "lan", "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert "thử lại sau" in blocked.json()["error"]["message"]


def test_no_password_or_token_in_any_log_or_the_audit_trail(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    accounts_of(client).users.add("lan", roles=["staff"], units=["STTTT"], password=PASSWORD)
    with caplog.at_level(logging.DEBUG):
        client.post("/v1/auth/login", json={"username": "lan", "password": "mat-khau-sai-bi-mat"})
        token = client.post("/v1/auth/login", json={"username": "lan", "password": PASSWORD}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        client.post("/v1/ask", json={"question": URGENT}, headers=headers)
        client.get("/v1/documents/kh-77-stttt", headers=headers)
        client.get("/v1/documents/kh-77-stttt/source", headers=headers)
        client.post("/v1/auth/logout", headers=headers)
    audit = json.dumps(list(accounts_of(client).audit.events()), ensure_ascii=False)
    for secret in (PASSWORD, "mat-khau-sai-bi-mat", token, token[5:25]):
        assert secret not in caplog.text
        assert secret not in audit


def test_audit_records_questions_citations_views_and_downloads(client: TestClient) -> None:
    headers = bearer(client, "lan", units=["STTTT"])
    answer = client.post("/v1/ask", json={"question": URGENT}, headers=headers).json()
    client.post("/v1/search", json={"question": "mật danh SAO-BANG-09"}, headers=headers)
    client.get("/v1/documents/kh-77-stttt", headers=headers)
    client.get("/v1/documents/qd-30-2025/source", headers=headers)
    events = [(e["user"], e["action"], e["detail"]) for e in accounts_of(client).audit.events()]
    asked = [d for u, a, d in events if a == "ask"]
    assert asked[0]["question"] == URGENT
    assert asked[0]["cited_doc_ids"] == sorted({c["doc_id"] for c in answer["citations"]}) == ["qd-30-2025"]
    assert asked[0]["index_version"] == answer["index_version"]
    searched = [d for u, a, d in events if a == "search"]
    assert searched[0]["question"] == "mật danh SAO-BANG-09" and "kh-77-stttt" in searched[0]["doc_ids"]
    assert ("lan", "document.view", {"doc_id": "kh-77-stttt", "client": "testclient"}) in events
    assert ("lan", "document.download", {"doc_id": "qd-30-2025", "client": "testclient"}) in events
