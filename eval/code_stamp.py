"""Hashes of the assistant package's own files, so that results kept on disk (the training's candidate lists, an
evaluation's per-question rows) are never reused under code that would compute them differently — including code
that was changed and changed back while they were kept."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import assistant

__all__ = ["package_hash"]


def package_hash(parts: Sequence[str] = ("",), *, root: Path | None = None, pattern: str = "*") -> str:
    """A hash of the files matching ``pattern`` in ``parts`` (folders or files) of ``root`` (default: the
    installed ``assistant`` package; ``""`` is the whole package). Compiled files are left out."""
    root = root or Path(assistant.__file__).resolve().parent
    digest = hashlib.sha256()
    for part in parts:
        base = root / part
        paths = sorted(base.rglob(pattern)) if base.is_dir() else [base]
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\x00" + path.read_bytes())
    return digest.hexdigest()
