"""The trash: removal keeps who/when/why and what undoing needs; a restore publishes the document back with its
access rules and its vectors (nothing re-embedded); entries past the retention period are purged."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from support import ingest, write_doc

from assistant.embedding.hashing import HashingEmbedder
from assistant.index.snapshot import IndexSnapshot
from assistant.index.versions import VersionStore
from assistant.settings import Settings
from assistant.types import Vectors
from ingest.pipeline import IngestPipeline
from ingest.trash import NotInTrash, TrashConflict, restore_document

RESTRICTED_META = (
    'id: kl-05-ttt\nnumber: "05/KL-TTT"\ntype: "Kết luận"\nunit: TTT\nvisibility: restricted\n'
    "allowed_units: [TTT]\nallowed_roles: [inspector]\n"
)
RESTRICTED = "THANH TRA TỈNH\nSố: 05/KL-TTT\nKẾT LUẬN\nĐiều 1. Kết luận\nSai phạm tại gói thầu GT-KIWI-55.\n"


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__(256)
        self.embedded: list[str] = []

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.embedded.extend(texts)
        return super().embed_passages(texts)


def current_snapshot(settings: Settings) -> IndexSnapshot:
    current = VersionStore(settings.index_dir).current()
    assert current is not None
    return IndexSnapshot.load(current.path)


@pytest.fixture
def shelf_index(settings: Settings, embedder: HashingEmbedder, shelf: Path) -> Path:
    write_doc(shelf, "kl-05-ttt.txt", RESTRICTED, RESTRICTED_META)
    report = ingest(settings, embedder, shelf)
    assert not report.failed
    return shelf


def test_remove_moves_to_the_trash_and_restore_brings_it_back_without_embedding(
    settings: Settings, shelf_index: Path
) -> None:
    before = current_snapshot(settings)
    pipeline = IngestPipeline(settings, CountingEmbedder(), progress=False)
    report = pipeline.remove(["kl-05-ttt"], actor="quan-tri", reason="xóa nhầm")
    assert report.removed == ["kl-05-ttt"]
    assert "kl-05-ttt" not in current_snapshot(settings).documents
    [entry] = pipeline.trash.entries()
    assert (entry.doc_id, entry.removed_by, entry.reason, entry.from_version) == (
        "kl-05-ttt", "quan-tri", "xóa nhầm", before.version,
    )  # fmt: skip
    assert entry.expires_at - entry.removed_at == dt.timedelta(days=settings.trash_retention_days)
    assert (entry.path / "source" / "kl-05-ttt.txt").read_text(encoding="utf-8") == RESTRICTED

    shutil.rmtree(settings.cache_dir)  # the vectors must come from the trash, not from the embedding cache
    embedder = CountingEmbedder()
    restored, used = restore_document(IngestPipeline(settings, embedder, progress=False), "kl-05-ttt")
    assert used.entry_id == entry.entry_id and not entry.path.exists()
    assert restored.ingested == ["kl-05-ttt"] and restored.embedded == 0
    assert [t for t in embedder.embedded if "GT-KIWI" in t] == []
    after = current_snapshot(settings)
    assert after.version == restored.version != before.version
    doc = after.documents["kl-05-ttt"]
    assert doc == before.documents["kl-05-ttt"]  # visibility, unit, allowed units and roles, source path, hash
    assert (doc.visibility, doc.unit, doc.allowed_units, doc.allowed_roles) == (
        "restricted", "TTT", ("TTT",), ("inspector",),
    )  # fmt: skip
    old_rows = before.chunks.rows_of("kl-05-ttt")
    new_rows = after.chunks.rows_of("kl-05-ttt")
    assert [before.chunks[r] for r in old_rows] == [after.chunks[r] for r in new_rows]
    query = HashingEmbedder(256).embed_queries(["Sai phạm tại gói thầu GT-KIWI-55"])
    hits = after.vectors.search(query, 1)
    row = after.chunks.row_of_iid(hits[0][0])
    assert row is not None and after.chunks.doc_id(row) == "kl-05-ttt"
    assert (settings.sources_dir / doc.source_path).is_file()


def test_restore_refuses_what_is_not_in_the_trash_or_is_indexed_again(
    settings: Settings, embedder: HashingEmbedder, shelf_index: Path
) -> None:
    pipeline = IngestPipeline(settings, embedder, progress=False)
    with pytest.raises(NotInTrash, match="khong-co.*assistant trash list"):
        restore_document(pipeline, "khong-co")
    pipeline.remove(["qd-12-2024"], actor="cli:lan", reason="thử")
    ingest(settings, embedder, shelf_index)  # re-ingested from the shelf
    with pytest.raises(TrashConflict, match="đang có trong chỉ mục"):
        restore_document(IngestPipeline(settings, embedder, progress=False), "qd-12-2024")
    assert [e.doc_id for e in pipeline.trash.entries()] == ["qd-12-2024"]  # kept: nothing was published


def test_restore_takes_the_newest_entry_and_relations_are_resolved_again(
    settings: Settings, embedder: HashingEmbedder, shelf_index: Path
) -> None:
    pipeline = IngestPipeline(settings, embedder, progress=False)
    pipeline.remove(["qd-30-2025"], actor="a", reason="một")
    assert current_snapshot(settings).documents["qd-12-2024"].superseded_by == ()
    restore_document(IngestPipeline(settings, embedder, progress=False), "qd-30-2025")
    assert current_snapshot(settings).documents["qd-12-2024"].superseded_by == ("30/2025/QĐ-UBND",)
    pipeline.remove(["qd-30-2025"], actor="b", reason="hai")
    assert [e.reason for e in pipeline.trash.entries()] == ["hai"]


def test_entries_past_retention_are_purged_by_command_and_at_ingest(
    settings: Settings, embedder: HashingEmbedder, shelf_index: Path, tmp_path: Path
) -> None:
    pipeline = IngestPipeline(settings, embedder, progress=False)
    pipeline.remove(["qd-12-2024", "kh-77-stttt"], actor="a", reason="dọn")
    entries = pipeline.trash.entries()
    assert len(entries) == 2
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.trash_retention_days - 1)
    assert pipeline.trash.purge_expired(now=later) == []
    old = next(e for e in entries if e.doc_id == "kh-77-stttt")
    detail = json.loads((old.path / "entry.json").read_text(encoding="utf-8"))
    detail["removed_at"] = (dt.datetime.now(dt.UTC) - dt.timedelta(days=31)).isoformat()
    (old.path / "entry.json").write_text(json.dumps(detail), encoding="utf-8")
    extra = write_doc(tmp_path / "more", "tb-1.txt", "THÔNG BÁO\nĐiều 1. Họp giao ban sáng thứ Hai hằng tuần.\n")
    ingest(settings, embedder, extra)  # any run that publishes purges on the way
    assert [e.doc_id for e in pipeline.trash.entries()] == ["qd-12-2024"]


def test_trash_vectors_are_the_indexed_ones(settings: Settings, embedder: HashingEmbedder, shelf_index: Path) -> None:
    before = current_snapshot(settings)
    pipeline = IngestPipeline(settings, embedder, progress=False)
    pipeline.remove(["qd-30-2025"])
    [entry] = pipeline.trash.entries()
    kept = pipeline.trash.load(entry, embedder=embedder.name, dim=embedder.dim)
    iids = before.iids[list(before.chunks.rows_of("qd-30-2025"))]
    assert kept.vectors is not None
    assert np.allclose(kept.vectors, before.vectors.reconstruct(iids))  # type: ignore[attr-defined]
    assert pipeline.trash.load(entry, embedder="other", dim=embedder.dim).vectors is None
