"""Applies prepared documents to a staging version: catalog rows, validity relations, vectors and BM25."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assistant.embedding.cache import EmbeddingCache
from assistant.errors import ConfigurationError
from assistant.index.bm25 import Bm25Index
from assistant.index.catalog import Catalog, StoredChunk
from assistant.index.faiss_index import FaissVectorIndex, choose_kind
from assistant.index.snapshot import BM25_FILE, CATALOG_FILE, VECTORS_FILE
from assistant.settings import Settings
from assistant.text.numbers import group_by_number, number_key
from assistant.types import Chunk, DocumentMeta, Embedder, RelationKind
from ingest.report import PreparedDocument

logger = logging.getLogger(__name__)


def embed_text(doc: DocumentMeta, chunk: Chunk) -> str:
    """The text both indexes see: document title and number, then the chunk (which starts with its heading)."""
    title = f"{doc.title} ({doc.number})" if doc.number and doc.number not in doc.title else doc.title
    return f"{title}\n{chunk.text}" if title else chunk.text


def resolve_relations(docs: list[DocumentMeta]) -> list[DocumentMeta]:
    """Fill ``superseded_by`` (replaced/repealed) and ``amended_by`` from every document's relations."""
    by_number = group_by_number((doc.doc_id, doc.number) for doc in docs)
    superseded: dict[str, set[str]] = {}
    amended: dict[str, set[str]] = {}
    since: dict[str, dt.date] = {}
    for doc in docs:
        for relation in doc.relations:
            targets = by_number.get(number_key(relation.target), [])
            bucket = superseded if relation.kind in (RelationKind.REPLACES, RelationKind.REPEALS) else amended
            if relation.kind == RelationKind.GUIDES:
                continue
            for target in targets:
                if target == doc.doc_id:
                    continue
                bucket.setdefault(target, set()).add(doc.number or doc.doc_id)
                start = doc.effective_date or doc.issued_date
                if bucket is superseded and start and (target not in since or start < since[target]):
                    since[target] = start
    return [
        dataclasses.replace(
            doc,
            superseded_by=tuple(sorted(superseded.get(doc.doc_id, ()))),
            amended_by=tuple(sorted(amended.get(doc.doc_id, ()))),
            superseded_since=since.get(doc.doc_id),
        )
        for doc in docs
    ]


@dataclass
class BuildOutcome:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    chunks_added: int = 0
    chunks_total: int = 0
    documents_total: int = 0
    vector_kind: str = "flat"

    def summary(self) -> dict[str, object]:
        return {
            "documents": self.documents_total,
            "chunks": self.chunks_total,
            "vector_index": self.vector_kind,
        }


class IndexBuilder:
    """Edits the version folder ``path`` in place; only ever pointed at a staging copy when writing."""

    def __init__(
        self, path: Path, embedder: Embedder, cache: EmbeddingCache, settings: Settings, *, progress: bool = False
    ) -> None:
        self.path = path
        self.embedder = embedder
        self.cache = cache
        self.settings = settings
        self.catalog = Catalog(path / CATALOG_FILE)
        self.progress = progress

    def check_embedder(self) -> None:
        built_with = self.catalog.get_meta("embedder")
        if built_with and built_with != self.embedder.name:
            raise ConfigurationError(
                f"Chỉ mục hiện tại được tạo bằng bộ nhúng '{built_with}', cấu hình đang dùng '{self.embedder.name}'. "
                "Chạy lại với `assistant ingest --rebuild PATH…` để tạo lại toàn bộ chỉ mục."
            )

    def count_chunks(self) -> int:
        return len(self.catalog.chunks())

    def apply(self, prepared: list[PreparedDocument], removals: list[str]) -> BuildOutcome:
        outcome = BuildOutcome()
        with self.catalog.connect() as conn:
            existing = set(self.catalog.document_hashes())
            replaced = [p.meta.doc_id for p in prepared if p.meta.doc_id in existing]
            outcome.replaced = replaced
            outcome.added = [p.meta.doc_id for p in prepared if p.meta.doc_id not in existing]
            gone = replaced + list(removals)
            old_iids = self.catalog.chunk_iids(conn, gone)
            self.catalog.delete_documents(conn, gone)
            new_items: list[tuple[Chunk, str]] = []
            for item in prepared:
                self.catalog.put_document(conn, item.meta)
                new_items.extend((chunk, embed_text(item.meta, chunk)) for chunk in item.chunks)
            new_iids = self.catalog.add_chunks(conn, new_items)
            self.catalog.set_meta(conn, "embedder", self.embedder.name)
            self.catalog.set_meta(conn, "dim", str(self.embedder.dim))
        self._update_relations()
        stored = self.catalog.chunks()
        outcome.chunks_added = len(new_items)
        outcome.chunks_total = len(stored)
        outcome.documents_total = len(self.catalog.document_hashes())
        outcome.vector_kind = self._update_vectors(
            np.array(old_iids, dtype=np.int64), np.array(new_iids, dtype=np.int64), [t for _, t in new_items], stored
        )
        public = {d.doc_id for d in self.catalog.documents() if d.visibility == "public"}
        bm25 = Bm25Index()
        bm25.build([s.embed_text for s in stored], counted=[s.chunk.doc_id in public for s in stored])
        bm25.save(self.path / BM25_FILE)
        return outcome

    def _update_relations(self) -> None:
        docs = self.catalog.documents()
        resolved = resolve_relations(docs)
        with self.catalog.connect() as conn:
            for before, after in zip(docs, resolved, strict=True):
                if before != after:
                    self.catalog.put_document(conn, after)

    def _update_vectors(
        self,
        old_iids: npt.NDArray[np.int64],
        new_iids: npt.NDArray[np.int64],
        new_texts: list[str],
        stored: list[StoredChunk],
    ) -> str:
        kind = choose_kind(self.settings.vector_index, len(stored), self.settings.hnsw_threshold)
        path = self.path / VECTORS_FILE
        previous = self.catalog.get_meta("vector_kind")
        new_vectors = self.cache.embed_passages(self.embedder, new_texts, progress=self.progress)
        if path.exists() and previous == kind == "flat":
            index = FaissVectorIndex.load(path, "flat")
            index.remove(old_iids)
            index.add(new_iids, new_vectors)
        else:
            index = FaissVectorIndex(
                self.embedder.dim, kind, hnsw_m=self.settings.hnsw_m, ef_search=self.settings.hnsw_ef_search
            )
            all_vectors = self.cache.embed_passages(self.embedder, [s.embed_text for s in stored])
            index.add(np.array([s.iid for s in stored], dtype=np.int64), all_vectors)
        index.save(path)
        with self.catalog.connect() as conn:
            self.catalog.set_meta(conn, "vector_kind", kind)
        logger.info("vector index: %s, %d vectors", kind, len(index))
        return kind
