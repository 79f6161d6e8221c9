"""One published index version loaded into memory, read-only: catalog, vectors and BM25 (written by IndexWriter)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from assistant.errors import ConfigurationError
from assistant.index.bm25 import Bm25Index
from assistant.index.catalog import Catalog
from assistant.index.chunk_table import ChunkTable
from assistant.index.faiss_index import FaissVectorIndex
from assistant.index.manifest import ACCENTS_FILE, BM25_FILE, CATALOG_FILE, VECTORS_FILE, VERSION_FILE, read_manifest
from assistant.text.accents import AccentTable
from assistant.text.numbers import group_by_number, number_key
from assistant.types import DocumentMeta, LexicalIndex, Passage, Principal, SearchFilters, VectorIndex

logger = logging.getLogger(__name__)
MASKS_KEPT = 64  # row masks kept per snapshot: one per (unit scope, roles, filters) asked recently
K = TypeVar("K")
V = TypeVar("V")


class _Recent(Generic[K, V]):
    """The ``limit`` latest values by key, shared by the request threads; a missing value is made outside the lock
    (two threads may both make it; the values are equal)."""

    def __init__(self, limit: int) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit

    def get(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
        return value


class NumberedDocument(NamedTuple):
    doc_id: str
    rows: list[int]  # the rows the caller may see
    named: bool  # named in the question (else: replaces or amends a named one)


@dataclass
class IndexSnapshot:
    """Documents are held in memory; chunks are read from the catalog as needed (see ChunkTable), so a row's
    vector id is ``chunks.iids[row]`` and its document ``chunks.doc_id(row)``."""

    version: str
    documents: dict[str, DocumentMeta]
    chunks: ChunkTable
    vectors: VectorIndex
    bm25: LexicalIndex
    embedder_name: str
    info: dict[str, object] = field(default_factory=dict)
    accents: AccentTable | None = None  # how the shelf writes its words (None: a version written before it was kept)
    docs_by_number: dict[str, list[str]] = field(init=False)
    _sorted_documents: list[DocumentMeta] = field(init=False, repr=False)
    _doc_index: dict[str, int] = field(init=False, repr=False)
    _row_doc: npt.NDArray[np.int64] = field(init=False, repr=False)
    _masks: _Recent[tuple[object, ...], npt.NDArray[np.bool_]] = field(init=False, repr=False)
    _visible: _Recent[tuple[object, ...], list[DocumentMeta]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.docs_by_number = group_by_number((doc_id, doc.number) for doc_id, doc in sorted(self.documents.items()))
        self._sorted_documents = [doc for _, doc in sorted(self.documents.items())]
        self._doc_index = {doc.doc_id: i for i, doc in enumerate(self._sorted_documents)}
        unknown = len(self._sorted_documents)  # a chunk whose document is missing from the catalog: never allowed
        of_table = np.array([self._doc_index.get(d, unknown) for d in self.chunks.doc_ids], dtype=np.int64)
        self._row_doc = of_table[self.chunks.row_doc] if len(of_table) else np.zeros(0, dtype=np.int64)
        self._masks = _Recent(MASKS_KEPT)
        self._visible = _Recent(MASKS_KEPT)

    @property
    def iids(self) -> npt.NDArray[np.int64]:
        return self.chunks.iids

    @classmethod
    def load(cls, path: Path, *, expected_embedder: str | None = None, ef_search: int = 128) -> IndexSnapshot:
        """Load the version folder ``path``; refuses an index built with another embedder."""
        info = json.loads((path / VERSION_FILE).read_text(encoding="utf-8"))
        catalog = Catalog(path / CATALOG_FILE)
        manifest = read_manifest(catalog)
        if expected_embedder:
            manifest.check_embedder(expected_embedder, index=info["version"])
        snapshot = cls(
            version=info["version"],
            documents={d.doc_id: d for d in catalog.documents()},
            chunks=ChunkTable(path / CATALOG_FILE),
            vectors=FaissVectorIndex.load(
                path / VECTORS_FILE, manifest.vector_kind or "flat", ef_search=ef_search, mapped=True
            ),
            bm25=Bm25Index.load(path / BM25_FILE, mapped=True),
            embedder_name=manifest.embedder,
            info=info,
            accents=AccentTable.load(path / ACCENTS_FILE) if (path / ACCENTS_FILE).is_file() else None,
        )
        if len(snapshot.vectors) != len(snapshot.chunks) or len(snapshot.bm25) != len(snapshot.chunks):
            raise ConfigurationError(
                f"Chỉ mục {info['version']} không nhất quán ({len(snapshot.chunks)} đoạn, "
                f"{len(snapshot.vectors)} vectơ, {len(snapshot.bm25)} dòng BM25); chạy `assistant ingest --rebuild`."
            )
        logger.info(
            "loaded index %s: %d documents, %d chunks", snapshot.version, len(snapshot.documents), len(snapshot.chunks)
        )
        return snapshot

    def view(self, doc: DocumentMeta, principal: Principal) -> DocumentMeta:
        """``doc`` as ``principal`` sees it: "replaced by" / "amended by" name only documents the caller may see,
        so a public decision replaced by an internal one does not reveal the internal one's số hiệu (and its
        validity follows what the caller can check)."""
        if principal.is_admin or not (doc.superseded_by or doc.amended_by):
            return doc

        def visible(numbers: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(
                n
                for n in numbers
                if any(principal.may_see(self.documents[d]) for d in self.docs_by_number.get(number_key(n), []))
            )

        superseded_by, amended_by = visible(doc.superseded_by), visible(doc.amended_by)
        if (superseded_by, amended_by) == (doc.superseded_by, doc.amended_by):
            return doc
        since = doc.superseded_since if superseded_by else None
        return dataclasses.replace(doc, superseded_by=superseded_by, amended_by=amended_by, superseded_since=since)

    def visible_documents(self, principal: Principal, filters: SearchFilters | None = None) -> list[DocumentMeta]:
        """Documents the caller may see (as they see them) and the filters accept, ordered by id."""
        flt = filters or SearchFilters()
        seen = self._seen_by(principal)
        return list(seen) if flt == SearchFilters() else [d for d in seen if flt.accepts(d)]

    def _seen_by(self, principal: Principal) -> list[DocumentMeta]:
        """The documents ``principal`` may see, as they see them: kept per (units, unit scope, roles)."""
        key = (principal.units, principal.unit_scope, principal.roles)
        return self._visible.get(
            key, lambda: [self.view(d, principal) for d in self._sorted_documents if principal.may_see(d)]
        )

    def allowed_mask(self, principal: Principal, filters: SearchFilters | None = None) -> npt.NDArray[np.bool_]:
        """Boolean row mask (read-only) of chunks that may appear in this caller's results.

        What a caller may see depends only on their units, unit scope and roles, so the documents each such scope
        sees, and the mask of each scope and filter set, are kept (the ``MASKS_KEPT`` latest): with a province's
        shelf, walking every document costs more than the search itself. A question that sets its own date ("năm
        2023") only filters the documents its scope sees."""
        flt = filters or SearchFilters()

        def make() -> npt.NDArray[np.bool_]:
            allowed = np.zeros(len(self._sorted_documents) + 1, dtype=bool)
            allowed[[self._doc_index[d.doc_id] for d in self.visible_documents(principal, flt)]] = True
            mask = allowed[self._row_doc]
            mask.setflags(write=False)
            return mask

        return self._masks.get((principal.units, principal.unit_scope, principal.roles, flt), make)

    def row_mask(self, rows: list[int]) -> npt.NDArray[np.bool_]:
        mask = np.zeros(len(self.chunks), dtype=bool)
        mask[rows] = True
        return mask

    def numbered_documents(self, keys: list[str], mask: npt.NDArray[np.bool_]) -> list[NumberedDocument]:
        """Documents whose số hiệu has one of ``keys`` (see assistant.text.numbers), then the documents that
        replace or amend them — naming an old decision also brings up what now applies. Allowed rows only."""
        named = [doc_id for key in keys for doc_id in self.docs_by_number.get(key, [])]
        successors = [
            doc_id
            for named_id in named
            for number in (*self.documents[named_id].superseded_by, *self.documents[named_id].amended_by)
            for doc_id in self.docs_by_number.get(number_key(number), [])
        ]
        found: dict[str, NumberedDocument] = {}
        for doc_id in named + successors:
            rows = [row for row in self.chunks.rows_of(doc_id) if mask[row]]
            if rows and doc_id not in found:
                found[doc_id] = NumberedDocument(doc_id, rows, named=doc_id in named)
        return list(found.values())

    def passage(
        self,
        row: int,
        *,
        score: float,
        rank: int,
        scores: dict[str, float],
        as_of: dt.date | None = None,
        principal: Principal | None = None,
    ) -> Passage:
        chunk = self.chunks[row]
        doc = self.documents[chunk.doc_id]
        doc = self.view(doc, principal) if principal is not None else doc
        return Passage(chunk=chunk, document=doc, score=score, rank=rank, scores=scores, current=doc.is_current(as_of))
