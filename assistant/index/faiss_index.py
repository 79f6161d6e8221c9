"""FAISS inner-product index with int64 id mapping: exact (flat) by default, HNSW for large corpora."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

import faiss
import numpy as np
import numpy.typing as npt

from assistant.types import Vectors

logger = logging.getLogger(__name__)
_faiss: Any = faiss  # the bundled stubs lack the search-parameter classes

IndexKind = Literal["flat", "hnsw"]


def choose_kind(requested: str, size: int, hnsw_threshold: int) -> IndexKind:
    """``auto`` means exact search below ``hnsw_threshold`` vectors and HNSW above."""
    if requested == "auto":
        return "hnsw" if size >= hnsw_threshold else "flat"
    if requested not in ("flat", "hnsw"):
        raise ValueError(f"vector index must be auto, flat or hnsw, got {requested!r}")
    return "flat" if requested == "flat" else "hnsw"


class FaissVectorIndex:
    """Vectors keyed by chunk ids; search can be restricted to an allowed id set (applied inside FAISS)."""

    def __init__(self, dim: int, kind: IndexKind = "flat", *, hnsw_m: int = 32, ef_search: int = 128) -> None:
        if dim <= 0:
            raise ValueError(f"dim must be > 0, got {dim}")
        self.dim = dim
        self.kind = kind
        self._ef_search = ef_search
        if kind == "flat":
            base: Any = faiss.IndexFlatIP(dim)
        else:
            base = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            base.hnsw.efConstruction = max(40, 2 * hnsw_m)
        self._index: Any = faiss.IndexIDMap2(base)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def supports_remove(self) -> bool:
        return self.kind == "flat"

    def add(self, ids: npt.NDArray[np.int64], vectors: Vectors) -> None:
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        if len(ids) == 0:
            return
        if vectors.shape[1] != self.dim:
            raise ValueError(f"vectors have dim {vectors.shape[1]}, index expects {self.dim}")
        self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))

    def remove(self, ids: npt.NDArray[np.int64]) -> None:
        if len(ids) == 0:
            return
        if not self.supports_remove:
            raise NotImplementedError("HNSW indexes are rebuilt instead of edited")
        self._index.remove_ids(np.asarray(ids, dtype=np.int64))

    def reconstruct(self, ids: npt.NDArray[np.int64]) -> Vectors:
        """The stored vectors of ``ids`` (used to rebuild an index of another kind)."""
        return np.vstack([self._index.reconstruct(int(i)) for i in ids]).astype(np.float32)

    def ids(self) -> npt.NDArray[np.int64]:
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def search(self, query: Vectors, k: int, allowed: npt.NDArray[np.int64] | None = None) -> list[tuple[int, float]]:
        """Top ``k`` (id, inner product) for one query vector; only ids in ``allowed`` when given."""
        if k <= 0:
            raise ValueError(f"k must be > 0, got {k}")
        if len(self) == 0 or (allowed is not None and len(allowed) == 0):
            return []
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params: Any = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
            if self.kind == "hnsw":
                params = _faiss.SearchParametersHNSW(sel=selector, efSearch=max(self._ef_search, k))
            else:
                params = _faiss.SearchParameters(sel=selector)
        elif self.kind == "hnsw":
            params = _faiss.SearchParametersHNSW(efSearch=max(self._ef_search, k))
        scores, ids = self._index.search(q, min(k, len(self)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, kind: IndexKind, *, ef_search: int = 128) -> FaissVectorIndex:
        raw = faiss.read_index(str(path))
        obj = cls.__new__(cls)
        obj.dim = int(raw.d)
        obj.kind = kind
        obj._ef_search = ef_search
        obj._index = raw
        return obj
