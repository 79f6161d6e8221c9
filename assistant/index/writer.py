"""Writes one index version folder: catalog rows, the manifest, FAISS vectors, BM25 and the accent table (read by
IndexSnapshot)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assistant.embedding.cache import EmbeddingCache
from assistant.index.bm25 import Bm25Index
from assistant.index.catalog import Catalog, StoredChunk
from assistant.index.faiss_index import FaissVectorIndex, IndexKind, choose_kind
from assistant.index.manifest import (
    ACCENTS_FILE,
    BM25_FILE,
    CATALOG_FILE,
    VECTORS_FILE,
    Manifest,
    read_manifest,
    write_manifest,
)
from assistant.settings import Settings
from assistant.text.accents import QUESTION_PHRASES, AccentTable
from assistant.text.followup import GENERIC_PHRASES
from assistant.types import Chunk, DocumentMeta, Embedder, LexicalIndex, VectorIndex

logger = logging.getLogger(__name__)


def embed_text(doc: DocumentMeta, chunk: Chunk) -> str:
    """The text both indexes see: document title and number, then the chunk (which starts with its heading)."""
    title = f"{doc.title} ({doc.number})" if doc.number and doc.number not in doc.title else doc.title
    return f"{title}\n{chunk.text}" if title else chunk.text


@dataclass
class WriteOutcome:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    chunks_added: int = 0
    chunks_total: int = 0
    documents_total: int = 0
    vector_kind: IndexKind = "flat"

    def summary(self) -> dict[str, object]:
        """What ``version.json`` records about the published version."""
        return {"documents": self.documents_total, "chunks": self.chunks_total, "vector_index": self.vector_kind}


class IndexWriter:
    """Edits the version folder ``path`` in place; only ever pointed at a staging copy (see VersionStore.begin)."""

    def __init__(
        self, path: Path, embedder: Embedder, cache: EmbeddingCache, settings: Settings, *, progress: bool = False
    ) -> None:
        self.path = path
        self.embedder = embedder
        self.cache = cache
        self.settings = settings
        self.catalog = Catalog(path / CATALOG_FILE)
        self.progress = progress

    def manifest(self) -> Manifest:
        return read_manifest(self.catalog)

    def check_embedder(self) -> None:
        """ConfigurationError when the folder was built with another embedder (a rebuild is needed)."""
        self.manifest().check_embedder(self.embedder.name, index=str(self.path.parent))

    def documents(self) -> list[DocumentMeta]:
        return self.catalog.documents()

    def write(self, documents: Sequence[tuple[DocumentMeta, Sequence[Chunk]]], removals: Sequence[str]) -> WriteOutcome:
        """Add or replace ``documents`` (each with all its chunks), delete ``removals``, and bring the vectors,
        BM25 and the manifest up to date. Unchanged chunks keep their vectors; new ones are embedded (cached)."""
        self.check_embedder()
        previous = self.manifest()
        outcome = WriteOutcome()
        with self.catalog.connect() as conn:
            existing = set(self.catalog.document_hashes())
            outcome.replaced = [doc.doc_id for doc, _ in documents if doc.doc_id in existing]
            outcome.added = [doc.doc_id for doc, _ in documents if doc.doc_id not in existing]
            gone = outcome.replaced + list(removals)
            old_iids = self.catalog.chunk_iids(conn, gone)
            self.catalog.delete_documents(conn, gone)
            new_items: list[tuple[Chunk, str]] = []
            for doc, chunks in documents:
                self.catalog.put_document(conn, doc)
                new_items.extend((chunk, embed_text(doc, chunk)) for chunk in chunks)
            new_iids = self.catalog.add_chunks(conn, new_items)
        stored = self.catalog.chunks()
        kind = self._write_vectors(
            previous,
            np.array(old_iids, dtype=np.int64),
            np.array(new_iids, dtype=np.int64),
            [text for _, text in new_items],
            stored,
        )
        public = self._public_documents()
        self._write_bm25(stored, public)
        self._write_accents(stored, public)
        write_manifest(self.catalog, Manifest(embedder=self.embedder.name, dim=self.embedder.dim, vector_kind=kind))
        outcome.chunks_added = len(new_items)
        outcome.chunks_total = len(stored)
        outcome.documents_total = len(self.catalog.document_hashes())
        outcome.vector_kind = kind
        return outcome

    def update_documents(self, documents: Sequence[DocumentMeta]) -> None:
        """Rewrite the metadata of documents already in the folder (their chunks and vectors are kept)."""
        with self.catalog.connect() as conn:
            for doc in documents:
                self.catalog.put_document(conn, doc)
        # a document made restricted no longer lends its words
        self._write_accents(self.catalog.chunks(), self._public_documents())

    def _write_vectors(
        self,
        previous: Manifest,
        old_iids: npt.NDArray[np.int64],
        new_iids: npt.NDArray[np.int64],
        new_texts: list[str],
        stored: list[StoredChunk],
    ) -> IndexKind:
        kind = choose_kind(self.settings.vector_index, len(stored), self.settings.compact_threshold)
        path = self.path / VECTORS_FILE
        new_vectors = self.cache.embed_passages(self.embedder, new_texts, progress=self.progress)
        index: VectorIndex
        if path.exists() and previous.vector_kind == kind and kind != "hnsw":  # edited in place
            index = FaissVectorIndex.load(path, kind)
            index.remove(old_iids)
            index.add(new_iids, new_vectors)
        else:
            index = FaissVectorIndex(
                self.embedder.dim, kind, hnsw_m=self.settings.hnsw_m, ef_search=self.settings.hnsw_ef_search
            )
            all_vectors = self.cache.embed_passages(self.embedder, [s.embed_text for s in stored])
            index.add(np.array([s.iid for s in stored], dtype=np.int64), all_vectors)
        index.save(path)
        logger.info("vector index: %s, %d vectors", kind, len(index))
        return kind

    def _public_documents(self) -> dict[str, DocumentMeta]:
        return {d.doc_id: d for d in self.catalog.documents() if d.visibility == "public"}

    def _write_accents(self, stored: list[StoredChunk], public: dict[str, DocumentMeta]) -> None:
        """How the ``public`` documents write their words, for questions typed without accents (a restricted
        document's wording must not show through a restored question)."""
        titles = [d.title for d in public.values()]
        texts = [*titles, *(s.chunk.text for s in stored if s.chunk.doc_id in public)]
        AccentTable.build(texts, (*GENERIC_PHRASES, *QUESTION_PHRASES)).save(self.path / ACCENTS_FILE)

    def _write_bm25(self, stored: list[StoredChunk], public: dict[str, DocumentMeta]) -> None:
        """BM25 over every chunk, its collection statistics from ``public`` documents only (see Bm25Index.build)."""
        bm25: LexicalIndex = Bm25Index()
        bm25.build([s.embed_text for s in stored], counted=[s.chunk.doc_id in public for s in stored])
        bm25.save(self.path / BM25_FILE)
