"""Index versions on disk: build in a staging folder, publish by an atomic rename of ``CURRENT.json``.

Layout under ``index_dir``::

    CURRENT.json            {"version": "v20261122T053012-3f9a", ...}  (replaced atomically)
    versions/<version>/     catalog.sqlite, vectors.faiss, bm25.npz, version.json
    staging-<random>/       a version being built; removed when found stale

A crash before the rename leaves ``CURRENT.json`` naming the previous, complete version. What a version was
built with (embedder, dimension, vector index kind) is its Manifest, see ``assistant.index.manifest``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import AssistantError
from assistant.index.manifest import VERSION_FILE

logger = logging.getLogger(__name__)

CURRENT_FILE = "CURRENT.json"


class IngestLocked(AssistantError):
    """Another ingest is writing this index."""


@dataclass(frozen=True)
class VersionInfo:
    version: str
    path: Path
    created: str


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    for item in path.rglob("*"):
        if item.is_file():
            with item.open("rb") as fh:
                os.fsync(fh.fileno())
    _fsync_dir(path)


class VersionStore:
    def __init__(self, index_dir: Path, keep: int = 3) -> None:
        if keep < 1:
            raise ValueError(f"keep must be >= 1, got {keep}")
        self.index_dir = index_dir
        self.keep = keep

    @property
    def current_path(self) -> Path:
        return self.index_dir / CURRENT_FILE

    def current(self) -> VersionInfo | None:
        """The published version, or None when nothing was published yet."""
        try:
            data = json.loads(self.current_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        path = self.index_dir / "versions" / data["version"]
        return VersionInfo(version=data["version"], path=path, created=data.get("created", ""))

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive lock so two ingests never build on the same base at once."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with (self.index_dir / ".ingest.lock").open("w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise IngestLocked(
                    f"Một tiến trình nạp tài liệu khác đang ghi vào {self.index_dir}; chờ nó xong rồi chạy lại."
                ) from exc
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def begin(self) -> Path:
        """A fresh staging folder holding a copy of the current version (empty when there is none)."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.index_dir.glob("staging-*"):
            logger.warning("removing stale staging folder %s (an earlier ingest stopped midway)", stale)
            shutil.rmtree(stale, ignore_errors=True)
        staging = self.index_dir / f"staging-{secrets.token_hex(4)}"
        current = self.current()
        if current is not None:
            shutil.copytree(current.path, staging)
            (staging / VERSION_FILE).unlink(missing_ok=True)
        else:
            staging.mkdir()
        return staging

    def publish(self, staging: Path, summary: dict[str, object]) -> VersionInfo:
        """Make ``staging`` the current version: fsync, rename into versions/, swap CURRENT.json atomically."""
        now = dt.datetime.now(dt.UTC)
        version = f"v{now.strftime('%Y%m%dT%H%M%S%f')}-{secrets.token_hex(2)}"
        created = now.isoformat(timespec="seconds")
        (staging / VERSION_FILE).write_text(
            json.dumps({"version": version, "created": created, **summary}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
        _fsync_tree(staging)
        versions = self.index_dir / "versions"
        versions.mkdir(exist_ok=True)
        final = versions / version
        os.rename(staging, final)
        _fsync_dir(versions)
        tmp = self.index_dir / f".{CURRENT_FILE}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump({"version": version, "created": created}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.current_path)
        _fsync_dir(self.index_dir)
        logger.info("published index version %s", version)
        self._prune(keep_version=version)
        return VersionInfo(version=version, path=final, created=created)

    def discard(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)

    def _prune(self, keep_version: str) -> None:
        versions = sorted(p for p in (self.index_dir / "versions").iterdir() if p.is_dir())
        old = [p for p in versions if p.name != keep_version][: max(0, len(versions) - self.keep)]
        for path in old:
            shutil.rmtree(path, ignore_errors=True)
