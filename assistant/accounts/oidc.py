"""OpenID Connect logins (authorization code flow with PKCE) through authlib, ID tokens checked with joserfc.

``start()`` makes the provider's authorization URL with a fresh ``state``, ``nonce`` and PKCE verifier (S256) kept
in this process for ``PENDING_TTL_S``; ``finish()`` takes the callback's ``code`` and ``state``, exchanges the code
(with the verifier) at the token endpoint, and accepts the ID token only when its signature verifies against the
provider's JWKS and its issuer, audience, expiry and nonce are the expected ones. The provider's metadata comes from
``<issuer>/.well-known/openid-configuration`` on first use (never at start-up), the JWKS again when a key is unknown.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from assistant.accounts.directory_map import DirectoryIdentity
from assistant.accounts.errors import AuthenticationRequired, DirectoryUnavailable
from assistant.settings import Settings

logger = logging.getLogger(__name__)

PENDING_TTL_S = 600.0
MAX_PENDING = 10_000
JWKS_REFRESH_S = 60.0  # an unknown key refetches the JWKS at most this often
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
CLOCK_LEEWAY_S = 60
PROVIDER = "nhà cung cấp định danh (OpenID Connect)"


class OidcLoginFailed(AuthenticationRequired):
    """The callback cannot be turned into a login; the message says why and to start again."""

    def __init__(self, why: str) -> None:
        super().__init__(f"Đăng nhập qua {PROVIDER} không thành công: {why}. Hãy bắt đầu lại từ /v1/auth/oidc/login.")


@dataclass(frozen=True)
class PendingLogin:
    code_verifier: str
    nonce: str
    created: float


class OidcLogin:
    """Cheap to construct; talks to the provider only when a login starts or finishes."""

    def __init__(self, settings: Settings, *, clock: Callable[[], float] = time.time) -> None:
        if not settings.oidc_issuer or not settings.oidc_client_id:
            raise ValueError("OidcLogin needs settings.oidc_issuer and settings.oidc_client_id")
        self.settings = settings
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.redirect_url = settings.oidc_redirect_url_value
        self.clock = clock
        self._pending: OrderedDict[str, PendingLogin] = OrderedDict()
        self._lock = threading.Lock()
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        self._keys_fetched = 0.0

    # -- provider documents -------------------------------------------------------------------------
    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = httpx.get(url, timeout=self.settings.oidc_timeout_seconds, follow_redirects=False)
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            logger.error("OIDC: could not read %s: %s", url, exc)
            raise DirectoryUnavailable(PROVIDER) from exc
        if not isinstance(data, dict):
            raise DirectoryUnavailable(PROVIDER)
        return data

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (cached); its issuer must be the configured one."""
        if self._metadata is None:
            data = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
            if str(data.get("issuer", "")).rstrip("/") != self.issuer or not all(
                data.get(k) for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")
            ):
                logger.error("OIDC: the discovery document of %s names another issuer or lacks endpoints", self.issuer)
                raise DirectoryUnavailable(PROVIDER)
            self._metadata = data
        return self._metadata

    def _key_set(self, *, refresh: bool = False) -> KeySet:
        now = self.clock()
        if self._keys is None or (refresh and now - self._keys_fetched >= JWKS_REFRESH_S):
            try:
                self._keys = KeySet.import_key_set(self._get_json(str(self.metadata()["jwks_uri"])))  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError, KeyError) as exc:
                logger.error("OIDC: the provider's JWKS cannot be read: %s", exc)
                raise DirectoryUnavailable(PROVIDER) from exc
            self._keys_fetched = now
        return self._keys

    def _client(self) -> OAuth2Client:
        secret = self.settings.oidc_client_secret.get_secret_value()
        return OAuth2Client(
            client_id=self.settings.oidc_client_id,
            client_secret=secret or None,
            token_endpoint_auth_method="client_secret_basic" if secret else "none",
            scope=self.settings.oidc_scopes,
            redirect_uri=self.redirect_url,
            code_challenge_method="S256",
            timeout=self.settings.oidc_timeout_seconds,
        )

    # -- the flow -----------------------------------------------------------------------------------
    def start(self) -> tuple[str, str]:
        """The authorization URL to send the browser to, and its ``state`` (also to be set as a cookie)."""
        endpoint = str(self.metadata()["authorization_endpoint"])
        state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
        with self._client() as client:
            url, _ = client.create_authorization_url(endpoint, state=state, code_verifier=verifier, nonce=nonce)
        with self._lock:
            self._expire()
            self._pending[state] = PendingLogin(code_verifier=verifier, nonce=nonce, created=self.clock())
            while len(self._pending) > MAX_PENDING:
                self._pending.popitem(last=False)
        return str(url), state

    def _expire(self) -> None:
        cutoff = self.clock() - PENDING_TTL_S
        while self._pending and next(iter(self._pending.values())).created < cutoff:
            self._pending.popitem(last=False)

    def finish(self, *, code: str, state: str, browser_state: str | None) -> DirectoryIdentity:
        """The identity in a valid ID token for this callback; OidcLoginFailed otherwise (each pending login
        is used at most once)."""
        if not state or not browser_state or not secrets.compare_digest(state, browser_state):
            raise OidcLoginFailed("tham số state không khớp với phiên của trình duyệt này")
        with self._lock:
            self._expire()
            pending = self._pending.pop(state, None)
        if pending is None:
            raise OidcLoginFailed("phiên đăng nhập không tồn tại hoặc đã hết hạn")
        token_endpoint = str(self.metadata()["token_endpoint"])
        try:
            with self._client() as client:
                token = client.fetch_token(token_endpoint, code=code, code_verifier=pending.code_verifier)
        except OAuthError as exc:
            logger.warning("OIDC: the token endpoint refused the code: %s", exc.error)
            raise OidcLoginFailed("nhà cung cấp từ chối mã cấp quyền") from exc
        except (httpx.HTTPError, ValueError) as exc:
            logger.error("OIDC: token request failed: %s", exc)
            raise DirectoryUnavailable(PROVIDER) from exc
        id_token = token.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise OidcLoginFailed("nhà cung cấp không trả về ID token")
        return self.identity(self.verify(id_token, nonce=pending.nonce))

    def verify(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """The claims of ``id_token`` once signature, issuer, audience, expiry and nonce are checked."""
        try:
            try:
                decoded = jwt.decode(id_token, self._key_set(), algorithms=ALGORITHMS)
            except (JoseError, ValueError):  # perhaps a rotated key: read the JWKS again, once
                decoded = jwt.decode(id_token, self._key_set(refresh=True), algorithms=ALGORITHMS)
        except (JoseError, ValueError) as exc:
            logger.warning("OIDC: ID token signature refused: %s", exc)
            raise OidcLoginFailed("chữ ký của ID token không hợp lệ") from exc
        claims = dict(decoded.claims)
        registry = jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_S,
            now=int(self.clock()),
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.settings.oidc_client_id},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(claims)
        except JoseError as exc:
            logger.warning("OIDC: ID token claims refused: %s", exc)
            raise OidcLoginFailed("ID token sai nơi cấp, sai đối tượng, đã hết hạn hoặc sai nonce") from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.settings.oidc_client_id:
            raise OidcLoginFailed("ID token dành cho nhiều ứng dụng nhưng không chỉ định ứng dụng này (azp)")
        return claims

    def identity(self, claims: dict[str, Any]) -> DirectoryIdentity:
        """Name, display name and groups from the claims named in settings."""
        username = str(claims.get(self.settings.oidc_username_claim) or "").strip().lower()
        if not username:
            raise OidcLoginFailed(f"ID token thiếu claim '{self.settings.oidc_username_claim}' (tên đăng nhập)")
        groups: set[str] = set()
        for name in self.settings.oidc_groups_claims:
            value = claims.get(name)
            if isinstance(value, str):
                groups.add(value)
            elif isinstance(value, list):
                groups.update(str(v) for v in value if isinstance(v, str | int))
        return DirectoryIdentity(
            username=username, display_name=str(claims.get("name") or username), groups=frozenset(groups),
            source="oidc",
        )  # fmt: skip
