"""Shared fixtures: an isolated data folder, fast settings with the hashing embedder, a small legal shelf."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from support import DECREE, INTERNAL, NEW_DECREE, ingest, write_doc

from assistant.embedding.hashing import HashingEmbedder
from assistant.service import AssistantService
from assistant.settings import Settings


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
