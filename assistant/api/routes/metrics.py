"""GET /metrics: Prometheus text, for a scraper holding ``ASSISTANT_METRICS_TOKEN`` or an admin's token."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from assistant.accounts.errors import AuthenticationRequired
from assistant.api.deps import AccountsDep, SettingsDep, bearer
from assistant.api.observability import Metrics
from assistant.errors import PermissionDenied

router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
def metrics(
    request: Request,
    settings: SettingsDep,
    accounts: AccountsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Response:
    if credentials is None:
        raise AuthenticationRequired()
    expected = settings.metrics_token.get_secret_value()
    if not (expected and hmac.compare_digest(credentials.credentials.encode(), expected.encode())):
        user = accounts.authenticate_token(credentials.credentials)
        if "admin" not in user.roles:
            raise PermissionDenied("Số đo vận hành chỉ dành cho quản trị viên hoặc máy thu có ASSISTANT_METRICS_TOKEN.")
    registry: Metrics = request.app.state.metrics
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
