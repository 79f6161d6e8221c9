"""UI fixtures: the real API app in-process (for the client), and helpers to run API and UI as live servers."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.service import AssistantService
from assistant.settings import Settings
from ui.client import ApiClient

ApiFactory = Callable[..., TestClient]
STARTUP_TIMEOUT_S = 60.0
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


def _clean_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", **values)
    return env


@pytest.fixture
def clean_env() -> Callable[..., dict[str, str]]:
    """``clean_env(**values)``: the environment without the developer's ASSISTANT_* variables, plus ``values``."""
    return _clean_env


class LiveProcess:
    """A server subprocess with its log file; ``stop()`` terminates it (kill after 10 s)."""

    def __init__(self, name: str, args: Sequence[str], env: dict[str, str], cwd: Path, health_url: str) -> None:
        self.name = name
        self.log_path = cwd / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(list(args), env=env, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT)
        self.health_url = health_url

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.health_url, timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log()}")
            time.sleep(0.2)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


Launcher = Callable[..., LiveProcess]


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Launcher]:
    """``launch(name, args, env, health_url)`` starts a server in ``tmp_path`` and waits until it answers; every
    process started this way is stopped at the end of the test, whatever happened."""
    started: list[LiveProcess] = []

    def start(name: str, args: Sequence[str], env: dict[str, str], health_url: str) -> LiveProcess:
        process = LiveProcess(name, args, env, tmp_path, health_url)
        started.append(process)
        process.wait_ready()
        return process

    try:
        yield start
    finally:
        for process in reversed(started):
            process.stop()


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
