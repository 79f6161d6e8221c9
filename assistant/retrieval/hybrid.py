"""Hybrid retrieval: BM25 over folded syllables + dense FAISS, fused, reordered by a learned ranker, filtered first."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from assistant.index.holder import SnapshotHolder
from assistant.index.snapshot import IndexSnapshot, NumberedDocument
from assistant.ranking.features import PASSAGE_FEATURES, passage_features
from assistant.ranking.ranker import LearnedRanker
from assistant.retrieval.fusion import FusionConfig
from assistant.retrieval.in_force import carried_scores, in_force_first
from assistant.text.query import QueryNormalizer
from assistant.types import Embedder, NormalizedQuery, Passage, Principal, SearchFilters

RetrievalMode = Literal["hybrid", "bm25", "dense"]


@dataclass(frozen=True)
class RetrievalResult:
    """The top ``passages`` and the whole reordered candidate list with its features, for the answerability
    model (``features``/``ranker_scores`` are empty when no learned ranker ordered the list)."""

    query: NormalizedQuery
    passages: list[Passage]
    index_version: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    candidates: list[Passage] = field(default_factory=list)
    features: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros((0, len(PASSAGE_FEATURES)), np.float32))
    ranker_scores: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    number_found: bool = False  # a số hiệu the question names belongs to a document the caller may see
    pinned: tuple[NumberedDocument, ...] = ()  # the documents named by số hiệu (and those replacing them)


@dataclass(frozen=True)
class Arranged:
    """A ranked candidate list in its final order, with its features and scores in the same order."""

    passages: list[Passage]
    features: npt.NDArray[np.float32]
    scores: npt.NDArray[np.float64]
    number_found: bool


def in_ranker_order(
    candidates: list[Passage], features: npt.NDArray[np.float32], scores: npt.NDArray[np.float64]
) -> tuple[list[Passage], npt.NDArray[np.float32], npt.NDArray[np.float64]]:
    """``candidates`` best first by the learned ``scores`` (ties keep the fused order), each passage scored with
    its ``ranker`` score, and ``features``/``scores`` in the same order: the step between fusion and
    :func:`arrange`, in search and in training alike."""
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i].rank))
    ranked = [
        dataclasses.replace(
            candidates[i], score=float(scores[i]), scores={**candidates[i].scores, "ranker": float(scores[i])}
        )
        for i in order
    ]
    return ranked, features[order], scores[order]


def arrange(
    query: NormalizedQuery,
    ranked: list[Passage],
    features: npt.NDArray[np.float32],
    scores: npt.NDArray[np.float64],
    pinned: Sequence[NumberedDocument],
    *,
    pinned_per_document: int,
    passages_per_document: int,
) -> Arranged:
    """What follows ranking, in search and in training alike: what is in force first (:func:`in_force_first`,
    the moved passage taking over the score it passes), the documents the question names by số hiệu before
    everything else, and no more than ``passages_per_document`` of one document before every other has had
    its turn. ``features``/``scores`` may be empty (no learned ranker)."""
    candidates = ranked
    order = in_force_first(candidates, query.terms)
    if order != sorted(order):
        candidates = [candidates[i] for i in order]
        if len(features):
            features, scores = features[order], carried_scores(scores[order])
            candidates = [dataclasses.replace(p, score=float(v)) for p, v in zip(candidates, scores, strict=True)]
    order, first = _pinned_first(candidates, list(pinned), pinned_per_document)
    order = _spread(order, candidates, passages_per_document, keep=len(first))
    candidates = [
        dataclasses.replace(
            candidates[i],
            rank=rank,
            scores={**candidates[i].scores, "number_match": 1.0} if i in first else candidates[i].scores,
        )
        for rank, i in enumerate(order, start=1)
    ]
    if len(features):
        features, scores = features[order], scores[order]
    return Arranged(candidates, features, scores, any(pin.named for pin in pinned))


class HybridRetriever:
    """Ranks only chunks the caller may see and the filters accept.

    BM25 and dense candidates are fused (convex or RRF); a learned ranker, when given, reorders the fused
    candidates from features of each question–passage pair (validity among them). Without one, superseded or
    expired documents are demoted (score × ``non_current_penalty``) unless the filters already exclude them.
    Either way, a passage of a replaced or amended document then yields its place to the passage of the newer
    document that takes its place (:func:`in_force_first`).

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
        passages_per_document: int = 2,
        ranker: LearnedRanker | None = None,
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
        self.passages_per_document = passages_per_document
        self.ranker = ranker

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
        depth = max(self.candidate_k, k)
        found = self._fused(snapshot, query, principal, flt, depth, timings, learned=self.ranker is not None)
        if found is None:
            return RetrievalResult(query, [], snapshot.version, timings)
        candidates, pinned = found
        features = np.zeros((0, len(PASSAGE_FEATURES)), np.float32)
        scores = np.zeros(0)
        if self.ranker is not None and candidates:
            t = time.perf_counter()
            features = passage_features(query, candidates)
            candidates, features, scores = in_ranker_order(candidates, features, self.ranker.score(features))
            timings["rank_ms"] = (time.perf_counter() - t) * 1000
        arranged = arrange(
            query, candidates, features, scores, pinned,
            pinned_per_document=self.pinned_per_document, passages_per_document=self.passages_per_document,
        )  # fmt: skip
        return RetrievalResult(
            query, arranged.passages[:k], snapshot.version, timings, arranged.passages, arranged.features,
            arranged.scores, arranged.number_found, tuple(pinned),
        )  # fmt: skip

    def ranking_candidates(
        self, query: NormalizedQuery, *, principal: Principal, filters: SearchFilters | None = None
    ) -> RetrievalResult:
        """The fused candidates in the order, and with the scores, the learned ranker receives them in
        :meth:`search` (nothing demoted, moved or spread yet), whether or not a ranker is loaded: what training
        computes its features from, so that they are the features the ranker is served."""
        snapshot = self.holder.get()
        timings: dict[str, float] = {}
        found = self._fused(snapshot, query, principal, filters or SearchFilters(), self.candidate_k, timings, True)
        if found is None:
            return RetrievalResult(query, [], snapshot.version, timings)
        candidates, pinned = found
        number_found = any(pin.named for pin in pinned)
        return RetrievalResult(
            query, candidates, snapshot.version, timings, candidates, number_found=number_found, pinned=tuple(pinned)
        )

    def _fused(
        self,
        snapshot: IndexSnapshot,
        query: NormalizedQuery,
        principal: Principal,
        flt: SearchFilters,
        depth: int,
        timings: dict[str, float],
        learned: bool,
    ) -> tuple[list[Passage], list[NumberedDocument]] | None:
        """Both retrievers' hits among what ``principal`` may see and ``flt`` accepts, fused, best first, and the
        documents the question names by số hiệu; None when nothing is visible. ``learned``: a ranker will judge
        the list (nothing out of force is demoted here)."""
        t0 = time.perf_counter()
        mask = snapshot.allowed_mask(principal, flt)
        timings["filter_ms"] = (time.perf_counter() - t0) * 1000
        if not mask.any():
            return None
        # Pinned documents are searched on their own as well, so their chunks are candidates however they rank.
        numbers = list(query.numbers) if self.pinned_per_document else []
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
                rows = [(snapshot.chunks.row_of_iid(iid), score) for iid, score in hits]
                dense = _merged(dense, [(row, score) for row, score in rows if row is not None])
            timings["dense_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        candidates = self._candidates(snapshot, query, lexical, dense, flt, mask, principal, learned)
        timings["fuse_ms"] = (time.perf_counter() - t) * 1000
        return candidates, pinned

    def _candidates(
        self,
        snapshot: IndexSnapshot,
        query: NormalizedQuery,
        lexical: list[tuple[int, float]],
        dense: list[tuple[int, float]],
        flt: SearchFilters,
        mask: npt.NDArray[np.bool_],
        principal: Principal,
        learned: bool,
    ) -> list[Passage]:
        """The fused candidates, best first (non-current sources demoted unless a learned ranker will judge)."""
        fused = self.fusion.fuse(lexical, dense, english=query.language == "en")
        details: dict[int, dict[str, float]] = {}
        for name, hits in (("bm25", lexical), ("dense", dense)):
            for rank, (row, score) in enumerate(hits, start=1):
                details.setdefault(row, {})[name] = score
                details[row][f"{name}_rank"] = float(rank)
        penalty = 1.0 if learned else self.non_current_penalty
        scored = []
        for row, score in fused.items():
            if not mask[row]:  # defensive: never let a filtered-out chunk through
                continue
            doc = snapshot.view(snapshot.documents[snapshot.chunks.doc_id(row)], principal)
            final = score if doc.is_current(flt.as_of) else score * penalty
            scored.append((final, row, score))
        scored.sort(key=lambda item: (-item[0], item[1]))
        snapshot.chunks.many(row for _, row, _ in scored)  # read from the catalog in one query, then cached
        return [
            snapshot.passage(
                row,
                score=final,
                rank=rank,
                scores={"fused": raw, **details.get(row, {})},
                as_of=flt.as_of,
                principal=principal,
            )
            for rank, (final, row, raw) in enumerate(scored, start=1)
        ]


def _pinned_first(
    candidates: list[Passage], pinned: list[NumberedDocument], per_document: int
) -> tuple[list[int], set[int]]:
    """Positions of ``candidates`` with the best chunks of documents named by số hiệu first (``per_document`` of
    each named one, one of each that replaces or amends it), the rest after, each group in the given order; and
    the pinned positions."""
    if not pinned:
        return list(range(len(candidates))), set()
    quota = {pin.doc_id: per_document if pin.named else 1 for pin in pinned}
    first: list[int] = []
    for i, passage in enumerate(candidates):
        left = quota.get(passage.document.doc_id, 0)
        if left > 0:
            first.append(i)
            quota[passage.document.doc_id] = left - 1
    chosen = set(first)
    return first + [i for i in range(len(candidates)) if i not in chosen], chosen


def _spread(order: list[int], candidates: list[Passage], per_document: int, *, keep: int) -> list[int]:
    """``order`` with at most ``per_document`` passages of one document before every other document has had its
    turn (the first ``keep`` positions — pinned ones — stay); the passages held back follow in order. 0: no cap."""
    if per_document <= 0:
        return order
    head, later = order[:keep], []
    seen: dict[str, int] = {}
    for i in order[:keep]:
        doc_id = candidates[i].document.doc_id
        seen[doc_id] = seen.get(doc_id, 0) + 1
    for i in order[keep:]:
        doc_id = candidates[i].document.doc_id
        if seen.get(doc_id, 0) < per_document:
            head.append(i)
            seen[doc_id] = seen.get(doc_id, 0) + 1
        else:
            later.append(i)
    return head + later


def _merged(hits: list[tuple[int, float]], more: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """``hits`` followed by the rows of ``more`` it does not have yet (scores are on one scale)."""
    seen = {row for row, _ in hits}
    return hits + [(row, score) for row, score in more if row not in seen]
