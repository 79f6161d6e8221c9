"""POST /v1/auth/login, POST /v1/auth/logout and GET /v1/me."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from assistant.accounts.audit import Action
from assistant.api.account_schemas import LoginRequest, LoginResponse, LogoutResponse, UserOut
from assistant.api.deps import AccountsDep, LimitsDep, PrincipalDep, UserDep, client_address
from assistant.api.schemas import ErrorResponse

router = APIRouter(prefix="/v1", tags=["auth"])
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Not logged in, or the token is invalid, expired or revoked"},
    429: {"model": ErrorResponse, "description": "Too many requests; see Retry-After"},
}


@router.post("/auth/login", response_model=LoginResponse, responses=UNAUTHORIZED, summary="Log in, get a token")
def login(body: LoginRequest, request: Request, accounts: AccountsDep, limits: LimitsDep) -> LoginResponse:
    client = client_address(request)
    limits.login.check(f"login-ip:{client}")
    limits.login.check(f"login-user:{body.username.strip().lower()}")
    issued = accounts.login(body.username, body.password, client=client)
    return LoginResponse(
        token=issued.token,
        expires_at=issued.expires_at,
        user=UserOut.from_core(issued.user, accounts.principal_of(issued.user)),
    )


@router.post("/auth/logout", response_model=LogoutResponse, responses=UNAUTHORIZED, summary="Revoke this token")
def logout(request: Request, user: UserDep, accounts: AccountsDep) -> LogoutResponse:
    revoked = accounts.tokens.revoke(request.state.token)
    accounts.audit.record(user.username, Action.LOGOUT, {"client": client_address(request)})
    return LogoutResponse(revoked=revoked)


@router.get("/me", response_model=UserOut, responses=UNAUTHORIZED, summary="The logged-in user")
def me(user: UserDep, principal: PrincipalDep) -> UserOut:
    return UserOut.from_core(user, principal)
