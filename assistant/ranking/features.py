"""Features of a question–passage pair for the learned ranker, and of a ranked list for the answerability model.

Every feature is a ratio, a rank, a flag or a similarity, never a raw collection statistic, so a model trained on
one shelf applies to another. Term weights are inverse frequencies over the candidate list itself (what the
caller may see), so a hidden document's words change no feature an outsider's ranking depends on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assistant.text.answer_type import counts, states
from assistant.text.entities import names_in
from assistant.text.normalize import fold_diacritics
from assistant.text.numbers import number_key
from assistant.text.tokenize import content_tokens
from assistant.types import AnswerType, NormalizedQuery, Passage

__all__ = ["ANSWERABILITY_FEATURES", "PASSAGE_FEATURES", "answerability_features", "passage_features"]

PASSAGE_FEATURES = (
    "bm25_norm",  # BM25 score / the best BM25 score of the list
    "bm25_rank_log",
    "dense",  # cosine similarity of the query and passage embeddings
    "dense_gap",  # best cosine of the list minus this one
    "dense_rank_log",
    "in_both",  # found by both retrievers
    "cover",  # share of the question's content syllables in the passage
    "cover_weighted",  # the same, weighted by rarity among the candidates
    "cover_bigram",  # share of the question's syllable bigrams in the passage
    "cover_heading",  # weighted share in the document title, number and the chunk's heading path
    "cover_all",  # weighted share in passage + heading + title
    "cover_focus",  # weighted share of this turn's own words (differs from cover_all for follow-ups)
    "number_named",  # the question names this document's số hiệu
    "number_other",  # the question names a số hiệu, not this document's
    "type_named",  # +1 the question names this document's type, -1 another type, 0 none
    "asks_type",  # the question asks for an amount, a time limit, a date, who or where
    "states_type",  # the passage states a fact of that kind
    "counts_noun",  # the passage gives a number of the counted noun ("14 công trình")
    "entity_share",  # share of the places/units the question names that the passage or its document names
    "entity_missing",  # how many it does not name
    "year_share",  # share of the years the question names found in the passage, title or dates
    "current",  # the document is in force (as of the request's date)
    "amended",  # the document has been amended by another
    "length_log",
    "language_match",
    "is_article",  # the chunk is an Điều/khoản of a legal text (not a plan's section or a free paragraph)
    "query_terms",  # number of content syllables of the question
    "doc_rank",  # this document's first position among the candidates, log-scaled
)

ANSWERABILITY_FEATURES = (
    "top_score",
    "margin",  # top ranker score minus the second
    "spread",  # top score minus the mean of the top five
    "top_dense",
    "top_dense_gap_to_second",
    "top_cover_weighted",
    "top_cover_all",
    "top_cover_bigram",
    "top_cover_focus",
    "best_cover_all_top5",
    "top_entity_share",
    "top_entity_missing",
    "entities_named",
    "top_year_share",
    "asks_type",
    "top_states_type",
    "any_states_type_top3",
    "number_named_found",  # a named số hiệu was found among the candidates
    "number_unknown",  # the question names a số hiệu no visible document has
    "lists_agree",  # BM25's and the dense list's best documents are the same
    "top5_doc_overlap",  # shared documents between the two lists' top five
    "query_terms",
    "english",
    "top_current",
)

_TYPE_WORDS = {
    fold_diacritics(w): fold_diacritics(w)
    for w in (
        "nghị quyết",
        "quyết định",
        "nghị định",
        "thông tư",
        "kế hoạch",
        "hướng dẫn",
        "quy chế",
        "quy định",
        "chỉ thị",
        "công văn",
        "luật",
        "thông báo",
        "phương án",
        "quy trình",
    )
}


@dataclass(frozen=True)
class _Query:
    """The question's parts as the features use them, computed once per list."""

    terms: list[str]
    grams: set[str]
    focus: list[str]
    kind: AnswerType
    noun: str
    entities: tuple[str, ...]
    years: tuple[str, ...]
    numbers: set[str]
    types: set[str]


def _bigrams(tokens: Sequence[str]) -> set[str]:
    return {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)}


def _prepare(query: NormalizedQuery) -> _Query:
    terms = list(dict.fromkeys(query.terms))
    folded = f" {fold_diacritics(query.text)} "
    types = {t for t in _TYPE_WORDS if f" {t} " in folded}
    return _Query(
        terms=terms,
        grams=_bigrams(list(query.terms)),
        focus=list(dict.fromkeys(query.focus)) or terms,
        kind=query.answer_type,
        noun=query.counted_noun,
        entities=query.entities,
        years=query.years,
        numbers=set(query.numbers),
        types=types,
    )


def _weighted_share(terms: Sequence[str], present: set[str], weight: dict[str, float]) -> float:
    total = sum(weight.get(t, 1.0) for t in terms)
    if total <= 0:
        return 0.0
    return sum(weight.get(t, 1.0) for t in terms if t in present) / total


def _log_rank(value: float | None, missing: float) -> float:
    return math.log1p(missing if value is None else value)


def passage_features(query: NormalizedQuery, passages: Sequence[Passage]) -> npt.NDArray[np.float32]:
    """One row of :data:`PASSAGE_FEATURES` per passage (the candidates of one question, in any order)."""
    q = _prepare(query)
    n = len(passages)
    out = np.zeros((n, len(PASSAGE_FEATURES)), dtype=np.float32)
    if n == 0:
        return out
    texts = [set(content_tokens(p.chunk.text)) for p in passages]
    heads = [
        set(content_tokens(" ".join((p.document.title, p.document.number, p.chunk.heading, *p.chunk.heading_path))))
        for p in passages
    ]
    df = {t: sum(1 for words in texts if t in words) for t in set(q.terms) | set(q.focus)}
    weight = {t: math.log((n + 1) / (d + 0.5)) + 0.1 for t, d in df.items()}
    bm25_best = max((p.scores.get("bm25", 0.0) for p in passages), default=0.0) or 1.0
    dense_scores = [p.scores["dense"] for p in passages if "dense" in p.scores]
    dense_best = max(dense_scores, default=0.0)
    dense_floor = min(dense_scores, default=0.0)
    first_rank: dict[str, int] = {}
    for i, p in enumerate(passages):
        first_rank.setdefault(p.document.doc_id, i + 1)
    missing_rank = 2.0 * n
    for i, p in enumerate(passages):
        doc, chunk, s = p.document, p.chunk, p.scores
        words = texts[i]
        both = words | heads[i]
        folded = fold_diacritics(chunk.text)
        where = f"{folded} {fold_diacritics(doc.title)} {fold_diacritics(doc.issuer)}"
        dated = " ".join(str(d.year) for d in (doc.issued_date, doc.effective_date, doc.expiry_date) if d is not None)
        doc_type = fold_diacritics(doc.doc_type)
        found_entities = names_in(q.entities, where) if q.entities else 0
        found_years = sum(1 for y in q.years if y in where or y in dated)
        key = number_key(doc.number) if doc.number else ""
        row = {
            "bm25_norm": s.get("bm25", 0.0) / bm25_best,
            "bm25_rank_log": _log_rank(s.get("bm25_rank"), missing_rank),
            "dense": s.get("dense", dense_floor),
            "dense_gap": dense_best - s.get("dense", dense_floor),
            "dense_rank_log": _log_rank(s.get("dense_rank"), missing_rank),
            "in_both": float("bm25" in s and "dense" in s),
            "cover": sum(1 for t in q.terms if t in words) / len(q.terms) if q.terms else 0.0,
            "cover_weighted": _weighted_share(q.terms, words, weight),
            "cover_bigram": len(q.grams & _bigrams(content_tokens(chunk.text))) / len(q.grams) if q.grams else 0.0,
            "cover_heading": _weighted_share(q.terms, heads[i], weight),
            "cover_all": _weighted_share(q.terms, both, weight),
            "cover_focus": _weighted_share(q.focus, both, weight),
            "number_named": float(bool(key) and key in q.numbers),
            "number_other": float(bool(q.numbers) and key not in q.numbers),
            "type_named": 0.0 if not q.types else (1.0 if doc_type in q.types else -1.0),
            "asks_type": float(q.kind is not AnswerType.NONE),
            "states_type": float(states(q.kind, chunk.text)),
            "counts_noun": float(counts(q.noun, chunk.text)),
            "entity_share": found_entities / len(q.entities) if q.entities else 1.0,
            "entity_missing": float(len(q.entities) - found_entities),
            "year_share": found_years / len(q.years) if q.years else 1.0,
            "current": float(p.current),
            "amended": float(bool(doc.amended_by)),
            "length_log": math.log1p(len(chunk.text)),
            "language_match": float(doc.language == query.language),
            "is_article": float(bool(chunk.article)),
            "query_terms": float(len(q.terms)),
            "doc_rank": math.log1p(first_rank[doc.doc_id]),
        }
        out[i] = [row[name] for name in PASSAGE_FEATURES]
    return out


def answerability_features(
    query: NormalizedQuery,
    ranked: Sequence[Passage],
    features: npt.NDArray[np.float32],
    scores: npt.NDArray[np.float64],
    *,
    number_found: bool,
) -> npt.NDArray[np.float32]:
    """One row of :data:`ANSWERABILITY_FEATURES` for a ranked list: ``ranked`` best first, ``features`` their
    passage features in the same order, ``scores`` the ranker's scores; ``number_found``: a số hiệu the question
    names belongs to a document the caller may see."""
    col = {name: i for i, name in enumerate(PASSAGE_FEATURES)}
    row = dict.fromkeys(ANSWERABILITY_FEATURES, 0.0)
    row["query_terms"] = float(len(set(query.terms)))
    row["english"] = float(query.language == "en")
    row["asks_type"] = float(query.answer_type is not AnswerType.NONE)
    row["entities_named"] = float(len(query.entities))
    row["number_unknown"] = float(bool(query.numbers) and not number_found)
    row["number_named_found"] = float(bool(query.numbers) and number_found)
    if len(ranked):
        top = features[0]
        row["top_score"] = float(scores[0])
        row["margin"] = float(scores[0] - scores[1]) if len(scores) > 1 else 1.0
        row["spread"] = float(scores[0] - np.mean(scores[:5]))
        dense = [p.scores.get("dense") for p in ranked]
        row["top_dense"] = float(dense[0] if dense[0] is not None else min((d for d in dense if d), default=0.0))
        others = [d for d in dense[1:5] if d is not None]
        row["top_dense_gap_to_second"] = row["top_dense"] - max(others) if others else 0.0
        for name in ("cover_weighted", "cover_all", "cover_bigram", "cover_focus", "entity_share", "year_share"):
            row[f"top_{name}"] = float(top[col[name]])
        row["top_entity_missing"] = float(top[col["entity_missing"]])
        row["top_states_type"] = float(top[col["states_type"]])
        row["any_states_type_top3"] = float(features[:3, col["states_type"]].max())
        row["best_cover_all_top5"] = float(features[:5, col["cover_all"]].max())
        row["top_current"] = float(top[col["current"]])
        bm25_order = sorted((p for p in ranked if "bm25_rank" in p.scores), key=lambda p: p.scores["bm25_rank"])
        dense_order = sorted((p for p in ranked if "dense_rank" in p.scores), key=lambda p: p.scores["dense_rank"])
        if bm25_order and dense_order:
            row["lists_agree"] = float(bm25_order[0].document.doc_id == dense_order[0].document.doc_id)
            top_lex = list(dict.fromkeys(p.document.doc_id for p in bm25_order))[:5]
            top_dense = list(dict.fromkeys(p.document.doc_id for p in dense_order))[:5]
            row["top5_doc_overlap"] = len(set(top_lex) & set(top_dense)) / 5
    return np.array([[row[name] for name in ANSWERABILITY_FEATURES]], dtype=np.float32)
