"""Dependencies routes receive; tests replace them through ``app.dependency_overrides``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.accounts.errors import AuthenticationRequired, InvalidToken
from assistant.accounts.service import AccountService
from assistant.accounts.users import UserInfo
from assistant.api.conversation_store import ConversationStore
from assistant.api.feedback_store import FeedbackStore
from assistant.api.observability import AnswerObserver
from assistant.api.quiz_store import QuizStore
from assistant.api.ratelimit import RateLimits
from assistant.errors import PermissionDenied
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import ANONYMOUS, Principal

bearer = HTTPBearer(
    auto_error=False,
    description="Mã truy cập từ POST /v1/auth/login (hoặc `assistant users token`), gửi dạng 'Bearer <mã>'.",
)


def get_service(request: Request) -> AssistantService:
    service: AssistantService = request.app.state.service
    return service


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_accounts(request: Request) -> AccountService:
    accounts: AccountService = request.app.state.accounts
    return accounts


def get_conversations(request: Request) -> ConversationStore:
    conversations: ConversationStore = request.app.state.conversations
    return conversations


def get_feedback(request: Request) -> FeedbackStore:
    feedback: FeedbackStore = request.app.state.feedback
    return feedback


def get_quiz_store(request: Request) -> QuizStore:
    store: QuizStore = request.app.state.quiz
    return store


def get_observer(request: Request) -> AnswerObserver:
    observer: AnswerObserver = request.app.state.observer
    return observer


def get_limits(request: Request) -> RateLimits:
    limits: RateLimits = request.app.state.limits
    return limits


ANONYMOUS_KEY = "anonymous"  # a bearer "token" that asks as an anonymous caller


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    settings: Annotated[Settings, Depends(get_settings)],
    accounts: Annotated[AccountService, Depends(get_accounts)],
    limits: Annotated[RateLimits, Depends(get_limits)],
) -> Principal:
    """The caller from ``Authorization: Bearer <token>``; anonymous (public documents only) when no header is sent,
    or the token is the word ``anonymous`` (what an OpenAI client, which always sends a key, is given), and
    ``allow_anonymous`` is on. A header that is present but not a valid token is always a 401."""
    if credentials is not None and credentials.credentials == ANONYMOUS_KEY:
        if not settings.anonymous_allowed:
            raise AuthenticationRequired()
        return ANONYMOUS
    if credentials is None:
        if request.headers.get("authorization"):
            raise InvalidToken()
        if not settings.anonymous_allowed:
            raise AuthenticationRequired()
        return ANONYMOUS
    user = accounts.authenticate_token(credentials.credentials)
    limits.user.check(f"user:{user.username}")
    request.state.user = user
    request.state.token = credentials.credentials
    return accounts.principal_of(user)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_user(request: Request, principal: PrincipalDep) -> UserInfo:
    """The logged-in account; 401 for an anonymous caller."""
    user: UserInfo | None = getattr(request.state, "user", None)
    if user is None or principal is ANONYMOUS:
        raise AuthenticationRequired()
    return user


def require_admin(user: Annotated[UserInfo, Depends(require_user)]) -> UserInfo:
    """The logged-in admin; 403 for any other account."""
    if "admin" not in user.roles:
        raise PermissionDenied("Chức năng này chỉ dành cho quản trị viên (vai trò 'admin').")
    return user


@dataclass(frozen=True)
class Auditor:
    """Writes audit events on behalf of the current caller."""

    accounts: AccountService
    username: str
    client: str

    def record(self, action: str, detail: dict[str, Any] | None = None) -> None:
        self.accounts.audit.record(self.username, action, {**(detail or {}), "client": self.client})


def get_auditor(
    request: Request, principal: PrincipalDep, accounts: Annotated[AccountService, Depends(get_accounts)]
) -> Auditor:
    return Auditor(accounts, principal.user_id, client_address(request))


ServiceDep = Annotated[AssistantService, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AccountsDep = Annotated[AccountService, Depends(get_accounts)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
ObserverDep = Annotated[AnswerObserver, Depends(get_observer)]
ConversationsDep = Annotated[ConversationStore, Depends(get_conversations)]
QuizStoreDep = Annotated[QuizStore, Depends(get_quiz_store)]
LimitsDep = Annotated[RateLimits, Depends(get_limits)]
UserDep = Annotated[UserInfo, Depends(require_user)]
AdminDep = Annotated[UserInfo, Depends(require_admin)]
AuditorDep = Annotated[Auditor, Depends(get_auditor)]
