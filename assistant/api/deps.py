"""Dependencies routes receive; tests replace them through ``app.dependency_overrides``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import ANONYMOUS, Principal


def get_service(request: Request) -> AssistantService:
    service: AssistantService = request.app.state.service
    return service


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_principal() -> Principal:
    """The caller. Until accounts land every caller is anonymous and sees public documents only."""
    return ANONYMOUS


ServiceDep = Annotated[AssistantService, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
