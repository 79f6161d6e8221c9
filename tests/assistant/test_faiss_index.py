from pathlib import Path

import numpy as np
import pytest

from assistant.index.faiss_index import FaissVectorIndex, choose_kind

VECTORS = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0.8, 0.6, 0, 0], [0, 0, 1, 0]], dtype=np.float32)
IDS = np.array([10, 11, 12, 13], dtype=np.int64)


@pytest.fixture(params=["flat", "sq8", "hnsw"])
def index(request: pytest.FixtureRequest) -> FaissVectorIndex:
    idx = FaissVectorIndex(4, request.param, hnsw_m=8)
    idx.add(IDS, VECTORS)
    return idx


def test_search_returns_ids_by_inner_product(index: FaissVectorIndex) -> None:
    hits = index.search(np.array([1, 0, 0, 0], dtype=np.float32), 2)
    assert [i for i, _ in hits] == [10, 12]
    assert hits[0][1] == pytest.approx(1.0, abs=0.01) and hits[1][1] == pytest.approx(0.8, abs=0.01)


def test_allowed_ids_are_enforced_inside_faiss(index: FaissVectorIndex) -> None:
    hits = index.search(np.array([1, 0, 0, 0], dtype=np.float32), 4, allowed=np.array([11, 13], dtype=np.int64))
    assert {i for i, _ in hits} <= {11, 13}
    assert index.search(np.array([1, 0, 0, 0], dtype=np.float32), 4, allowed=np.array([], dtype=np.int64)) == []


@pytest.mark.parametrize("kind", ["flat", "sq8"])
def test_flat_and_compact_indexes_remove_ids(kind: str) -> None:
    idx = FaissVectorIndex(4, kind)  # type: ignore[arg-type]
    idx.add(IDS, VECTORS)
    idx.remove(np.array([10], dtype=np.int64))
    assert len(idx) == 3
    assert [i for i, _ in idx.search(np.array([1, 0, 0, 0], dtype=np.float32), 1)] == [12]


def test_save_load(tmp_path: Path, index: FaissVectorIndex) -> None:
    index.save(tmp_path / "v.faiss")
    loaded = FaissVectorIndex.load(tmp_path / "v.faiss", index.kind)
    assert len(loaded) == 4 and sorted(loaded.ids().tolist()) == IDS.tolist()


def test_a_mapped_index_answers_as_a_read_one_and_outlives_a_rewrite(tmp_path: Path, index: FaissVectorIndex) -> None:
    index.save(tmp_path / "v.faiss")
    mapped = FaissVectorIndex.load(tmp_path / "v.faiss", index.kind, mapped=True)
    read = FaissVectorIndex.load(tmp_path / "v.faiss", index.kind)
    query = np.array([0.7, 0.7, 0.1, 0], dtype=np.float32)
    allowed = np.array([11, 12, 13], dtype=np.int64)
    assert mapped.search(query, 3) == read.search(query, 3)
    assert mapped.search(query, 3, allowed=allowed) == read.search(query, 3, allowed=allowed)
    other = FaissVectorIndex(4, index.kind, hnsw_m=8)
    other.add(np.array([99], dtype=np.int64), VECTORS[3:])
    other.save(tmp_path / "v.faiss")  # a new file replaces the old name: the mapped codes stay whole
    assert mapped.search(query, 3) == read.search(query, 3)


def test_bad_arguments_fail_at_once() -> None:
    with pytest.raises(ValueError, match="dim must be > 0"):
        FaissVectorIndex(0)
    idx = FaissVectorIndex(4)
    with pytest.raises(ValueError, match="2 ids for 4 vectors"):
        idx.add(IDS[:2], VECTORS)
    with pytest.raises(ValueError, match="k must be > 0"):
        idx.search(VECTORS[0], 0)


def test_choose_kind() -> None:
    assert choose_kind("auto", 10, 1000) == "flat"
    assert choose_kind("auto", 5000, 1000) == "sq8"
    assert choose_kind("hnsw", 10, 1000) == "hnsw"
    with pytest.raises(ValueError, match="auto, flat, sq8 or hnsw"):
        choose_kind("ivf", 10, 1000)


def test_the_compact_index_finds_what_exact_search_finds_in_a_quarter_of_the_bytes(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(3000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(100, 3100, dtype=np.int64)
    exact, compact = FaissVectorIndex(64, "flat"), FaissVectorIndex(64, "sq8")
    exact.add(ids, vectors)
    compact.add(ids[:2000], vectors[:2000])  # trained on the first batch, then edited in place like a re-ingest
    compact.add(ids[2000:], vectors[2000:])
    queries = vectors[rng.choice(3000, 50)] + rng.normal(scale=0.3, size=(50, 64)).astype(np.float32)
    allowed = ids[::2]
    shared = [
        len({i for i, _ in exact.search(q, 10, allowed)} & {i for i, _ in compact.search(q, 10, allowed)}) / 10
        for q in queries
    ]
    assert np.mean(shared) >= 0.9
    assert all(i % 2 == 0 for q in queries for i, _ in compact.search(q, 10, allowed))
    exact.save(tmp_path / "exact.faiss")
    compact.save(tmp_path / "compact.faiss")
    assert (tmp_path / "compact.faiss").stat().st_size < 0.4 * (tmp_path / "exact.faiss").stat().st_size
