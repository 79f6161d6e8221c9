"""The heuristic evidence score, used only when no answerability model is loaded (or for configurations without
the learned ranker): word overlap of the question with the best passages, and their dense similarity."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.settings import ComposerWeights
from assistant.text.tokenize import content_tokens
from assistant.types import NormalizedQuery, Passage


def grams(tokens: Sequence[str]) -> set[str]:
    """Unigrams and adjacent bigrams of ``tokens``."""
    return set(tokens) | {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)}


def lexical_overlap(query_tokens: Sequence[str], text: str) -> float:
    """Share of the question's content unigrams and bigrams found in ``text`` (0..1)."""
    q = grams(query_tokens)
    if not q:
        return 0.0
    return len(q & grams(content_tokens(text))) / len(q)


def fallback_evidence(query: NormalizedQuery, passages: Sequence[Passage], weights: ComposerWeights) -> float:
    """How strongly the best of the top three passages supports an answer (0..1)."""
    best = 0.0
    for passage in passages[:3]:
        doc = passage.document
        lexical = lexical_overlap(list(query.terms), " ".join((passage.chunk.text, doc.title, doc.number)))
        cosine = passage.scores.get("dense")
        dense = (
            None
            if cosine is None
            else float(np.clip((cosine - weights.fallback_dense_floor) / weights.fallback_dense_span, 0.0, 1.0))
        )
        if query.language == "en":
            score = dense if dense is not None else 0.0
        elif dense is None:
            score = lexical
        else:
            score = weights.fallback_lexical_share * lexical + (1 - weights.fallback_lexical_share) * dense
        best = max(best, score)
    return best
