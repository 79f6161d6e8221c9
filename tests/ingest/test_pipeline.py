"""End-to-end ingest: incremental updates, removal, bad input in a batch, and crashes that must lose nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest
from support import DECREE, ingest, write_doc

from assistant.embedding.hashing import HashingEmbedder
from assistant.errors import ConfigurationError
from assistant.index.bm25 import Bm25Index
from assistant.index.catalog import Catalog
from assistant.index.manifest import ACCENTS_FILE, read_manifest
from assistant.index.snapshot import IndexSnapshot
from assistant.index.versions import VersionStore
from assistant.service import AssistantService
from assistant.settings import Settings
from assistant.types import ANONYMOUS, Vectors
from ingest.pipeline import IngestPipeline


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__(256)
        self.embedded: list[str] = []

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.embedded.extend(texts)
        return super().embed_passages(texts)


def snapshot(settings: Settings) -> IndexSnapshot:
    current = VersionStore(settings.index_dir).current()
    assert current is not None
    return IndexSnapshot.load(current.path)


def test_ingest_publishes_a_consistent_version(settings: Settings, embedder: HashingEmbedder, shelf: Path) -> None:
    report = ingest(settings, embedder, shelf)
    assert sorted(report.ingested) == ["kh-77-stttt", "qd-12-2024", "qd-30-2025"]
    assert report.failed == [] and report.version
    snap = snapshot(settings)
    assert len(snap.chunks) == len(snap.vectors) == len(snap.bm25) == report.chunks_total
    assert None not in {snap.chunks.row_of_chunk_id(c) for c in ("qd-30-2025:dieu-2", "qd-30-2025:dieu-3")}
    old = snap.documents["qd-12-2024"]
    assert old.superseded_by == ("30/2025/QĐ-UBND",) and not old.is_current()
    assert snap.documents["qd-30-2025"].is_current()
    assert (
        (settings.sources_dir / snap.documents["qd-30-2025"].source_path)
        .read_text(encoding="utf-8")
        .startswith("ỦY BAN")
    )


def test_unchanged_documents_are_skipped_without_a_new_version(settings: Settings, shelf: Path) -> None:
    embedder = CountingEmbedder()
    first = ingest(settings, embedder, shelf)
    embedded = len(embedder.embedded)
    second = ingest(settings, embedder, shelf)
    assert len(second.skipped) == 3 and second.ingested == [] and second.version == first.version
    assert len(embedder.embedded) == embedded


def test_a_version_without_the_accent_table_gets_one_at_the_next_run(settings: Settings, shelf: Path) -> None:
    """An index written before versions kept their accent table: the next ingest, even with nothing changed,
    publishes a version that has one, embedding nothing again and keeping every document."""
    embedder = CountingEmbedder()
    first = ingest(settings, embedder, shelf)
    embedded = len(embedder.embedded)
    old = settings.index_dir / "versions" / first.version
    (old / ACCENTS_FILE).unlink()
    second = ingest(settings, embedder, shelf)
    assert second.version != first.version and second.ingested == [] and len(embedder.embedded) == embedded
    new = IndexSnapshot.load(settings.index_dir / "versions" / second.version)
    assert new.accents is not None and len(new.documents) == 3 and len(new.chunks) == second.chunks_total
    third = ingest(settings, embedder, shelf)
    assert third.version == second.version  # complete now: nothing to publish


def test_changed_document_replaces_its_chunks_in_both_indexes(settings: Settings, shelf: Path) -> None:
    embedder = CountingEmbedder()
    ingest(settings, embedder, shelf)
    before = len(embedder.embedded)
    path = shelf / "qd-30-2025.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("2 giờ", "90 phút"), encoding="utf-8")
    report = ingest(settings, embedder, shelf)
    assert report.replaced == ["qd-30-2025"] and len(report.skipped) == 2
    # Only the changed article (and the document's header chunk, whose title is embedded) is embedded again.
    assert 1 <= len(embedder.embedded) - before < report.chunks_added
    snap = snapshot(settings)
    row = snap.chunks.row_of_chunk_id("qd-30-2025:dieu-2")
    assert row is not None
    text = snap.chunks[row].text
    assert "90 phút" in text and "2 giờ" not in text
    assert len(snap.vectors) == len(snap.chunks) == len(snap.bm25)
    lexical = [snap.chunks[row].chunk_id for row, _ in snap.bm25.search("90 phút", 5)]
    assert lexical[0] == "qd-30-2025:dieu-2"


def test_a_shelf_past_the_compact_threshold_is_quantized_and_edited_in_place(settings: Settings, shelf: Path) -> None:
    compact = settings.model_copy(update={"compact_threshold": 5})
    embedder = CountingEmbedder()
    first = ingest(compact, embedder, shelf)
    current = VersionStore(compact.index_dir).current()
    assert first.chunks_total >= 5 and current is not None
    assert read_manifest(Catalog(current.path / "catalog.sqlite")).vector_kind == "sq8"
    before = len(embedder.embedded)
    path = shelf / "qd-30-2025.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("2 giờ", "90 phút"), encoding="utf-8")
    report = ingest(compact, embedder, shelf)
    assert len(embedder.embedded) - before < report.chunks_added + 2  # only the changed chunks: no full rebuild
    snap = snapshot(compact)
    assert snap.vectors.kind == "sq8" and len(snap.vectors) == len(snap.chunks)  # type: ignore[attr-defined]
    service = AssistantService(compact, embedder=embedder)
    service.load()
    hits = service.search("xử lý sự cố trong 90 phút", principal=ANONYMOUS).passages
    assert hits and hits[0].chunk.chunk_id == "qd-30-2025:dieu-2"


def test_remove_deletes_from_both_indexes(settings: Settings, embedder: HashingEmbedder, shelf: Path) -> None:
    ingest(settings, embedder, shelf)
    report = IngestPipeline(settings, embedder, progress=False).remove(["kh-77-stttt", "no-such-doc"])
    assert report.removed == ["kh-77-stttt"]
    assert [f.path for f in report.failed] == ["no-such-doc"]
    snap = snapshot(settings)
    assert "kh-77-stttt" not in snap.documents
    assert all(c.doc_id != "kh-77-stttt" for c in snap.chunks)
    assert len(snap.vectors) == len(snap.chunks)
    assert not any(snap.chunks[r].doc_id == "kh-77-stttt" for r, _ in snap.bm25.search("SAO-BANG-09", 10))


def test_bad_files_are_reported_and_the_batch_goes_on(
    settings: Settings, embedder: HashingEmbedder, shelf: Path, tmp_path: Path
) -> None:
    ingest(settings, embedder, shelf)
    batch = tmp_path / "batch"
    write_doc(batch, "empty.txt", "")
    (batch / "virus.pdf").write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    (batch / "latin.txt").write_bytes(unicodedata.normalize("NFD", "Quyết định").encode("cp1258", "replace"))
    write_doc(batch, "bad-meta.txt", DECREE, "issued: 2024-02-31\n")
    write_doc(batch, "good.txt", DECREE.replace("12/2024/QĐ-UBND", "99/2024/QĐ-UBND"), "id: good\n")
    report = ingest(settings, embedder, batch)
    failed = {Path(f.path).name: f.reason for f in report.failed}
    assert set(failed) == {"empty.txt", "virus.pdf", "latin.txt", "bad-meta.txt"}
    assert "issued" in failed["bad-meta.txt"]
    assert report.ingested == ["good"]
    assert {"qd-12-2024", "qd-30-2025", "kh-77-stttt", "good"} == set(snapshot(settings).documents)


def test_crash_before_publish_keeps_the_previous_version(
    settings: Settings, embedder: HashingEmbedder, shelf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ingest(settings, embedder, shelf)
    write_doc(tmp_path / "more", "new.txt", DECREE.replace("12/2024", "55/2024"), "id: new-doc\n")

    def boom(self: Bm25Index, path: Path) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Bm25Index, "save", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest(settings, embedder, tmp_path / "more")
    store = VersionStore(settings.index_dir)
    assert store.current() is not None and store.current().version == first.version  # type: ignore[union-attr]
    assert "new-doc" not in snapshot(settings).documents
    assert not list(settings.index_dir.glob("staging-*"))
    monkeypatch.undo()
    assert ingest(settings, embedder, tmp_path / "more").ingested == ["new-doc"]


CRASH_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from assistant.embedding.hashing import HashingEmbedder
    from assistant.settings import Settings
    from ingest.pipeline import IngestPipeline

    class SlowEmbedder(HashingEmbedder):
        def embed_passages(self, texts):
            Path(sys.argv[2]).write_text("embedding")
            time.sleep(60)
            return super().embed_passages(texts)

    settings = Settings(_env_file=None, data_dir=Path(sys.argv[1]), embedder="hashing")
    IngestPipeline(settings, SlowEmbedder(256), progress=False).ingest_paths([Path(sys.argv[3])])
    """
)


def test_process_killed_mid_ingest_leaves_the_old_version_serving(
    settings: Settings, embedder: HashingEmbedder, shelf: Path, tmp_path: Path
) -> None:
    first = ingest(settings, embedder, shelf)
    write_doc(tmp_path / "more", "new.txt", DECREE.replace("12/2024", "56/2024"), "id: killed-doc\n")
    marker = tmp_path / "marker"
    script = tmp_path / "crash.py"
    script.write_text(CRASH_SCRIPT, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(settings.data_dir), str(marker), str(tmp_path / "more")],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the ingest process ended before embedding"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert list(settings.index_dir.glob("staging-*")), "the kill must land mid-build"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    current = VersionStore(settings.index_dir).current()
    assert current is not None and current.version == first.version
    snap = snapshot(settings)
    assert "killed-doc" not in snap.documents
    assert snap.visible_documents(ANONYMOUS)
    report = ingest(settings, embedder, tmp_path / "more")  # the stale staging folder is cleared
    assert report.ingested == ["killed-doc"]
    assert not list(settings.index_dir.glob("staging-*"))


def test_index_built_with_another_embedder_needs_a_rebuild(
    settings: Settings, embedder: HashingEmbedder, shelf: Path
) -> None:
    ingest(settings, embedder, shelf)
    other = HashingEmbedder(128)
    with pytest.raises(ConfigurationError, match="--rebuild"):
        ingest(settings, other, shelf)
    report = IngestPipeline(settings, other, progress=False).ingest_paths([shelf], rebuild=True)
    assert len(report.ingested) == 3
    assert snapshot(settings).vectors.dim == 128


def test_replaced_document_is_current_before_its_replacement_took_effect(
    settings: Settings, embedder: HashingEmbedder, shelf: Path
) -> None:
    import datetime as dt

    ingest(settings, embedder, shelf)
    old = snapshot(settings).documents["qd-12-2024"]
    assert old.superseded_since == dt.date(2025, 6, 1)  # the replacing decision's date
    assert old.is_current(dt.date(2025, 5, 31)) and not old.is_current(dt.date(2025, 6, 1))
    assert not old.is_current()  # today: replaced
    assert not old.is_current(dt.date(2024, 3, 1))  # before it was issued
