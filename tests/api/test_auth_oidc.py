"""OpenID Connect login through the API against a tiny provider this test runs on loopback (http.server): discovery,
JWKS, an authorize endpoint that approves at once, and a token endpoint that checks PKCE and returns an ID token
signed with an RSA key made here. Then the whole flow: state and PKCE checked, and tampered, wrong-audience,
expired or wrong-nonce tokens refused."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from pydantic import SecretStr

CLIENT_ID, CLIENT_SECRET = "tro-ly-cong-chuc", "bi-mat-cua-ung-dung-oidc"
MAP_YAML = """
groups:
  - group: can-bo-sxd
    units: [SXD]
    roles: [staff]
  - group: quan-tri-tro-ly
    roles: [admin]
"""


@dataclass
class Provider:
    """What the provider signs and how; tests change ``claims``/``sign_with`` to misbehave on purpose."""

    key: RSAKey
    issuer: str = ""
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)
    sign_with: RSAKey | None = None
    tamper: bool = False
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "u-001", "iat": now, "exp": now + 300, "nonce": nonce,
                  "preferred_username": "lan.nt", "name": "Nguyễn Thị Lan", "groups": ["can-bo-sxd"]}  # fmt: skip
        claims.update(self.claims)
        token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.sign_with or self.key)
        if self.tamper:  # change the payload, keep the signature
            head, payload, signature = token.split(".")
            changed = json.loads(base64.urlsafe_b64decode(payload + "=="))
            changed["groups"] = ["quan-tri-tro-ly"]
            payload = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()
            token = f"{head}.{payload}.{signature}"
        return token


def handler_for(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def reply(self, status: int, body: dict[str, Any] | None = None, location: str = "") -> None:
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                base = provider.issuer
                self.reply(200, {"issuer": base, "authorization_endpoint": f"{base}/authorize",
                                 "token_endpoint": f"{base}/token", "jwks_uri": f"{base}/jwks",
                                 "response_types_supported": ["code"],
                                 "code_challenge_methods_supported": ["S256"]})  # fmt: skip
            elif url.path == "/jwks":
                self.reply(200, {"keys": [provider.key.as_dict(private=False, kid="k1", use="sig", alg="RS256")]})
            elif url.path == "/authorize":  # approves at once
                assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
                assert query["code_challenge_method"] == "S256" and "openid" in query["scope"].split()
                code = secrets.token_urlsafe(16)
                provider.codes[code] = {k: query[k] for k in ("code_challenge", "nonce", "redirect_uri")}
                self.reply(
                    302, location=f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                )
            else:
                self.reply(404)

        def do_POST(self) -> None:  # noqa: N802
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
            provider.token_requests.append(form)
            basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {basic}":
                self.reply(401, {"error": "invalid_client"})
                return
            issued = provider.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if (
                issued is None
                or challenge != issued["code_challenge"]
                or form["redirect_uri"] != issued["redirect_uri"]
            ):
                self.reply(400, {"error": "invalid_grant", "error_description": "PKCE or code mismatch"})
                return
            self.reply(
                200, {"access_token": "at", "token_type": "Bearer", "id_token": provider.id_token(issued["nonce"])}
            )

    return Handler


@pytest.fixture
def provider() -> Iterator[Provider]:
    state = Provider(key=RSAKey.generate_key(2048, private=True))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    state.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def client(app_client, provider: Provider, tmp_path: Path) -> TestClient:  # type: ignore[no-untyped-def]
    map_file = tmp_path / "directory-map.yaml"
    map_file.write_text(MAP_YAML, encoding="utf-8")
    return app_client(  # type: ignore[no-any-return]
        allow_anonymous=False, oidc_issuer=provider.issuer, oidc_client_id=CLIENT_ID,
        oidc_client_secret=SecretStr(CLIENT_SECRET), directory_map_file=map_file,
        public_base_url="http://testserver",
    )  # fmt: skip


def start(client: TestClient) -> str:
    """The callback URL (path and query) the provider redirects the browser to after approving."""
    login = client.get("/v1/auth/oidc/login", follow_redirects=False)
    assert login.status_code == 302, login.text
    assert "tlcs_oidc_state" in login.headers["set-cookie"] and "HttpOnly" in login.headers["set-cookie"]
    approved = httpx.get(login.headers["location"], follow_redirects=False)
    assert approved.status_code == 302
    back = urlsplit(approved.headers["location"])
    assert back.path == "/v1/auth/oidc/callback"
    return f"{back.path}?{back.query}"


def test_the_whole_flow_returns_the_assistants_own_token(client: TestClient, provider: Provider) -> None:
    callback = client.get(start(client))
    assert callback.status_code == 200, callback.text
    body = callback.json()
    assert body["user"]["username"] == "lan.nt" and body["user"]["roles"] == ["staff"]
    assert body["user"]["units"] == ["SXD"] and body["user"]["display_name"] == "Nguyễn Thị Lan"
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json()["username"] == "lan.nt"
    [sent] = provider.token_requests
    assert sent["grant_type"] == "authorization_code" and len(sent["code_verifier"]) >= 43
    # a callback URL is good once
    assert client.get(callback.request.url.path + "?" + callback.request.url.query.decode()).status_code == 401


def test_state_must_match_the_browsers_cookie(client: TestClient) -> None:
    callback = start(client)
    client.cookies.clear()
    refused = client.get(callback)
    assert refused.status_code == 401 and "state" in refused.json()["error"]["message"]
    forged = client.get("/v1/auth/oidc/callback", params={"code": "x", "state": "khong-co"})
    assert forged.status_code == 401


def test_pkce_binds_the_code_to_the_login_that_asked_for_it(client: TestClient) -> None:
    first = start(client)  # the code of this login ...
    second = start(client)  # ... used with the state (and so the verifier) of another one
    code = parse_qs(urlsplit(first).query)["code"][0]
    state = parse_qs(urlsplit(second).query)["state"][0]
    refused = client.get("/v1/auth/oidc/callback", params={"code": code, "state": state})
    assert refused.status_code == 401 and "từ chối mã cấp quyền" in refused.json()["error"]["message"]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"tamper": True}, "chữ ký"),
        ({"sign_with": "other-key"}, "chữ ký"),
        ({"claims": {"aud": "ung-dung-khac"}}, "sai đối tượng"),
        ({"claims": {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}}, "hết hạn"),
        ({"claims": {"iss": "http://idp.khac.example"}}, "sai nơi cấp"),
        ({"claims": {"nonce": "nonce-cu"}}, "nonce"),
    ],
)
def test_bad_id_tokens_are_refused(client: TestClient, provider: Provider, change: dict[str, Any], why: str) -> None:
    for name, value in change.items():
        setattr(provider, name, RSAKey.generate_key(2048, private=True) if value == "other-key" else value)
    refused = client.get(start(client))
    assert refused.status_code == 401, refused.text
    assert why in refused.json()["error"]["message"]
    assert "lan.nt" not in [u.username for u in client.app.state.accounts.users.list()]  # type: ignore[attr-defined]


def test_a_user_in_no_mapped_group_is_refused(client: TestClient, provider: Provider) -> None:
    provider.claims = {"groups": ["nhom-khac"]}
    refused = client.get(start(client))
    assert refused.status_code == 403 and "chưa thuộc nhóm nào" in refused.json()["error"]["message"]


def test_the_routes_are_404_when_oidc_is_not_configured(app_client) -> None:  # type: ignore[no-untyped-def]
    client = app_client()
    assert client.get("/v1/auth/oidc/login", follow_redirects=False).status_code == 404
    assert "ASSISTANT_OIDC_ISSUER" in client.get("/v1/auth/oidc/callback").json()["error"]["message"]
