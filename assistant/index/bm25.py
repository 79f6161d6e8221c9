"""Okapi BM25 over lower-cased, diacritic-folded syllables and syllable bigrams, as precomputed numpy postings."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from assistant.text.tokenize import lexical_features


class Bm25Index:
    """Rows are positions ``0..n-1``; each posting stores its full BM25 term weight, so a query is a sum."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError(f"BM25 needs k1 >= 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1 = k1
        self.b = b
        self.vocab: dict[str, int] = {}
        self.offsets = np.zeros(1, dtype=np.int64)
        self.rows = np.zeros(0, dtype=np.int32)
        self.weights = np.zeros(0, dtype=np.float32)
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def build(self, texts: Sequence[str], counted: Sequence[bool] | None = None) -> None:
        """Index ``texts``; row i of the index is ``texts[i]``.

        Collection statistics (N, document frequencies, average length) come only from the rows marked in
        ``counted`` (default: all). The service counts public chunks only, so a unit-only or restricted document
        changes no score anyone else sees — its words' rarity cannot be probed through the ranking. With no
        counted row at all, every row counts.
        """
        docs = [Counter(lexical_features(t)) for t in texts]
        self.size = len(docs)
        if counted is not None and len(counted) != len(docs):
            raise ValueError(f"counted has {len(counted)} flags for {len(docs)} texts")
        mask = np.ones(len(docs), dtype=bool) if counted is None or not any(counted) else np.array(counted, bool)
        lengths = np.array([sum(c.values()) for c in docs], dtype=np.float64)
        n = int(mask.sum())
        avgdl = float(lengths[mask].mean()) if n and lengths[mask].mean() > 0 else 1.0
        postings: dict[str, list[tuple[int, int]]] = {}
        for row, counts in enumerate(docs):
            for term, tf in counts.items():
                postings.setdefault(term, []).append((row, tf))
        terms = sorted(postings)
        self.vocab = {t: i for i, t in enumerate(terms)}
        offsets = [0]
        rows: list[int] = []
        weights: list[float] = []
        for term in terms:
            plist = postings[term]
            df = sum(1 for row, _ in plist if mask[row])
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for row, tf in plist:
                norm = tf + self.k1 * (1 - self.b + self.b * lengths[row] / avgdl)
                rows.append(row)
                weights.append(idf * tf * (self.k1 + 1) / norm)
            offsets.append(len(rows))
        self.offsets = np.array(offsets, dtype=np.int64)
        self.rows = np.array(rows, dtype=np.int32)
        self.weights = np.array(weights, dtype=np.float32)

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """BM25 score of every row for ``query`` (zeros where no term matches)."""
        out = np.zeros(self.size, dtype=np.float32)
        for term, qtf in Counter(lexical_features(query)).items():
            tid = self.vocab.get(term)
            if tid is None:
                continue
            lo, hi = self.offsets[tid], self.offsets[tid + 1]
            np.add.at(out, self.rows[lo:hi], self.weights[lo:hi] * qtf)
        return out

    def search(self, query: str, k: int, allowed_mask: npt.NDArray[np.bool_] | None = None) -> list[tuple[int, float]]:
        """Top ``k`` (row, score) with score > 0; rows outside ``allowed_mask`` are never returned."""
        if k <= 0:
            raise ValueError(f"k must be > 0, got {k}")
        scores = self.scores(query)
        if allowed_mask is not None:
            scores = np.where(allowed_mask, scores, 0.0).astype(np.float32)
        positive = np.flatnonzero(scores > 0)
        if len(positive) == 0:
            return []
        top = positive[np.argsort(-scores[positive], kind="stable")[:k]]
        return [(int(r), float(scores[r])) for r in top]

    def save(self, path: Path) -> None:
        terms = np.array(sorted(self.vocab, key=self.vocab.__getitem__), dtype=object)
        with path.open("wb") as fh:
            np.savez(
                fh,
                terms=np.array("\n".join(terms.tolist())),
                offsets=self.offsets,
                rows=self.rows,
                weights=self.weights,
                params=np.array([self.k1, self.b, self.size], dtype=np.float64),
            )

    @classmethod
    def load(cls, path: Path) -> Bm25Index:
        data = np.load(path, allow_pickle=False)
        k1, b, size = data["params"].tolist()
        index = cls(k1=k1, b=b)
        joined = str(data["terms"])
        terms = joined.split("\n") if joined else []
        index.vocab = {t: i for i, t in enumerate(terms)}
        index.offsets = data["offsets"]
        index.rows = data["rows"]
        index.weights = data["weights"]
        index.size = int(size)
        return index
