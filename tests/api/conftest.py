"""API fixtures: apps built from the shared settings with changes, entered (lifespan run) and closed for the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.service import AssistantService
from assistant.settings import Settings

ClientFactory = Callable[..., TestClient]


@pytest.fixture
def app_client(settings: Settings, service: AssistantService) -> Iterator[ClientFactory]:
    """``app_client(**setting_changes)`` → a TestClient over the shelf service, closed at the end of the test."""
    with ExitStack() as stack:

        def make(**changes: object) -> TestClient:
            app = create_app(settings.model_copy(update=changes), service=service)
            return stack.enter_context(TestClient(app))

        yield make
