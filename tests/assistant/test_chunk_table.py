"""The chunk table reads a version's chunks from its catalog on demand, in the order BM25 was built."""

from __future__ import annotations

import random
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.index.catalog import Catalog
from assistant.index.chunk_table import ChunkTable
from assistant.types import Chunk


def catalog_with(path: Path, documents: dict[str, int], seed: int = 3) -> Catalog:
    """A catalog whose documents are inserted in shuffled order, chunk ordinals shuffled within each."""
    catalog = Catalog(path)
    rng = random.Random(seed)
    items = [
        (Chunk(f"{doc}:dieu-{i}", doc, i, f"Điều {i} của {doc}: nội dung {i * 7}.", ("Chương I", f"Điều {i}")), "")
        for doc, n in documents.items()
        for i in range(n)
    ]
    rng.shuffle(items)
    with catalog.connect() as conn:
        catalog.add_chunks(conn, items)
    return catalog


def test_rows_follow_the_catalog_order_and_each_document_is_contiguous(tmp_path: Path) -> None:
    documents = {"b-doc": 4, "a-doc": 3, "c-doc": 1, "đề-án-7": 2, "Z-doc": 1, "a-doc-2": 1}
    catalog = catalog_with(tmp_path / "catalog.sqlite", documents)
    table = ChunkTable(catalog.path)
    stored = catalog.chunks()
    assert len(table) == len(stored) == 12
    assert [len(table.rows_of(d)) for d in documents] == list(documents.values())  # found by bisection
    assert list(table) == [s.chunk for s in stored]  # the order BM25 and the vectors' rows were built in
    assert table.iids.tolist() == [s.iid for s in stored]
    assert [table.doc_id(row) for row in range(len(table))] == [s.chunk.doc_id for s in stored]
    assert [c.ordinal for c in table.many(table.rows_of("b-doc"))] == [0, 1, 2, 3]
    assert table.rows_of("missing") == range(0)
    for row, s in enumerate(stored):
        assert table.row_of_iid(s.iid) == row
        assert table.row_of_chunk_id(s.chunk.chunk_id) == row
    assert table.row_of_iid(10_000) is None and table.row_of_chunk_id("nope") is None


def test_many_keeps_the_asked_order_and_the_cache_stays_bounded(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path / "catalog.sqlite", {"doc": 1200})  # more than one 500-row query
    table = ChunkTable(catalog.path, cache_size=50)
    rows = [1199, 3, 3, 700, 0, *range(100, 900)]
    assert [c.ordinal for c in table.many(rows)] == rows
    assert len(table._cache) == 50
    assert table[-1].ordinal == 1199 and [c.ordinal for c in table[2:5]] == [2, 3, 4]
    with pytest.raises(IndexError):
        table[1200]


def test_the_table_reads_on_after_its_folder_is_pruned_and_from_many_threads(tmp_path: Path) -> None:
    folder = tmp_path / "dữ liệu #1 ?50%" / "v1"  # characters a SQLite URI would otherwise misread
    folder.mkdir(parents=True)
    catalog = catalog_with(folder / "catalog.sqlite", {"x": 300, "y": 200})
    table = ChunkTable(catalog.path, cache_size=10)
    shutil.rmtree(folder)  # a version collected while a request still holds the snapshot

    def read(seed: int) -> bool:
        rows = random.Random(seed).sample(range(len(table)), 40)
        return [c.chunk_id for c in table.many(rows)] == [f"{table.doc_id(r)}:dieu-{table[r].ordinal}" for r in rows]

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(read, range(64)))
