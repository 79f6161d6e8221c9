"""UI fixtures: the real API app in-process (for the client) and a headless browser; live servers are started with
the root conftest's ``launch``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.service import AssistantService
from assistant.settings import Settings
from ui.client import ApiClient

ApiFactory = Callable[..., TestClient]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def api_app(settings: Settings, service: AssistantService) -> Iterator[ApiFactory]:
    """``api_app(**setting_changes)`` → a TestClient over the real API on the three-document shelf."""
    with ExitStack() as stack:

        def make(**changes: object) -> TestClient:
            app = create_app(settings.model_copy(update=changes), service=service)
            return stack.enter_context(TestClient(app))

        yield make


@pytest.fixture
def api(api_app: ApiFactory) -> TestClient:
    """The API with anonymous access on (public documents only without a token)."""
    return api_app()


@pytest.fixture
def client(api: TestClient) -> ApiClient:
    return ApiClient(api)


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright (skipped when it is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: apt-get install -y chromium (make test does it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
