"""The sample shelf as a loaded service for tests (importable as ``shelf_support``): corpus/src ingested as text
with the hashing embedder, every document or the ones named."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr
from support import ingest

from assistant.embedding.hashing import HashingEmbedder
from assistant.service import AssistantService
from assistant.settings import Settings

SOURCES = Path(__file__).resolve().parents[1] / "corpus" / "src"


def copy_shelf(folder: Path, doc_ids: Sequence[str] | None = None) -> Path:
    """corpus/src/<id>.txt with its sidecar as the ingest reads it: <id>.txt.meta.yaml without ``format`` (a key of
    corpus/build_shelf.py that the ingest refuses); only ``doc_ids`` when given."""
    folder.mkdir(parents=True, exist_ok=True)
    for txt in sorted(SOURCES.glob("*.txt")):
        if doc_ids is not None and txt.stem not in doc_ids:
            continue
        meta = yaml.safe_load((SOURCES / f"{txt.stem}.meta.yaml").read_text(encoding="utf-8"))
        meta.pop("format", None)
        (folder / txt.name).write_text(txt.read_text(encoding="utf-8"), encoding="utf-8")
        (folder / f"{txt.name}.meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return folder


def shelf_service(root: Path, doc_ids: Sequence[str] | None = None, **changes: Any) -> AssistantService:
    """A loaded service over the shelf (or ``doc_ids`` of it), its data under ``root``; ``changes`` to the test
    settings (its ``settings`` are the ones an app over it is built from)."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=root / "data",
        admin_password=SecretStr("test-admin-password"),
        embedder="hashing",
        abstain_threshold=0.2,
        **changes,
    )
    embedder = HashingEmbedder(256)
    report = ingest(settings, embedder, copy_shelf(root / "shelf", doc_ids))
    assert not report.failed, report.failed
    service = AssistantService(settings, embedder=embedder)
    service.load()
    return service
