"""Replacing a file: readers see the old one or the new one whole; a failed write changes nothing; what a killed
writer left is swept."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from assistant.files import STALE_PARTIAL_SECONDS, replacing


def test_a_reader_of_the_old_file_keeps_it_whole(tmp_path: Path) -> None:
    target = tmp_path / "bm25.npz"
    target.write_text("old", encoding="utf-8")
    with target.open(encoding="utf-8") as reader:
        with replacing(target, durable=True) as partial:
            partial.write_text("new", encoding="utf-8")
            assert target.read_text(encoding="utf-8") == "old"  # nothing replaced before the block ends
        assert reader.read() == "old"  # a reader that opened the old file still reads it whole
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["bm25.npz"]


def test_a_failed_write_leaves_the_file_and_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "current.json"
    target.parent.mkdir()
    target.write_text("v1", encoding="utf-8")
    with pytest.raises(OSError, match="disk full"), replacing(target) as partial:
        partial.write_text("v2 half", encoding="utf-8")
        raise OSError("disk full")
    assert target.read_text(encoding="utf-8") == "v1" and [p.name for p in target.parent.iterdir()] == ["current.json"]


def test_two_writers_never_share_a_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    with replacing(target) as first, replacing(target) as second:
        assert first != second and first.parent == second.parent == tmp_path
        first.write_text("a", encoding="utf-8")
        second.write_text("b", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "a"  # the outer block ends last


def test_partials_left_by_killed_writers_are_swept_and_a_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "index.bin"
    stale = tmp_path / ".index.bin.4242-deadbeef.partial"  # a writer killed hours ago
    live = tmp_path / ".index.bin.4343-cafebabe.partial"  # another writer, on this machine or another, now
    other = tmp_path / ".other.bin.4242-deadbeef.partial"  # another file's, as old
    for leftover in (stale, live, other):
        leftover.write_bytes(b"half")
    old = time.time() - STALE_PARTIAL_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    with replacing(target) as partial:
        partial.write_bytes(b"whole")
    assert target.read_bytes() == b"whole"
    assert not stale.exists() and not other.exists() and live.exists()
