"""Index versions on disk: build in a staging folder, publish by an atomic rename of ``CURRENT.json``.

Layout under ``index_dir``::

    CURRENT.json            {"version": "v20261122T053012-3f9a", ...}  (replaced atomically)
    versions/<version>/     catalog.sqlite, vectors.faiss, bm25.npz, version.json
    staging-<random>/       a version being built; removed when found stale
    .readers.lock           shared-locked by a reader while it loads a version, exclusive while old ones are deleted

A crash before the rename leaves ``CURRENT.json`` naming the previous, complete version. What a version was
built with (embedder, dimension, vector index kind) is its Manifest, see ``assistant.index.manifest``.

Old versions are garbage-collected after each publish: the newest ``keep`` stay, and an older one is deleted only
when it stopped being current more than ``grace_seconds`` ago (its folder's mtime is set when it is retired) and no
reader holds ``.readers.lock``. A rollback copies an old version into a new one and publishes it like an ingest.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import AssistantError, InvalidRequest
from assistant.files import fsync_dir, fsync_file, replacing
from assistant.index.catalog import Catalog
from assistant.index.manifest import CATALOG_FILE, VERSION_FILE, read_manifest

logger = logging.getLogger(__name__)

CURRENT_FILE = "CURRENT.json"
READERS_LOCK = ".readers.lock"
DEFAULT_GRACE_SECONDS = 600.0
_VERSION_NAME = re.compile(r"v[0-9A-Za-z_-]{1,78}")


class IngestLocked(AssistantError):
    """Another ingest is writing this index."""


class UnknownVersion(InvalidRequest):
    """A rollback named a version that is not kept on disk (or is already the current one)."""


@dataclass(frozen=True)
class VersionInfo:
    version: str
    path: Path
    created: str


@dataclass(frozen=True)
class PublishedVersion:
    """One kept version as listed to admins: what ``version.json`` says and whether it is served."""

    version: str
    created: str
    documents: int
    chunks: int
    current: bool
    rolled_back_from: str = ""


def _fsync_tree(path: Path) -> None:
    for item in path.rglob("*"):
        if item.is_file():
            fsync_file(item)
    fsync_dir(path)


class VersionStore:
    def __init__(self, index_dir: Path, keep: int = 3, *, grace_seconds: float = DEFAULT_GRACE_SECONDS) -> None:
        if keep < 1:
            raise ValueError(f"keep must be >= 1, got {keep}")
        if grace_seconds < 0:
            raise ValueError(f"grace_seconds must be >= 0, got {grace_seconds}")
        self.index_dir = index_dir
        self.keep = keep
        self.grace_seconds = grace_seconds

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
        fsync_dir(versions)
        retired = self.current()
        with replacing(self.current_path, durable=True) as pointer:
            pointer.write_text(json.dumps({"version": version, "created": created}), encoding="utf-8")
        if retired is not None and retired.path.is_dir():
            os.utime(retired.path)  # the grace period of garbage collection counts from now
        logger.info("published index version %s", version)
        self.collect_garbage()
        return VersionInfo(version=version, path=final, created=created)

    def discard(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)

    # -- listing, rollback, garbage collection ------------------------------------------------------
    def versions(self) -> list[PublishedVersion]:
        """Every kept, complete version, oldest first."""
        current = self.current()
        out = []
        for path in self._version_dirs():
            try:
                info = json.loads((path / VERSION_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # being deleted, or not a published version
            out.append(
                PublishedVersion(
                    version=path.name,
                    created=str(info.get("created", "")),
                    documents=int(info.get("documents", 0)),
                    chunks=int(info.get("chunks", 0)),
                    current=current is not None and current.version == path.name,
                    rolled_back_from=str(info.get("rolled_back_from", "")),
                )
            )
        return out

    def rollback(self, version: str, *, expected_embedder: str | None = None) -> VersionInfo:
        """Publish a copy of the kept ``version`` as a new current version (under the ingest lock); with
        ``expected_embedder``, a version built with another embedder is refused (a server could not load it)."""
        with self.lock():
            source = self.index_dir / "versions" / (version if _VERSION_NAME.fullmatch(version) else "-")
            current = self.current()
            if not _VERSION_NAME.fullmatch(version) or not (source / VERSION_FILE).is_file():
                raise UnknownVersion(
                    f"Không có phiên bản chỉ mục '{version[:80]}' trên đĩa (có thể đã bị dọn). Xem các phiên bản còn "
                    "giữ bằng `assistant index versions` hoặc GET /v1/index/versions."
                )
            if current is not None and current.version == version:
                raise UnknownVersion(f"Phiên bản '{version}' đang là phiên bản hiện hành; không cần quay lại.")
            if expected_embedder:
                read_manifest(Catalog(source / CATALOG_FILE)).check_embedder(expected_embedder, index=version)
            info = json.loads((source / VERSION_FILE).read_text(encoding="utf-8"))
            staging = self.index_dir / f"staging-{secrets.token_hex(4)}"
            try:
                with self.reading():
                    shutil.copytree(source, staging)
                (staging / VERSION_FILE).unlink()
                summary = {k: v for k, v in info.items() if k not in ("version", "created", "rolled_back_from")}
                return self.publish(staging, {**summary, "rolled_back_from": version})
            except BaseException:
                self.discard(staging)
                raise

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Held by a reader while it resolves and loads a version: garbage collection waits for no reader and
        deletes nothing while any holds it."""
        if not self.index_dir.is_dir():
            yield
            return
        with (self.index_dir / READERS_LOCK).open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def collect_garbage(self, *, now: float | None = None) -> list[str]:
        """Delete versions older than the newest ``keep`` that are not current, were retired more than
        ``grace_seconds`` ago, while no reader holds the readers' lock. Returns the deleted versions."""
        current = self.current()
        dirs = self._version_dirs()
        old = [p for p in dirs[: max(0, len(dirs) - self.keep)] if current is None or p.name != current.version]
        if not old:
            return []
        moment = time.time() if now is None else now
        due = [p for p in old if moment - p.stat().st_mtime >= self.grace_seconds]
        if not due:
            return []
        with (self.index_dir / READERS_LOCK).open("a") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                logger.info("a reader holds the index; old versions are kept until the next collection")
                return []
            try:
                for path in due:
                    shutil.rmtree(path, ignore_errors=True)
                    logger.info("deleted old index version %s", path.name)
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return [p.name for p in due]

    def _version_dirs(self) -> list[Path]:
        versions = self.index_dir / "versions"
        if not versions.is_dir():
            return []
        return sorted(p for p in versions.iterdir() if p.is_dir())
