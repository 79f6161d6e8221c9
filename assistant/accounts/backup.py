"""Backup and restore of a whole installation, safe to run while the service answers.

The archive (``.tar.gz``) holds under ``backup/``::

    manifest.json              format, time, index version and counts, store tables and row counts, sha256 of files
    store/app.sqlite           the accounts/audit/feedback/quiz store: SQLite's online backup API, or for PostgreSQL
                               a logical export of every table (one REPEATABLE READ transaction) into SQLite
    index/CURRENT.json, index/versions/<v>/   the published current index version
    sources/                   the stored originals of every document (uploads included)
    trash/                     removed documents still restorable
    config/units.yaml          the unit tree in use
    config/settings.json       the settings, secrets replaced by a marker (never in clear)

``restore_backup`` unpacks onto an empty data folder after checking every checksum, and fills the configured store
(SQLite in the data folder by default; an empty PostgreSQL database by URL).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select, text

from assistant.accounts.db import Database
from assistant.accounts.models import Base
from assistant.errors import InvalidRequest
from assistant.index.versions import CURRENT_FILE, VersionStore
from assistant.settings import Settings

logger = logging.getLogger(__name__)

FORMAT = 1
ROOT = "backup"
SECRET_MARKER = "<bí mật: không lưu trong bản sao lưu>"


class RestoreRefused(InvalidRequest):
    """The target of a restore is not empty, or the archive is not a backup of this application."""


class BackupCorrupt(InvalidRequest):
    """A file of the archive does not match the checksum its manifest records."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    index_version: str
    documents: int
    chunks: int
    tables: dict[str, int]
    files: int
    bytes: int
    seconds: float
    manifest: dict[str, Any] = field(default_factory=dict)


def redacted_settings(settings: Settings) -> dict[str, Any]:
    """Every setting as JSON, each secret replaced by a marker (empty secrets stay empty)."""
    out: dict[str, Any] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            out[name] = SECRET_MARKER if value.get_secret_value() else ""
        else:
            out[name] = json.loads(settings.model_dump_json(include={name})).get(name)
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_online_backup(source: str, target: Path) -> None:
    """A consistent copy of a live SQLite database (pages copied under SQLite's own locking)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        dst.close()
        src.close()


def _copy_tables(source: Database, target: Database, *, snapshot: bool) -> dict[str, int]:
    """Copy every row of the application's tables, parents first; returns rows per table."""
    counts: dict[str, int] = {}
    with source.engine.connect() as conn:
        if snapshot and not source.is_sqlite:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin(), target.engine.begin() as out:
            for table in Base.metadata.sorted_tables:
                rows = [dict(r) for r in conn.execute(select(table)).mappings()]
                if rows:
                    out.execute(table.insert(), rows)
                counts[table.name] = len(rows)
    return counts


def _table_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in Base.metadata.sorted_tables
        }


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))


def create_backup(settings: Settings, out: Path, *, database: Database | None = None) -> BackupSummary:
    """Write the archive ``out`` (replaced atomically when complete)."""
    started = time.perf_counter()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    db = database or Database(settings.database_url_value)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=out.parent) as tmp:
        root = Path(tmp) / ROOT
        (root / "store").mkdir(parents=True)
        store_file = root / "store" / "app.sqlite"
        if db.is_sqlite and db.url.database and db.url.database != ":memory:":
            db.create()  # a store never opened yet still backs up as an empty schema
            _sqlite_online_backup(db.url.database, store_file)
            method = "sqlite-online-backup"
        else:
            exported = Database(f"sqlite:///{store_file}")
            exported.create()
            _copy_tables(db, exported, snapshot=True)
            exported.dispose()
            method = "logical-export"
        exported_db = Database(f"sqlite:///{store_file}")
        tables = _table_counts(exported_db)
        exported_db.dispose()

        versions = VersionStore(settings.index_dir)
        index: dict[str, Any] = {"version": "", "documents": 0, "chunks": 0}
        with versions.reading():  # the version copied is not garbage-collected meanwhile
            current = versions.current()
            if current is not None:
                shutil.copytree(current.path, root / "index" / "versions" / current.version)
                (root / "index" / CURRENT_FILE).write_text(
                    json.dumps({"version": current.version, "created": current.created}), encoding="utf-8"
                )
                info = json.loads((current.path / "version.json").read_text(encoding="utf-8"))
                index = {k: info.get(k) for k in ("version", "created", "documents", "chunks", "vector_index")}
        _copy_tree(settings.sources_dir, root / "sources")
        _copy_tree(settings.data_dir / "trash", root / "trash")
        (root / "config").mkdir()
        if settings.units_file.is_file():
            shutil.copyfile(settings.units_file, root / "config" / "units.yaml")
        (root / "config" / "settings.json").write_text(
            json.dumps(redacted_settings(settings), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        files = sorted(p for p in root.rglob("*") if p.is_file())
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "index": index,
            "store": {"backend": db.url.get_backend_name(), "method": method, "tables": tables},
            "sources": sum(1 for p in files if p.relative_to(root).parts[0] == "sources"),
            "trash_entries": sum(1 for p in (root / "trash").glob("*/entry.json")) if (root / "trash").is_dir() else 0,
            "files": {str(p.relative_to(root)): _sha256(p) for p in files},
        }
        (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(root, arcname=ROOT)
        os.replace(partial, out)
    logger.info("backup written to %s", out)
    return BackupSummary(
        path=out, index_version=str(index.get("version") or ""), documents=int(index.get("documents") or 0),
        chunks=int(index.get("chunks") or 0), tables=tables, files=len(files), bytes=out.stat().st_size,
        seconds=time.perf_counter() - started, manifest=manifest,
    )  # fmt: skip


def _is_empty(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def _unpack(archive: Path, into: Path) -> tuple[Path, dict[str, Any]]:
    """Extract ``archive`` (regular files and folders under ``backup/`` only) and check every checksum."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            bad = [m.name for m in members if not (m.isfile() or m.isdir()) or m.name.split("/")[0] != ROOT]
            if bad:
                raise RestoreRefused(f"{archive} không phải bản sao lưu của trợ lý (có mục lạ: {bad[0]}).")
            tar.extractall(into, members=members, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise RestoreRefused(f"Không đọc được tệp sao lưu {archive}: {exc}") from exc
    root = into / ROOT
    try:
        manifest: dict[str, Any] = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RestoreRefused(
            f"{archive} không có manifest.json hợp lệ; đây không phải bản sao lưu của trợ lý."
        ) from exc
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"Bản sao lưu định dạng {manifest.get('format')!r}; bản này chỉ đọc định dạng {FORMAT}.")
    listed = manifest.get("files", {})
    present = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} - {"manifest.json"}
    if present != set(listed):
        raise BackupCorrupt(f"Bản sao lưu {archive} thiếu hoặc thừa tệp so với manifest; không khôi phục.")
    for name, digest in listed.items():
        if _sha256(root / name) != digest:
            raise BackupCorrupt(f"Tệp {name} trong {archive} sai mã kiểm tra (sha256); bản sao lưu bị hỏng.")
    return root, manifest


def _fill_store(source_file: Path, target: Database) -> dict[str, int]:
    """Copy the archived store into ``target``: the file itself for SQLite, the rows for PostgreSQL."""
    if target.is_sqlite and target.url.database and target.url.database != ":memory:":
        path = Path(target.url.database)
        if path.exists() and path.stat().st_size > 0:
            raise RestoreRefused(f"Cơ sở dữ liệu {path} đã có; chỉ khôi phục vào nơi còn trống.")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_file, path)
        target.create()
        return _table_counts(target)
    target.create()
    if any(_table_counts(target).values()):
        raise RestoreRefused(
            f"Cơ sở dữ liệu {target.url.render_as_string(hide_password=True)} đã có dữ liệu; chỉ khôi phục vào một "
            "cơ sở dữ liệu trống (tạo mới rồi đặt ASSISTANT_DATABASE_URL)."
        )
    source = Database(f"sqlite:///{source_file}")
    try:
        counts = _copy_tables(source, target, snapshot=False)
    finally:
        source.dispose()
    if target.url.get_backend_name() == "postgresql":
        with target.engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                if "id" in table.c and table.c["id"].primary_key and table.c["id"].autoincrement in (True, "auto"):
                    if str(table.c["id"].type) != "INTEGER":
                        continue
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                            f"(SELECT MAX(id) IS NOT NULL FROM {table.name}))"
                        )
                    )
    return counts


def restore_backup(archive: Path, settings: Settings, *, database: Database | None = None) -> dict[str, Any]:
    """Restore ``archive`` into ``settings.data_dir`` (which must be empty or absent) and the configured store.
    Returns the archive's manifest with the restored row counts under ``restored_tables``."""
    data_dir = settings.data_dir
    if not _is_empty(data_dir):
        raise RestoreRefused(
            f"Thư mục dữ liệu {data_dir} không trống. Khôi phục chỉ ghi vào một thư mục trống hoặc chưa có: chọn "
            "thư mục khác bằng --data-dir, hoặc tự chuyển dữ liệu hiện có đi chỗ khác trước."
        )
    if not archive.is_file():
        raise RestoreRefused(f"Không có tệp sao lưu {archive}.")
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir) as tmp:
        root, manifest = _unpack(archive, Path(tmp))
        db = database or Database(settings.database_url_value)
        counts = _fill_store(root / "store" / "app.sqlite", db)
        for name in ("index", "sources", "trash"):
            if (root / name).is_dir():
                shutil.move(str(root / name), str(data_dir / name))
        if (root / "config" / "units.yaml").is_file():
            shutil.copyfile(root / "config" / "units.yaml", data_dir / "units.yaml")
        shutil.copyfile(root / "config" / "settings.json", data_dir / "restored-settings.json")
        if database is None:
            db.dispose()
    return {**manifest, "restored_tables": counts}
