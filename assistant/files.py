"""Replacing a file so that its readers see the old one or the new one whole, never a part of either."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

__all__ = ["fsync_dir", "fsync_file", "replacing"]


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename into it, a new file) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a file's contents to disk."""
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


STALE_PARTIAL_SECONDS = 6 * 3600  # no writer of this project takes that long; one killed mid-write left it
_swept: set[Path] = set()  # folders this process has swept (once each: a sources folder may hold 10⁵ files)


def _sweep_stale(folder: Path) -> None:
    """Remove what writers killed mid-write left in ``folder``, the first time this process writes there (a live
    writer's file is younger; on a shared folder it may belong to another machine, so age decides, not the
    process id)."""
    if folder in _swept:
        return
    _swept.add(folder)
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    for leftover in folder.glob(".*.partial"):
        with contextlib.suppress(OSError):  # another writer swept it first
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


@contextlib.contextmanager
def replacing(path: Path, *, durable: bool = False) -> Iterator[Path]:
    """A new path beside ``path`` for the block to write; when the block ends without error that file replaces
    ``path`` in one rename, so a process that opened or mapped the old file keeps reading it whole. On an error
    the new file is removed and ``path`` is left as it was. ``durable``: the new file is flushed to disk before
    the rename and the folder after it (a crash then leaves the old file or the new one, never an empty one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale(path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.partial")  # writers never share it
    try:
        yield partial
        if durable:
            fsync_file(partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)
