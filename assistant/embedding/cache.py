"""Embeddings cached by the hash of the text embedded: unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assistant.types import Embedder, Vectors

logger = logging.getLogger(__name__)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """A SQLite table (text hash → float32 vector) per embedder name and dimension."""

    BATCH = 128

    def __init__(self, path: Path, embedder_name: str, dim: int) -> None:
        if dim <= 0:
            raise ValueError(f"dim must be > 0, got {dim}")
        self._path = path
        self._table = "emb_" + "".join(ch if ch.isalnum() else "_" for ch in embedder_name) + f"_{dim}"
        self._dim = dim
        self.hits = 0
        self.misses = 0

    def _connect(self) -> sqlite3.Connection:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self._path, timeout=30)
        conn.execute(f"CREATE TABLE IF NOT EXISTS {self._table} (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        return conn

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        if not keys:
            return found
        with self._connect() as conn:
            for start in range(0, len(keys), 500):
                batch = list(keys[start : start + 500])
                marks = ",".join("?" * len(batch))
                rows = conn.execute(f"SELECT key, vec FROM {self._table} WHERE key IN ({marks})", batch)
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        if not items:
            return
        with self._connect() as conn:
            conn.executemany(
                f"INSERT OR REPLACE INTO {self._table} (key, vec) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    def embed_passages(self, embedder: Embedder, texts: Sequence[str], *, progress: bool = False) -> Vectors:
        """Vectors for ``texts``, embedding only those not cached yet (stored batch by batch, so an
        interrupted run keeps what it embedded)."""
        keys = [text_key(t) for t in texts]
        cached = self.get_many(sorted(set(keys)))
        missing = sorted({k for k in keys if k not in cached})
        self.hits += sum(1 for k in keys if k in cached)  # against the dict: a list here was quadratic at scale
        self.misses += len(missing)
        if missing:
            first_text = {k: t for k, t in zip(keys, texts, strict=True)}
            bar = tqdm(total=len(missing), desc="Nhúng", unit="đoạn", disable=not progress)
            for start in range(0, len(missing), self.BATCH):
                batch = missing[start : start + self.BATCH]
                fresh = embedder.embed_passages([first_text[k] for k in batch])
                new_items = {k: fresh[i] for i, k in enumerate(batch)}
                self.put_many(new_items)
                cached.update(new_items)
                bar.update(len(batch))
            bar.close()
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = cached[key]
        return out
