"""Holds the serving index snapshot and swaps in newly published versions without a restart."""

from __future__ import annotations

import logging
import threading
import time

from assistant.errors import IndexNotReady
from assistant.index.snapshot import IndexSnapshot
from assistant.index.versions import VersionStore

logger = logging.getLogger(__name__)


class SnapshotHolder:
    """Readers take a reference with ``get()``; a refresh replaces it atomically, so requests in flight
    finish on the version they started with."""

    def __init__(self, store: VersionStore, *, expected_embedder: str | None = None, ef_search: int = 128) -> None:
        self._store = store
        self._expected_embedder = expected_embedder
        self._ef_search = ef_search
        self._snapshot: IndexSnapshot | None = None
        self._lock = threading.Lock()
        self._last_check = 0.0

    @property
    def loaded(self) -> bool:
        return self._snapshot is not None

    def get(self) -> IndexSnapshot:
        snapshot = self._snapshot
        if snapshot is None:
            raise IndexNotReady(str(self._store.index_dir))
        return snapshot

    def refresh(self) -> bool:
        """Load the published version if it differs from the one served; True when a swap happened."""
        with self._lock:
            self._last_check = time.monotonic()
            with self._store.reading():  # old versions are not deleted while this one is being loaded
                current = self._store.current()
                if current is None:
                    return False
                if self._snapshot is not None and self._snapshot.version == current.version:
                    return False
                snapshot = IndexSnapshot.load(
                    current.path, expected_embedder=self._expected_embedder, ef_search=self._ef_search
                )
            previous = self._snapshot.version if self._snapshot else None
            self._snapshot = snapshot
        logger.info("serving index version %s (was %s)", snapshot.version, previous)
        return True

    def refresh_if_due(self, interval_seconds: float) -> None:
        """Cheap check used on requests: at most once per ``interval_seconds``."""
        if time.monotonic() - self._last_check >= interval_seconds:
            self.refresh()

    def set(self, snapshot: IndexSnapshot) -> None:
        """Serve ``snapshot`` directly (tests, eval)."""
        with self._lock:
            self._snapshot = snapshot
