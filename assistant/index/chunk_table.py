"""The chunks of one published index version, by row, read from its catalog when asked for.

A province's shelf holds a million chunks; as Python objects they would take several gigabytes of a server's
memory, though a question reads fewer than a hundred of them. Only what a search needs for every row stays in
memory: each row's int64 id and its document (numpy arrays). Chunk texts and headings are read from the
version's ``catalog.sqlite`` (by primary key, many rows in one query) and the latest ``cache_size`` kept.

The catalog connection is opened at load and held for the table's lifetime, so a version folder pruned while a
request still reads it stays readable until the table is dropped.
"""

from __future__ import annotations

import bisect
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

import numpy as np
import numpy.typing as npt

from assistant.index.serialize import chunk_from_json
from assistant.types import Chunk

CACHE_SIZE = 8192  # chunks kept in memory: the hot articles of a busy hour
_BATCH = 500  # rows per SELECT … IN (…), under SQLite's bound-parameter limit


class ChunkTable(Sequence[Chunk]):
    """Read-only, row-indexed chunks of one catalog (rows in ``doc_id, ordinal`` order, as BM25 was built).

    ``iids[row]`` is the row's vector id; ``doc_ids[row_doc[row]]`` its document. Every document's rows are
    contiguous (``rows_of``)."""

    def __init__(self, path: Path, *, cache_size: int = CACHE_SIZE) -> None:
        uri = f"{path.resolve().as_uri()}?mode=ro"  # percent-encoded: a folder may hold "?", "#" or "%"
        self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._cache: OrderedDict[int, Chunk] = OrderedDict()
        self._cache_size = cache_size
        iids: list[int] = []
        doc_ids: list[str] = []
        starts: list[int] = []
        with self._lock:
            for row, (iid, doc_id) in enumerate(
                self._conn.execute("SELECT iid, doc_id FROM chunks ORDER BY doc_id, ordinal, iid")
            ):
                iids.append(iid)
                if not doc_ids or doc_ids[-1] != doc_id:
                    doc_ids.append(doc_id)
                    starts.append(row)
        self.iids: npt.NDArray[np.int64] = np.array(iids, dtype=np.int64)
        self.doc_ids: tuple[str, ...] = tuple(doc_ids)  # sorted (SQLite's binary order is code point order)
        self._bounds = np.array([*starts, len(iids)], dtype=np.int64)  # document i: rows bounds[i]..bounds[i+1]
        self.row_doc: npt.NDArray[np.int32] = np.repeat(np.arange(len(doc_ids), dtype=np.int32), np.diff(self._bounds))
        self._by_iid = np.argsort(self.iids, kind="stable")
        self._sorted_iids = self.iids[self._by_iid]

    def __len__(self) -> int:
        return len(self.iids)

    @overload
    def __getitem__(self, row: int) -> Chunk: ...

    @overload
    def __getitem__(self, row: slice) -> list[Chunk]: ...

    def __getitem__(self, row: int | slice) -> Chunk | list[Chunk]:
        if isinstance(row, slice):
            return self.many(range(len(self))[row])
        if not -len(self) <= row < len(self):
            raise IndexError(row)
        row %= len(self)
        with self._lock:
            chunk = self._cache.get(row)
            if chunk is not None:
                self._cache.move_to_end(row)
                return chunk
        return self.many([row])[0]

    def __iter__(self) -> Iterator[Chunk]:
        for start in range(0, len(self), _BATCH):
            yield from self.many(range(start, min(start + _BATCH, len(self))))

    def doc_id(self, row: int) -> str:
        return self.doc_ids[int(self.row_doc[row])]

    def rows_of(self, doc_id: str) -> range:
        """The rows of ``doc_id``'s chunks, in reading order (empty for a document without chunks)."""
        at = bisect.bisect_left(self.doc_ids, doc_id)
        if at == len(self.doc_ids) or self.doc_ids[at] != doc_id:
            return range(0)
        return range(int(self._bounds[at]), int(self._bounds[at + 1]))

    def row_of_iid(self, iid: int) -> int | None:
        at = int(np.searchsorted(self._sorted_iids, iid))
        return int(self._by_iid[at]) if at < len(self._sorted_iids) and self._sorted_iids[at] == iid else None

    def row_of_chunk_id(self, chunk_id: str) -> int | None:
        with self._lock:
            found = self._conn.execute("SELECT iid FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone()
        return self.row_of_iid(found[0]) if found else None

    def many(self, rows: Iterable[int]) -> list[Chunk]:
        """The chunks of ``rows`` in that order: cached ones from memory, the rest in one query per 500."""
        wanted = [int(r) for r in rows]
        with self._lock:
            found = {row: self._cache[row] for row in wanted if row in self._cache}
            for row in found:
                self._cache.move_to_end(row)
            missing = sorted({row for row in wanted if row not in found})
            for start in range(0, len(missing), _BATCH):
                part = missing[start : start + _BATCH]
                row_of = {int(self.iids[row]): row for row in part}
                marks = ",".join("?" * len(part))
                for iid, raw in self._conn.execute(
                    f"SELECT iid, chunk_json FROM chunks WHERE iid IN ({marks})", list(row_of)
                ):
                    found[row_of[iid]] = chunk = chunk_from_json(raw)
                    self._cache[row_of[iid]] = chunk
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return [found[row] for row in wanted]
