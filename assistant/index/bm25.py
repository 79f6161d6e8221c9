"""Okapi BM25 over lower-cased, diacritic-folded syllables and syllable bigrams, as precomputed numpy postings."""

from __future__ import annotations

import struct
import zipfile
from array import array
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.files import replacing
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
        if counted is not None and len(counted) != len(texts):
            raise ValueError(f"counted has {len(counted)} flags for {len(texts)} texts")
        # One pass over the texts into flat arrays (term id, row, tf), then one stable sort by term: numpy arrays
        # and one vocabulary dict, not a Python tuple per posting (peak 0.57 GB at 100k articles, 3.8 GB before).
        ids: dict[str, int] = {}
        term_ids, tfs, lengths = array("i"), array("i"), array("d")
        row_counts = array("i")
        for text in texts:
            counts = Counter(lexical_features(text))
            term_ids.extend(ids.setdefault(term, len(ids)) for term in counts)
            tfs.extend(counts.values())
            row_counts.append(len(counts))
            lengths.append(float(sum(counts.values())))
        self.size = len(texts)
        length = np.frombuffer(lengths, dtype=np.float64) if lengths else np.zeros(0)
        mask = np.ones(self.size, dtype=bool) if counted is None or not any(counted) else np.array(counted, bool)
        n = int(mask.sum())
        avgdl = float(length[mask].mean()) if n and length[mask].mean() > 0 else 1.0
        terms = sorted(ids)
        rank = np.empty(len(ids), dtype=np.int32)  # first-seen id → position in the sorted vocabulary
        rank[np.fromiter((ids[t] for t in terms), dtype=np.int64, count=len(terms))] = np.arange(len(terms))
        for position, text_term in enumerate(terms):  # renumbered in place: one dict of terms, not two
            ids[text_term] = position
        vocabulary = len(terms)
        del terms
        term = rank[np.frombuffer(term_ids, dtype=np.int32)] if term_ids else np.zeros(0, dtype=np.int32)
        del rank, term_ids
        order = np.argsort(term, kind="stable")  # by term, rows ascending within each term
        term = term[order]
        rows = np.repeat(np.arange(self.size, dtype=np.int32), np.frombuffer(row_counts, dtype=np.int32))[order]
        tf = np.frombuffer(tfs, dtype=np.int32)[order].astype(np.float64) if tfs else np.zeros(0)
        del order, tfs
        df = np.bincount(term[mask[rows]], minlength=vocabulary).astype(np.float64)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        weights = tf * (self.k1 + 1)
        weights /= tf + self.k1 * (1 - self.b + self.b * length[rows] / avgdl)
        weights *= idf[term]
        self.vocab = ids
        self.offsets = np.concatenate(([0], np.cumsum(np.bincount(term, minlength=vocabulary)))).astype(np.int64)
        self.rows = rows
        self.weights = weights.astype(np.float32)

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
            scores[~allowed_mask] = 0.0
        positive = np.flatnonzero(scores > 0)
        if len(positive) == 0:
            return []
        if len(positive) > k:  # keep the rows scoring at least the k-th best (ties included), then sort only those
            kth = np.partition(scores[positive], len(positive) - k)[len(positive) - k]
            positive = positive[scores[positive] >= kth]
        top = positive[np.argsort(-scores[positive], kind="stable")[:k]]
        return [(int(r), float(scores[r])) for r in top]

    def save(self, path: Path) -> None:
        """Write to ``path`` through a new file, so that a process mapping the old one keeps reading it whole."""
        terms = np.array(sorted(self.vocab, key=self.vocab.__getitem__), dtype=object)
        with replacing(path) as partial, partial.open("wb") as fh:
            np.savez(
                fh,
                terms=np.array("\n".join(terms.tolist())),
                offsets=self.offsets,
                rows=self.rows,
                weights=self.weights,
                params=np.array([self.k1, self.b, self.size], dtype=np.float64),
            )

    @classmethod
    def load(cls, path: Path, *, mapped: bool = False) -> Bm25Index:
        """The index saved at ``path``; with ``mapped``, its postings (rows and weights, most of its bytes) are
        mapped from the file instead of read: the processes of one machine serving the same version share one
        copy in the page cache, and a query reads only the postings of its terms."""
        data = np.load(path, allow_pickle=False)
        k1, b, size = data["params"].tolist()
        index = cls(k1=k1, b=b)
        joined = str(data["terms"])
        terms = joined.split("\n") if joined else []
        index.vocab = {t: i for i, t in enumerate(terms)}
        index.offsets = data["offsets"]
        for name in ("rows", "weights"):
            member = _mapped_member(path, name) if mapped else None
            setattr(index, name, data[name] if member is None else member)
        index.size = int(size)
        return index


def _mapped_member(path: Path, name: str) -> np.memmap[Any, np.dtype[Any]] | None:
    """Array ``name`` of the .npz at ``path`` mapped read-only in place (np.savez stores members uncompressed);
    None when the member is compressed."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(f"{name}.npy")
    if info.compress_type != zipfile.ZIP_STORED:
        return None
    with path.open("rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)  # the member's local file header: its name and extra field follow
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_length + extra_length)
        version = np.lib.format.read_magic(fh)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran, dtype = read_header(fh)
        offset = fh.tell()
    if fortran or not shape or shape[0] == 0:
        return None
    return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape)
