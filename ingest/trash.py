"""The trash: a removed document is kept here — metadata, chunks, their vectors and the stored source — so an admin
can put it back, access rules intact and without re-embedding, until the retention period passes.

Layout under ``<data_dir>/trash``::

    <entry_id>/entry.json      who removed it, when, why, from which index version, the embedder of the vectors
    <entry_id>/document.json   the DocumentMeta as the catalog held it (visibility, unit, allowed units/roles …)
    <entry_id>/chunks.jsonl    its chunks, in order
    <entry_id>/vectors.npy     their vectors, read back from the version's FAISS index
    <entry_id>/source/<name>   a copy of the stored source file (the original upload)

A restore seeds the embedding cache with the kept vectors and writes the document back through the IndexWriter, so
the embedder is not called; vectors made by another embedder than the current one are ignored (then re-embedded).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.embedding.cache import EmbeddingCache, text_key
from assistant.errors import AssistantError, DocumentNotFound, InvalidRequest
from assistant.index.catalog import Catalog
from assistant.index.faiss_index import FaissVectorIndex
from assistant.index.manifest import CATALOG_FILE, VECTORS_FILE, read_manifest
from assistant.index.serialize import chunk_from_json, chunk_to_json, document_from_json, document_to_json
from assistant.index.writer import IndexWriter, embed_text
from assistant.text.normalize import slugify
from assistant.types import Chunk, DocumentMeta
from ingest.publish import apply_documents
from ingest.report import IngestReport, PreparedDocument

if TYPE_CHECKING:
    from ingest.pipeline import IngestPipeline

logger = logging.getLogger(__name__)

ENTRY_FILE = "entry.json"


class NotInTrash(DocumentNotFound):
    """No trash entry for this document (never removed, restored already, or purged after the retention period)."""

    def __init__(self, doc_id: str) -> None:
        AssistantError.__init__(
            self,
            f"Không có văn bản '{doc_id[:128]}' trong thùng rác (chưa từng bị xóa, đã được khôi phục, hoặc đã quá hạn "
            "lưu giữ). Xem danh sách bằng `assistant trash list` hoặc GET /v1/trash.",
        )
        self.doc_id = doc_id


class TrashConflict(InvalidRequest):
    """The document to restore is in the index again (re-uploaded or brought back by a rollback)."""


@dataclass(frozen=True)
class TrashEntry:
    entry_id: str
    doc_id: str
    title: str
    number: str
    unit: str
    visibility: str
    removed_by: str
    removed_at: dt.datetime
    reason: str
    from_version: str
    chunks: int
    expires_at: dt.datetime
    path: Path

    def as_dict(self) -> dict[str, object]:
        return {
            "entry_id": self.entry_id, "doc_id": self.doc_id, "title": self.title, "number": self.number,
            "unit": self.unit, "visibility": self.visibility, "removed_by": self.removed_by,
            "removed_at": self.removed_at.isoformat(), "reason": self.reason, "from_version": self.from_version,
            "chunks": self.chunks, "expires_at": self.expires_at.isoformat(),
        }  # fmt: skip


@dataclass(frozen=True)
class TrashedDocument:
    """What a restore needs: the metadata, the chunks, and their vectors when they fit the current embedder."""

    meta: DocumentMeta
    chunks: tuple[Chunk, ...]
    vectors: np.ndarray | None
    source: Path | None


class TrashBin:
    """Cheap to construct; every method reads or writes the folder ``root``."""

    def __init__(self, root: Path, retention_days: int) -> None:
        if retention_days < 1:
            raise ValueError(f"retention_days must be >= 1, got {retention_days}")
        self.root = root
        self.retention = dt.timedelta(days=retention_days)

    def put(
        self, version_path: Path, doc_ids: Sequence[str], *, sources_dir: Path, actor: str, reason: str,
        now: dt.datetime | None = None,
    ) -> list[TrashEntry]:  # fmt: skip
        """Keep ``doc_ids`` as they are in the version folder ``version_path`` (call before removing them)."""
        when = now or dt.datetime.now(dt.UTC)
        catalog = Catalog(version_path / CATALOG_FILE)
        manifest = read_manifest(catalog)
        documents = {d.doc_id: d for d in catalog.documents()}
        stored = [s for s in catalog.chunks() if s.chunk.doc_id in set(doc_ids)]
        index = FaissVectorIndex.load(version_path / VECTORS_FILE, manifest.vector_kind or "flat")
        version = json.loads((version_path / "version.json").read_text(encoding="utf-8")).get("version", "")
        entries = []
        for doc_id in doc_ids:
            meta = documents[doc_id]
            chunks = [s for s in stored if s.chunk.doc_id == doc_id]
            folder = self.root / f"{when:%Y%m%dT%H%M%S%f}-{slugify(doc_id)[:48] or 'doc'}-{secrets.token_hex(2)}"
            staging = folder.with_name(f".{folder.name}.tmp")
            staging.mkdir(parents=True)
            (staging / "document.json").write_text(document_to_json(meta), encoding="utf-8")
            with (staging / "chunks.jsonl").open("w", encoding="utf-8") as out:
                for s in chunks:
                    out.write(chunk_to_json(s.chunk) + "\n")
            if chunks:
                np.save(staging / "vectors.npy", index.reconstruct(np.array([s.iid for s in chunks], dtype=np.int64)))
            source = sources_dir / meta.source_path if meta.source_path else None
            if source is not None and source.is_file():
                (staging / "source").mkdir()
                shutil.copyfile(source, staging / "source" / source.name)
            detail = {
                "doc_id": doc_id, "removed_by": actor, "removed_at": when.isoformat(), "reason": reason,
                "from_version": version, "embedder": manifest.embedder, "dim": manifest.dim, "chunks": len(chunks),
            }  # fmt: skip
            (staging / ENTRY_FILE).write_text(json.dumps(detail, ensure_ascii=False, indent=2), encoding="utf-8")
            staging.rename(folder)
            entries.append(self._entry(folder))
        return entries

    def entries(self) -> list[TrashEntry]:
        """Every entry, newest first."""
        if not self.root.is_dir():
            return []
        found = []
        for folder in self.root.iterdir():
            if folder.is_dir() and not folder.name.startswith(".") and (folder / ENTRY_FILE).is_file():
                found.append(self._entry(folder))
        return sorted(found, key=lambda e: (e.removed_at, e.entry_id), reverse=True)

    def latest(self, doc_id: str) -> TrashEntry:
        """The newest entry of ``doc_id``; NotInTrash when there is none."""
        for entry in self.entries():
            if entry.doc_id == doc_id:
                return entry
        raise NotInTrash(doc_id)

    def load(self, entry: TrashEntry, *, embedder: str, dim: int) -> TrashedDocument:
        detail = json.loads((entry.path / ENTRY_FILE).read_text(encoding="utf-8"))
        meta = document_from_json((entry.path / "document.json").read_text(encoding="utf-8"))
        lines = (entry.path / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
        chunks = tuple(chunk_from_json(line) for line in lines if line.strip())
        vectors = None
        if chunks and detail.get("embedder") == embedder and int(detail.get("dim", 0)) == dim:
            vectors = np.load(entry.path / "vectors.npy", allow_pickle=False)
        sources = sorted((entry.path / "source").glob("*")) if (entry.path / "source").is_dir() else []
        return TrashedDocument(meta=meta, chunks=chunks, vectors=vectors, source=sources[0] if sources else None)

    def discard(self, entry: TrashEntry) -> None:
        shutil.rmtree(entry.path, ignore_errors=True)

    def purge_expired(self, *, now: dt.datetime | None = None) -> list[TrashEntry]:
        """Delete entries past the retention period; returns them."""
        when = now or dt.datetime.now(dt.UTC)
        expired = [e for e in self.entries() if e.expires_at <= when]
        for entry in expired:
            self.discard(entry)
            logger.info("purged %s from the trash (removed %s)", entry.doc_id, entry.removed_at.isoformat())
        return expired

    def _entry(self, folder: Path) -> TrashEntry:
        detail = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
        meta = document_from_json((folder / "document.json").read_text(encoding="utf-8"))
        removed_at = dt.datetime.fromisoformat(detail["removed_at"])
        return TrashEntry(
            entry_id=folder.name, doc_id=meta.doc_id, title=meta.title, number=meta.number, unit=meta.unit,
            visibility=meta.visibility, removed_by=str(detail.get("removed_by", "")), removed_at=removed_at,
            reason=str(detail.get("reason", "")), from_version=str(detail.get("from_version", "")),
            chunks=int(detail.get("chunks", 0)), expires_at=removed_at + self.retention, path=folder,
        )  # fmt: skip


def seed_cache(cache: EmbeddingCache, trashed: TrashedDocument) -> int:
    """Put the kept vectors into the embedding cache under the texts the IndexWriter will ask for; returns how many."""
    if trashed.vectors is None or len(trashed.vectors) != len(trashed.chunks):
        return 0
    items = {text_key(embed_text(trashed.meta, c)): v for c, v in zip(trashed.chunks, trashed.vectors, strict=True)}
    cache.put_many(items)
    return len(items)


def restore_source(trashed: TrashedDocument, sources_dir: Path) -> None:
    """Put the stored source back where the metadata points when it is missing there."""
    if trashed.source is None or not trashed.meta.source_path:
        return
    target = sources_dir / trashed.meta.source_path
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(trashed.source, target)


def restore_document(pipeline: IngestPipeline, doc_id: str) -> tuple[IngestReport, TrashEntry]:
    """Publish a new version with the newest trash entry of ``doc_id`` back in the index (its kept vectors seed the
    embedding cache, so nothing is re-embedded when the embedder is unchanged), then drop the entry."""
    started = time.perf_counter()
    store, trash = pipeline.store, pipeline.trash
    with store.lock():
        entry = trash.latest(doc_id)
        current = store.current()
        if current is not None and doc_id in Catalog(current.path / CATALOG_FILE).document_hashes():
            raise TrashConflict(
                f"Văn bản '{doc_id}' đang có trong chỉ mục (đã được nạp lại hoặc quay lại phiên bản cũ); không khôi "
                "phục đè lên. Xóa bản đang có trước nếu muốn dùng bản trong thùng rác."
            )
        trashed = trash.load(entry, embedder=pipeline.embedder.name, dim=pipeline.embedder.dim)
        restore_source(trashed, pipeline.settings.sources_dir)
        seed_cache(pipeline.cache, trashed)
        hits, misses = pipeline.cache.hits, pipeline.cache.misses
        staging = store.begin()
        try:
            writer = IndexWriter(staging, pipeline.embedder, pipeline.cache, pipeline.settings)
            outcome = apply_documents(writer, [PreparedDocument(trashed.meta, trashed.chunks, None)], [])
            info = store.publish(staging, outcome.summary())
        except BaseException:
            store.discard(staging)
            raise
        trash.discard(entry)
    report = IngestReport(
        ingested=[doc_id], chunks_added=outcome.chunks_added, chunks_total=outcome.chunks_total,
        documents_total=outcome.documents_total, embedded=pipeline.cache.misses - misses,
        cache_hits=pipeline.cache.hits - hits, seconds=time.perf_counter() - started, version=info.version,
    )  # fmt: skip
    return report, entry
