"""A deterministic hashing embedder for tests: fast, no model, shares vocabulary through folded syllables."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from assistant.text.tokenize import fold_tokens
from assistant.types import Vectors


class HashingEmbedder:
    """Feature-hashes folded syllables and syllable bigrams into ``dim`` buckets, then L2-normalises."""

    def __init__(self, dim: int = 256) -> None:
        if dim <= 0:
            raise ValueError(f"dim must be > 0, got {dim}")
        self._dim = dim
        self.name = f"hashing-{dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def load(self) -> None:
        """Nothing to load; present for the Embedder protocol."""

    def _embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = fold_tokens(text)
            features = tokens + [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
            if features:
                slots = np.array([_slot(feature, self._dim) for feature in features])
                np.add.at(out[row], slots[:, 0], slots[:, 1])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts)


@lru_cache(maxsize=1 << 20)  # a shelf's syllables and bigrams recur: hash each once
def _slot(feature: str, dim: int) -> tuple[int, int]:
    """The bucket of ``feature`` and its sign (+1/−1)."""
    digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
    return int.from_bytes(digest[:4], "little") % dim, 1 if digest[4] & 1 else -1
