import pytest

from assistant.retrieval.fusion import reciprocal_rank_fusion


def test_rrf_exact_values() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1]], k=60)
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[2] == pytest.approx(1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)


def test_rrf_weights() -> None:
    fused = reciprocal_rank_fusion([[1], [2]], k=1, weights=[2.0, 1.0])
    assert fused == {1: 1.0, 2: 0.5}


def test_rrf_validates() -> None:
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([[1]], k=0)
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([[1]], weights=[1.0, 2.0])
