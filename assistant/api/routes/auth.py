"""POST /v1/auth/login, POST /v1/auth/logout, GET /v1/me, and the OpenID Connect login (GET /v1/auth/oidc/login,
GET /v1/auth/oidc/callback).

The password login tries the local accounts first, then LDAP when ``ASSISTANT_LDAP_URL`` is set (a name that is a
local account with a password is never sent to the directory)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from assistant.accounts.audit import Action
from assistant.accounts.oidc import PENDING_TTL_S, OidcLogin, OidcLoginFailed
from assistant.accounts.service import AccountService
from assistant.accounts.tokens import IssuedToken
from assistant.api.account_schemas import LoginRequest, LoginResponse, LogoutResponse, UserOut
from assistant.api.deps import AccountsDep, LimitsDep, PrincipalDep, SettingsDep, UserDep, client_address
from assistant.api.schemas import ErrorResponse
from assistant.errors import DocumentNotFound

router = APIRouter(prefix="/v1", tags=["auth"])
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Not logged in, or the token is invalid, expired or revoked"},
    429: {"model": ErrorResponse, "description": "Too many requests; see Retry-After"},
}
DIRECTORY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorResponse, "description": "The directory account is in no group mapped to a role here"},
    503: {"model": ErrorResponse, "description": "The LDAP server or OpenID Connect provider cannot be reached"},
}
OIDC_STATE_COOKIE = "tlcs_oidc_state"
OIDC_COOKIE_PATH = "/v1/auth/oidc"


def _login_response(accounts: AccountService, issued: IssuedToken) -> LoginResponse:
    return LoginResponse(
        token=issued.token,
        expires_at=issued.expires_at,
        user=UserOut.from_core(issued.user, accounts.principal_of(issued.user)),
    )


def _oidc(accounts: AccountService) -> OidcLogin:
    if accounts.oidc is None:
        raise DocumentNotFound("Đăng nhập OpenID Connect chưa được cấu hình (ASSISTANT_OIDC_ISSUER).")
    return accounts.oidc


@router.post(
    "/auth/login",
    response_model=LoginResponse,
    responses={**UNAUTHORIZED, **DIRECTORY},
    summary="Log in (local account, then LDAP), get a token",
)
def login(body: LoginRequest, request: Request, accounts: AccountsDep, limits: LimitsDep) -> LoginResponse:
    client = client_address(request)
    limits.login.check(f"login-ip:{client}")
    limits.login.check(f"login-user:{body.username.strip().lower()}")
    return _login_response(accounts, accounts.login(body.username, body.password, client=client))


@router.get(
    "/auth/oidc/login",
    response_class=RedirectResponse,
    status_code=302,
    responses={
        302: {"description": "To the provider's authorization page"},
        404: {"model": ErrorResponse},
        **DIRECTORY,
    },
    summary="Start an OpenID Connect login (authorization code + PKCE)",
)
def oidc_login(request: Request, accounts: AccountsDep, settings: SettingsDep, limits: LimitsDep) -> RedirectResponse:
    oidc = _oidc(accounts)
    limits.login.check(f"login-ip:{client_address(request)}")
    url, state = oidc.start()
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(
        OIDC_STATE_COOKIE, state, max_age=int(PENDING_TTL_S), path=OIDC_COOKIE_PATH, httponly=True, samesite="lax",
        secure=settings.public_base_url.startswith("https://"),
    )  # fmt: skip
    return response


@router.get(
    "/auth/oidc/callback",
    response_model=LoginResponse,
    responses={**UNAUTHORIZED, **DIRECTORY, 404: {"model": ErrorResponse}},
    summary="The provider's redirect back: checks state, PKCE and the ID token, returns the assistant's token",
)
def oidc_callback(
    request: Request,
    response: Response,
    accounts: AccountsDep,
    limits: LimitsDep,
    code: Annotated[str | None, Query(max_length=4096)] = None,
    state: Annotated[str | None, Query(max_length=256)] = None,
    error: Annotated[str | None, Query(max_length=256)] = None,
) -> LoginResponse:
    oidc = _oidc(accounts)
    client = client_address(request)
    limits.login.check(f"login-ip:{client}")
    response.delete_cookie(OIDC_STATE_COOKIE, path=OIDC_COOKIE_PATH)  # a state is good for one callback
    try:
        if error or not code:
            raise OidcLoginFailed(f"nhà cung cấp trả về lỗi '{(error or 'thiếu mã cấp quyền')[:100]}'")
        identity = oidc.finish(code=code, state=state or "", browser_state=request.cookies.get(OIDC_STATE_COOKIE))
    except OidcLoginFailed:
        accounts.audit.record("-", Action.LOGIN_FAILED, {"client": client, "source": "oidc"})
        raise
    return _login_response(accounts, accounts.login_directory(identity, client=client))


@router.post("/auth/logout", response_model=LogoutResponse, responses=UNAUTHORIZED, summary="Revoke this token")
def logout(request: Request, user: UserDep, accounts: AccountsDep) -> LogoutResponse:
    revoked = accounts.tokens.revoke(request.state.token)
    accounts.audit.record(user.username, Action.LOGOUT, {"client": client_address(request)})
    return LogoutResponse(revoked=revoked)


@router.get("/me", response_model=UserOut, responses=UNAUTHORIZED, summary="The logged-in user")
def me(user: UserDep, principal: PrincipalDep) -> UserOut:
    return UserOut.from_core(user, principal)
