"""``assistant trash …``, ``assistant index …``, ``assistant backup`` and ``assistant restore``: undo, rollback and
backup from the shell. Every change is written to the audit log under ``cli:<OS user>``."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from assistant.accounts.audit import Action
from assistant.accounts.backup import create_backup, restore_backup
from assistant.accounts.cli import _actor
from assistant.accounts.service import AccountService
from assistant.index.versions import VersionStore
from assistant.settings import Settings
from ingest.trash import TrashBin


def record(settings: Settings, action: str, detail: dict[str, Any]) -> None:
    """Write one audit event as the CLI user (the store is opened without creating an admin)."""
    accounts = AccountService(settings)
    try:
        accounts.open(bootstrap=False)
        accounts.audit.record(_actor(), action, detail)
    finally:
        accounts.close()


def _trash(settings: Settings) -> TrashBin:
    return TrashBin(settings.data_dir / "trash", settings.trash_retention_days)


def _versions(settings: Settings) -> VersionStore:
    return VersionStore(
        settings.index_dir, keep=settings.keep_versions, grace_seconds=settings.version_grace_minutes * 60
    )


def cmd_trash_list(args: argparse.Namespace, settings: Settings) -> int:
    entries = _trash(settings).entries()
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print(f"Thùng rác trống (văn bản bị xóa được giữ {settings.trash_retention_days} ngày).")
    for e in entries:
        print(
            f"{e.doc_id:32} xóa {e.removed_at:%Y-%m-%d %H:%M} bởi {e.removed_by or '-'}; "
            f"giữ đến {e.expires_at:%Y-%m-%d}; lý do: {e.reason or '-'} — {e.title}"
        )
    return 0


def cmd_trash_restore(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.embedding.factory import create_embedder
    from ingest.pipeline import IngestPipeline
    from ingest.trash import restore_document

    embedder = create_embedder(settings)
    embedder.load()
    report, entry = restore_document(IngestPipeline(settings, embedder, progress=False), args.doc_id)
    detail = {"doc_id": args.doc_id, "version": report.version, "removed_by": entry.removed_by}
    record(settings, Action.DOCUMENT_RESTORE, {**detail, "embedded": report.embedded})
    print(
        f"Đã khôi phục {args.doc_id} ({report.chunks_added} đoạn, nhúng lại {report.embedded}); "
        f"phiên bản {report.version}"
    )
    return 0


def cmd_trash_purge(args: argparse.Namespace, settings: Settings) -> int:
    purged = _trash(settings).purge_expired()
    record(settings, Action.TRASH_PURGE, {"doc_ids": [e.doc_id for e in purged]})
    print(f"Đã xóa hẳn {len(purged)} văn bản quá {settings.trash_retention_days} ngày trong thùng rác.")
    return 0


def cmd_index_versions(args: argparse.Namespace, settings: Settings) -> int:
    versions = _versions(settings).versions()
    if args.json:
        rows = [
            {"version": v.version, "created": v.created, "documents": v.documents, "chunks": v.chunks,
             "current": v.current, "rolled_back_from": v.rolled_back_from}
            for v in versions
        ]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for v in versions:
        mark = "*" if v.current else " "
        back = f"  (quay lại {v.rolled_back_from})" if v.rolled_back_from else ""
        print(f"{mark} {v.version:34} {v.created:26} {v.documents:6} văn bản {v.chunks:8} đoạn{back}")
    return 0


def cmd_index_rollback(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.embedding.factory import create_embedder

    info = _versions(settings).rollback(args.version, expected_embedder=create_embedder(settings).name)
    record(settings, Action.INDEX_ROLLBACK, {"to": args.version, "version": info.version})
    print(f"Đã xuất bản lại {args.version} thành phiên bản {info.version}; máy chủ đang chạy tự chuyển sang.")
    return 0


def cmd_index_gc(args: argparse.Namespace, settings: Settings) -> int:
    store = _versions(settings)
    with store.lock():
        deleted = store.collect_garbage()
    print(
        f"Đã dọn {len(deleted)} phiên bản cũ (giữ {store.keep} mới nhất, chờ {settings.version_grace_minutes:g} phút)."
    )
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    summary = create_backup(settings, Path(args.out))
    detail = {"via": "cli", "out": str(summary.path), "bytes": summary.bytes, "index_version": summary.index_version}
    record(settings, Action.BACKUP, {**detail, "tables": summary.tables})
    print(
        f"Đã sao lưu vào {summary.path} ({summary.bytes / 1048576:.1f} MB, {summary.files} tệp): chỉ mục "
        f"{summary.index_version or '-'} ({summary.documents} văn bản, {summary.chunks} đoạn), "
        f"{summary.tables.get('users', 0)} tài khoản, {summary.tables.get('audit', 0)} sự kiện nhật ký; "
        f"{summary.seconds:.1f} s"
    )
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    target = settings.model_copy(update={"data_dir": Path(args.data_dir)})
    started = time.perf_counter()
    manifest = restore_backup(Path(args.archive), target)
    record(target, Action.RESTORE, {"archive": str(args.archive), "created": manifest.get("created")})
    tables = manifest["restored_tables"]
    print(
        f"Đã khôi phục bản sao lưu {manifest.get('created')} vào {args.data_dir}: chỉ mục "
        f"{manifest['index'].get('version') or '-'} ({manifest['index'].get('documents') or 0} văn bản), "
        f"{tables.get('users', 0)} tài khoản, {tables.get('audit', 0)} sự kiện nhật ký; "
        f"{time.perf_counter() - started:.1f} s."
    )
    print(
        f"Đặt ASSISTANT_DATA_DIR={args.data_dir} (và ASSISTANT_UNITS_FILE={Path(args.data_dir) / 'units.yaml'} nếu "
        "cây đơn vị không phải tệp mặc định); các giá trị bí mật (mật khẩu, URL cơ sở dữ liệu) không nằm trong bản "
        "sao lưu: đặt lại trong môi trường. Các thiết lập cũ ở restored-settings.json."
    )
    return 0


def add_operation_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    trash = sub.add_parser("trash", help="removed documents: list, restore, purge")
    trash_sub = trash.add_subparsers(dest="trash_command", required=True)
    p = trash_sub.add_parser("list", help="documents in the trash (who removed them, when, why)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_trash_list)
    p = trash_sub.add_parser("restore", help="put a removed document back (publishes a new index version)")
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_trash_restore)
    p = trash_sub.add_parser("purge", help="delete entries older than ASSISTANT_TRASH_RETENTION_DAYS")
    p.set_defaults(func=cmd_trash_purge)

    index = sub.add_parser("index", help="index versions: list, rollback, garbage-collect")
    index_sub = index.add_subparsers(dest="index_command", required=True)
    p = index_sub.add_parser("versions", help="kept versions (* = current)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_index_versions)
    p = index_sub.add_parser("rollback", help="publish a kept version again (running servers swap to it)")
    p.add_argument("version")
    p.set_defaults(func=cmd_index_rollback)
    p = index_sub.add_parser("gc", help="delete old versions (keep_versions newest, after version_grace_minutes)")
    p.set_defaults(func=cmd_index_gc)

    p = sub.add_parser("backup", help="write a consistent backup archive (safe while the service runs)")
    p.add_argument("out", help="the archive to write, e.g. sao-luu.tar.gz")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="restore a backup archive onto an empty data folder")
    p.add_argument("archive")
    p.add_argument("--data-dir", required=True, help="an empty or absent folder")
    p.set_defaults(func=cmd_restore)
