from pathlib import Path

import numpy as np
import pytest

from assistant.index.faiss_index import FaissVectorIndex, choose_kind

VECTORS = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0.8, 0.6, 0, 0], [0, 0, 1, 0]], dtype=np.float32)
IDS = np.array([10, 11, 12, 13], dtype=np.int64)


@pytest.fixture(params=["flat", "hnsw"])
def index(request: pytest.FixtureRequest) -> FaissVectorIndex:
    idx = FaissVectorIndex(4, request.param, hnsw_m=8)
    idx.add(IDS, VECTORS)
    return idx


def test_search_returns_ids_by_inner_product(index: FaissVectorIndex) -> None:
    hits = index.search(np.array([1, 0, 0, 0], dtype=np.float32), 2)
    assert [i for i, _ in hits] == [10, 12]
    assert hits[0][1] == pytest.approx(1.0) and hits[1][1] == pytest.approx(0.8)


def test_allowed_ids_are_enforced_inside_faiss(index: FaissVectorIndex) -> None:
    hits = index.search(np.array([1, 0, 0, 0], dtype=np.float32), 4, allowed=np.array([11, 13], dtype=np.int64))
    assert {i for i, _ in hits} <= {11, 13}
    assert index.search(np.array([1, 0, 0, 0], dtype=np.float32), 4, allowed=np.array([], dtype=np.int64)) == []


def test_flat_index_removes_ids() -> None:
    idx = FaissVectorIndex(4, "flat")
    idx.add(IDS, VECTORS)
    idx.remove(np.array([10], dtype=np.int64))
    assert len(idx) == 3
    assert [i for i, _ in idx.search(np.array([1, 0, 0, 0], dtype=np.float32), 1)] == [12]


def test_save_load(tmp_path: Path, index: FaissVectorIndex) -> None:
    index.save(tmp_path / "v.faiss")
    loaded = FaissVectorIndex.load(tmp_path / "v.faiss", index.kind)
    assert len(loaded) == 4 and sorted(loaded.ids().tolist()) == IDS.tolist()


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
    assert choose_kind("auto", 5000, 1000) == "hnsw"
    assert choose_kind("hnsw", 10, 1000) == "hnsw"
