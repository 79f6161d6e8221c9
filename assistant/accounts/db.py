"""The store's engine and sessions: SQLite in the data folder by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from assistant.accounts import quiz_models  # noqa: F401  (registers the quiz bank tables on Base for create())
from assistant.accounts.models import Base
from assistant.errors import ConfigurationError

logger = logging.getLogger(__name__)


class Database:
    """Cheap to construct; ``create()`` makes the tables. Sessions commit on success and roll back on error."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise ConfigurationError(
                "ASSISTANT_DATABASE_URL không hợp lệ: dùng dạng sqlite:///đường/dẫn.sqlite hoặc "
                "postgresql+psycopg://người_dùng:mật_khẩu@máy:cổng/tên_csdl"
            ) from exc
        self.url = parsed
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"pool_pre_ping": not self.is_sqlite}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(parsed, **kwargs)
        except ImportError as exc:
            raise ConfigurationError(
                f"Thiếu trình điều khiển cơ sở dữ liệu cho '{parsed.drivername}' ({exc.name}). Với PostgreSQL, cài "
                "`pip install 'tro-ly-cong-chuc-so[postgres]'` và dùng URL postgresql+psycopg://…"
            ) from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def create(self) -> None:
        """Create missing tables (idempotent)."""
        Base.metadata.create_all(self.engine)
        logger.info("store ready at %s", self.url.render_as_string(hide_password=True))

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
