"""Index versions: the listing, a rollback that publishes an old version again, and garbage collection that keeps
the newest N, waits out the grace period after a version stops being current, and skips while a reader loads."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from assistant.index.holder import SnapshotHolder
from assistant.index.manifest import VERSION_FILE
from assistant.index.versions import UnknownVersion, VersionStore


def publish(store: VersionStore, documents: int) -> str:
    staging = store.begin()
    (staging / "data.txt").write_text(f"{documents} documents", encoding="utf-8")
    return store.publish(staging, {"documents": documents, "chunks": 10 * documents}).version


def age(store: VersionStore, version: str, seconds: float) -> None:
    path = store.index_dir / "versions" / version
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_versions_lists_kept_versions_with_counts_and_the_current_one(tmp_path: Path) -> None:
    store = VersionStore(tmp_path / "index", keep=5)
    assert store.versions() == []
    first, second = publish(store, 1), publish(store, 2)
    listed = store.versions()
    assert [(v.version, v.documents, v.chunks, v.current) for v in listed] == [
        (first, 1, 10, False), (second, 2, 20, True),
    ]  # fmt: skip
    assert all(v.created for v in listed)


def test_rollback_publishes_a_copy_of_the_old_version(tmp_path: Path) -> None:
    store = VersionStore(tmp_path / "index", keep=5)
    first = publish(store, 1)
    publish(store, 2)
    info = store.rollback(first)
    current = store.current()
    assert current is not None and current.version == info.version not in (first,)
    assert (info.path / "data.txt").read_text(encoding="utf-8") == "1 documents"
    recorded = json.loads((info.path / VERSION_FILE).read_text(encoding="utf-8"))
    assert recorded["rolled_back_from"] == first and recorded["documents"] == 1
    assert store.versions()[-1].rolled_back_from == first
    with pytest.raises(UnknownVersion, match="v-khong-co.*assistant index versions"):
        store.rollback("v-khong-co")
    with pytest.raises(UnknownVersion):
        store.rollback("../index")
    with pytest.raises(UnknownVersion, match="đang là phiên bản hiện hành"):
        store.rollback(info.version)
    assert not list(store.index_dir.glob("staging-*"))


def test_gc_keeps_the_newest_n_and_waits_for_the_grace_period(tmp_path: Path) -> None:
    store = VersionStore(tmp_path / "index", keep=2, grace_seconds=600)
    versions = [publish(store, n) for n in range(1, 5)]
    assert [v.version for v in store.versions()] == versions  # all retired just now: inside the grace period
    age(store, versions[0], 601)
    age(store, versions[1], 300)
    assert store.collect_garbage() == [versions[0]]
    assert [v.version for v in store.versions()] == versions[1:]
    assert store.collect_garbage(now=time.time() + 600) == [versions[1]]
    assert [v.version for v in store.versions()] == versions[2:]


def test_gc_after_a_rollback_keeps_the_rolled_back_copy_and_its_predecessor(tmp_path: Path) -> None:
    store = VersionStore(tmp_path / "index", keep=2, grace_seconds=0)
    first, second, third = (publish(store, n) for n in (1, 2, 3))
    assert [v.version for v in store.versions()] == [second, third]
    rolled_back = store.rollback(second).version
    assert [v.version for v in store.versions()] == [third, rolled_back]
    assert store.collect_garbage(now=time.time() + 10**6) == []
    current = store.current()
    assert current is not None and current.version == rolled_back and first not in str(store.versions())


def test_gc_deletes_nothing_while_a_reader_holds_the_index(tmp_path: Path) -> None:
    store = VersionStore(tmp_path / "index", keep=1, grace_seconds=0)
    first = publish(store, 1)
    with store.reading():
        publish(store, 2)  # publishing collects garbage: skipped, a reader is loading
        assert first in [v.version for v in store.versions()]
    assert store.collect_garbage() == [first]


def test_a_loading_server_blocks_collection_until_it_has_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The holder resolves CURRENT.json and loads under the readers' lock: collection waits for no one, so an
    exclusive attempt during the load fails and deletes nothing."""
    store = VersionStore(tmp_path / "index", keep=1, grace_seconds=0)
    publish(store, 1)
    holder = SnapshotHolder(store)
    loading, release = threading.Event(), threading.Event()
    from assistant.index import holder as holder_module

    def slow_load(path: Path, **_: object) -> object:
        loading.set()
        release.wait(5)
        raise RuntimeError("stop here")

    monkeypatch.setattr(holder_module.IndexSnapshot, "load", slow_load)
    worker = threading.Thread(target=lambda: pytest.raises(RuntimeError, holder.refresh))
    worker.start()
    assert loading.wait(5)
    old = store.current()
    publish(store, 2)
    assert old is not None and old.path.is_dir()  # still there: the reader holds the lock
    release.set()
    worker.join(5)
    assert store.collect_garbage() == [old.version]


def test_store_arguments_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="keep must be >= 1"):
        VersionStore(tmp_path, keep=0)
    with pytest.raises(ValueError, match="grace_seconds must be >= 0"):
        VersionStore(tmp_path, grace_seconds=-1)
