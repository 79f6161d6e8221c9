"""Hybrid retrieval: BM25 over folded syllables + dense FAISS, fused by reciprocal rank, filtered first."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from assistant.index.holder import SnapshotHolder
from assistant.index.snapshot import IndexSnapshot, NumberedDocument
from assistant.retrieval.fusion import FusionConfig
from assistant.text.numbers import mentioned_numbers
from assistant.text.query import QueryNormalizer
from assistant.types import Embedder, NormalizedQuery, Passage, Principal, SearchFilters

RetrievalMode = Literal["hybrid", "bm25", "dense"]
PIN_BONUS = 1.0  # above any fused score (convex ≤ 1, RRF < 1): pinned chunks rank first


@dataclass(frozen=True)
class RetrievalResult:
    query: NormalizedQuery
    passages: list[Passage]
    index_version: str
    timings_ms: dict[str, float] = field(default_factory=dict)


class HybridRetriever:
    """Ranks only chunks the caller may see and the filters accept; superseded or expired documents are
    demoted (score × ``non_current_penalty``) unless the filters already exclude them.

    A question that names a document by its số hiệu ("3120/QĐ-UBND") pins its best ``pinned_per_document``
    chunks (ranked within the document as usual) and the best chunk of each document that replaces or amends it:
    they go before everything else, and among them the usual order holds, so what is in force comes first and
    the named document, when expired, follows with its warning.
    """

    def __init__(
        self,
        holder: SnapshotHolder,
        embedder: Embedder,
        normalizer: QueryNormalizer,
        *,
        mode: RetrievalMode = "hybrid",
        top_k: int = 5,
        candidate_k: int = 50,
        fusion: FusionConfig | None = None,
        non_current_penalty: float = 0.5,
        pinned_per_document: int = 2,
    ) -> None:
        if mode not in ("hybrid", "bm25", "dense"):
            raise ValueError(f"mode must be hybrid, bm25 or dense, got {mode!r}")
        if top_k <= 0 or candidate_k < top_k:
            raise ValueError(f"need 0 < top_k <= candidate_k, got top_k={top_k}, candidate_k={candidate_k}")
        if not 0 < non_current_penalty <= 1:
            raise ValueError(f"non_current_penalty must be in (0, 1], got {non_current_penalty}")
        self.holder = holder
        self.embedder = embedder
        self.normalizer = normalizer
        self.mode = mode
        self.top_k = top_k
        self.candidate_k = candidate_k
        self.fusion = fusion or FusionConfig()
        self.non_current_penalty = non_current_penalty
        self.pinned_per_document = pinned_per_document

    def retrieve(
        self,
        question: str,
        *,
        principal: Principal,
        filters: SearchFilters | None = None,
        top_k: int | None = None,
    ) -> list[Passage]:
        return self.search(
            self.normalizer.normalize(question), principal=principal, filters=filters, top_k=top_k
        ).passages

    def search(
        self,
        query: NormalizedQuery,
        *,
        principal: Principal,
        filters: SearchFilters | None = None,
        top_k: int | None = None,
    ) -> RetrievalResult:
        k = top_k or self.top_k
        if k <= 0:
            raise ValueError(f"top_k must be > 0, got {k}")
        flt = filters or SearchFilters()
        snapshot = self.holder.get()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        mask = snapshot.allowed_mask(principal, flt)
        timings["filter_ms"] = (time.perf_counter() - t0) * 1000
        if not mask.any():
            return RetrievalResult(query, [], snapshot.version, timings)
        depth = max(self.candidate_k, k)
        # Pinned documents are searched on their own as well, so their chunks are candidates however they rank.
        numbers = mentioned_numbers(query.original) if self.pinned_per_document else []
        pinned = snapshot.numbered_documents(numbers, mask) if numbers else []
        scopes = [(mask, depth)] + [(snapshot.row_mask(pin.rows), len(pin.rows)) for pin in pinned]
        lexical: list[tuple[int, float]] = []
        dense: list[tuple[int, float]] = []
        if self.mode in ("hybrid", "bm25"):
            t = time.perf_counter()
            for scope, n in scopes:
                lexical = _merged(lexical, snapshot.bm25.search(query.text, n, allowed_mask=scope))
            timings["bm25_ms"] = (time.perf_counter() - t) * 1000
        if self.mode in ("hybrid", "dense"):
            t = time.perf_counter()
            vector = self.embedder.embed_queries([query.dense_text])[0]
            timings["embed_ms"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            for scope, n in scopes:
                allowed = None if scope.all() else snapshot.iids[scope]
                hits = snapshot.vectors.search(vector, n, allowed=allowed)
                dense = _merged(dense, [(snapshot.row_of_iid[iid], score) for iid, score in hits])
            timings["dense_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        passages = self._fuse(
            snapshot, lexical, dense, k, flt, mask, principal, english=query.language == "en", pinned=pinned
        )
        timings["fuse_ms"] = (time.perf_counter() - t) * 1000
        return RetrievalResult(query, passages, snapshot.version, timings)

    def _fuse(
        self,
        snapshot: IndexSnapshot,
        lexical: list[tuple[int, float]],
        dense: list[tuple[int, float]],
        k: int,
        flt: SearchFilters,
        mask: npt.NDArray[np.bool_],
        principal: Principal,
        *,
        english: bool = False,
        pinned: list[NumberedDocument] | None = None,
    ) -> list[Passage]:
        fused = self.fusion.fuse(lexical, dense, english=english)
        details: dict[int, dict[str, float]] = {}
        for name, hits in (("bm25", lexical), ("dense", dense)):
            for rank, (row, score) in enumerate(hits, start=1):
                details.setdefault(row, {})[name] = score
                details[row][f"{name}_rank"] = float(rank)
        boosted = {
            row
            for pin in pinned or []
            for _, row in sorted((-fused[row], row) for row in pin.rows if row in fused)[
                : self.pinned_per_document if pin.named else 1
            ]
        }
        scored = []
        for row, score in fused.items():
            if not mask[row]:  # defensive: never let a filtered-out chunk through
                continue
            doc = snapshot.view(snapshot.documents[snapshot.chunks[row].doc_id], principal)
            current = doc.is_current(flt.as_of)
            final = score if current else score * self.non_current_penalty
            if row in boosted:
                final += PIN_BONUS
                details.setdefault(row, {})["number_match"] = 1.0
            scored.append((final, row, score, current))
        scored.sort(key=lambda item: (-item[0], item[1]))
        out = []
        for rank, (final, row, raw, _current) in enumerate(scored[:k], start=1):
            scores = {"fused": raw, **details.get(row, {})}
            out.append(
                snapshot.passage(row, score=final, rank=rank, scores=scores, as_of=flt.as_of, principal=principal)
            )
        return out


def _merged(hits: list[tuple[int, float]], more: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """``hits`` followed by the rows of ``more`` it does not have yet (scores are on one scale)."""
    seen = {row for row, _ in hits}
    return hits + [(row, score) for row, score in more if row not in seen]
