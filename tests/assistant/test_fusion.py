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


def test_convex_fusion_exact_values() -> None:
    from assistant.retrieval.fusion import convex_fusion

    fused = convex_fusion([(1, 10.0), (2, 5.0)], [(2, 0.9), (3, 0.8), (4, 0.7)], lexical_share=0.6)
    assert fused[1] == pytest.approx(0.6)
    assert fused[2] == pytest.approx(0.6 * 0.5 + 0.4 * 1.0)
    assert fused[3] == pytest.approx(0.4 * 0.5)
    assert fused[4] == pytest.approx(0.0)


def test_fusion_config_uses_a_smaller_lexical_share_for_english() -> None:
    from assistant.retrieval.fusion import FusionConfig

    config = FusionConfig(lexical_share=0.7, lexical_share_english=0.2)
    lexical, dense = [(1, 4.0)], [(2, 0.9), (1, 0.5)]
    assert config.fuse(lexical, dense)[1] > config.fuse(lexical, dense)[2]
    assert config.fuse(lexical, dense, english=True)[1] < config.fuse(lexical, dense, english=True)[2]
    with pytest.raises(ValueError, match="lexical_share"):
        FusionConfig(lexical_share=1.5)
