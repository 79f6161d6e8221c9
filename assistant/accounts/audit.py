"""The audit log: who asked what, which documents were cited, viewed or downloaded, logins and admin actions.

Details never hold passwords or tokens: keys that look like secrets are dropped before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import delete, select

from assistant.accounts.db import Database
from assistant.accounts.models import AuditEvent, utcnow

logger = logging.getLogger(__name__)

_SECRET_KEY = re.compile(r"(^|[_-])(pass(word|wd|phrase)?|pwd|token|secret|authori[sz]ation|cookie|api[_-]?key)$", re.I)
MAX_TEXT = 4000
MAX_ITEMS = 200


class Action:
    """The actions written to the audit log."""

    ASK = "ask"
    SEARCH = "search"
    DOCUMENT_VIEW = "document.view"
    DOCUMENT_DOWNLOAD = "document.download"
    LOGIN = "login.success"
    LOGIN_FAILED = "login.failure"
    LOGOUT = "logout"
    DOCUMENT_UPLOAD = "admin.document.upload"
    DOCUMENT_REMOVE = "admin.document.remove"
    DOCUMENT_RESTORE = "admin.document.restore"
    TRASH_PURGE = "admin.trash.purge"
    INDEX_ROLLBACK = "admin.index.rollback"
    BACKUP = "admin.backup"
    RESTORE = "admin.restore"
    USER_ADD = "admin.user.add"
    USER_DISABLE = "admin.user.disable"
    USER_ENABLE = "admin.user.enable"
    USER_PASSWORD = "admin.user.password"
    USER_TOKEN = "admin.user.token"
    USER_REVOKE = "admin.user.revoke_tokens"
    AUDIT_EXPORT = "admin.audit.export"
    AUDIT_PURGE = "admin.audit.purge"
    FEEDBACK_EXPORT = "admin.feedback.export"
    EVAL_RUN = "admin.eval.run"
    QUIZ_GENERATE = "quiz.bank.generate"
    QUIZ_REVIEW = "quiz.bank.review"
    QUIZ_EXPORT = "quiz.bank.export"
    QUIZ_DELETE = "quiz.bank.delete"
    INSPECTION_BASES = "inspection.bases"
    INSPECTION_WORKSPACE = "inspection.workspace"
    DOCUMENT_COMPARE = "document.compare"
    DRAFT_RENDER = "draft.render"


def scrub(value: Any) -> Any:
    """A JSON-safe copy of ``value`` without secret-looking keys, long strings cut and long lists capped."""
    if isinstance(value, Mapping):
        return {str(k): scrub(v) for k, v in value.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else list(value)
        return [scrub(v) for v in items[:MAX_ITEMS]]
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)[:MAX_TEXT]


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, username: str, action: str, detail: Mapping[str, Any] | None = None) -> None:
        """Append one event; a store failure is logged, never raised into the request that caused it."""
        event = AuditEvent(ts=utcnow(), username=username[:64], action=action[:64], detail=scrub(dict(detail or {})))
        try:
            with self.db.session() as session:
                session.add(event)
        except Exception:  # the action already happened; losing its audit line must be loud, not fatal
            logger.exception("could not write the audit event %s of %s", action, username)

    def events(
        self, *, since: dt.datetime | None = None, until: dt.datetime | None = None, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Events in time order as plain dicts (``ts`` ISO 8601 UTC)."""
        query = select(AuditEvent).order_by(AuditEvent.ts, AuditEvent.id)
        if since is not None:
            query = query.where(AuditEvent.ts >= since)
        if until is not None:
            query = query.where(AuditEvent.ts < until)
        if limit is not None:
            query = query.limit(limit)
        with self.db.session() as session:
            for event in session.scalars(query):
                yield {
                    "id": event.id,
                    "ts": event.ts.isoformat(),
                    "user": event.username,
                    "action": event.action,
                    "detail": event.detail,
                }

    def export_jsonl(self, out: TextIO, *, since: dt.datetime | None = None, until: dt.datetime | None = None) -> int:
        """Write events as JSON Lines (one event per line, UTF-8); returns the number written."""
        count = 0
        for event in self.events(since=since, until=until):
            out.write(json.dumps(event, ensure_ascii=False) + "\n")
            count += 1
        return count

    def export_file(self, path: Path, *, since: dt.datetime | None = None, until: dt.datetime | None = None) -> int:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            return self.export_jsonl(out, since=since, until=until)

    def purge(self, retention_days: int, *, now: dt.datetime | None = None) -> int:
        """Delete events older than ``retention_days``; returns how many."""
        if retention_days <= 0:
            raise ValueError(f"retention_days must be > 0, got {retention_days}")
        cutoff = (now or utcnow()) - dt.timedelta(days=retention_days)
        with self.db.session() as session:
            result = session.execute(delete(AuditEvent).where(AuditEvent.ts < cutoff))
            return int(getattr(result, "rowcount", 0))
