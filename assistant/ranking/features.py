"""Features of a question–passage pair for the learned ranker, and of a ranked list for the answerability model.

Every feature is a ratio, a rank, a flag or a similarity, never a raw collection statistic, so a model trained on
one shelf applies to another. Term weights are inverse frequencies over the candidate list itself (what the
caller may see), so a hidden document's words change no feature an outsider's ranking depends on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from assistant.text.answer_type import counts, states
from assistant.text.entities import mentioned_years, names_in
from assistant.text.legal_grammar import split_sentences
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
    "longest_match",  # the longest run of the question's content syllables found as a run in the passage
    "caption_in_question",  # share of the passage's own heading syllables that the question uses
    "caption_bigrams_in_question",  # the same for its heading's bigrams
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
    "replaced_here",  # a document among the candidates replaces or amends this one (the newer text is at hand)
    "replaces_here",  # this document replaces or amends one among the candidates
    "length_log",
    "language_match",
    "is_article",  # the chunk is an Điều/khoản of a legal text (not a plan's section or a free paragraph)
    "query_terms",  # number of content syllables of the question
    "doc_rank",  # this document's first position among the candidates, log-scaled
    "option_best",  # a multiple-choice question: weighted share of its best option's own words in the passage
    "option_margin",  # that share minus the next option's (0 when the question lists no options)
)

ANSWERABILITY_FEATURES = (
    "top_score",
    "margin",  # top ranker score minus the next one's (earlier versions of the top's own rule left out)
    "spread",  # top score minus the mean of it and the next four (the same rivals)
    "top_dense",
    "top_dense_gap_to_second",
    "top_cover_weighted",
    "top_cover_all",
    "top_cover_bigram",
    "top_cover_focus",
    "best_cover_all_top5",
    "top_missing_rare",  # weight of the rarest question word the best passage (with headings) lacks / the top weight
    "top3_missing_rare",  # the least of that over the top three passages
    "top_entity_share",
    "top_entity_missing",
    "entities_named",
    "top_year_share",
    "top_other_year",  # the best passage dates its facts to other years than the ones asked ("Năm 2022 … xếp thứ 6")
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
    "unmatched_terms",  # the question's content syllables found in no candidate (a procedure the shelf lacks)
    "unmatched_share",
    "unmatched_bigrams",  # share of the question's bigrams found in no candidate
    "entities_found_anywhere",  # share of the places/units named that some candidate names
    "years_found_anywhere",  # share of the years named that some candidate (or its dates) names
    "best_sentence_cover",  # weighted share of the question's words in the best single sentence of the top three
    "best_sentence_cover_context",  # the same, the sentence read with its clause heading and document title
    "best_typed_sentence_cover",  # the best among sentences stating the kind of fact asked (0 when none does)
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
    sequence: list[str]  # content syllables in the question's order (context first for a follow-up)
    grams: set[str]
    focus: list[str]
    kind: AnswerType
    noun: str
    entities: tuple[str, ...]
    years: tuple[str, ...]
    numbers: set[str]
    types: set[str]
    options: tuple[tuple[str, ...], ...]  # each option's own words (those not in every option)


def _bigrams(tokens: Sequence[str]) -> set[str]:
    return {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)}


MAX_RUN = 8  # longest_match is counted up to this many syllables


# Passage-side work depends on the passage text alone: cached, since the same chunks come up for many questions.
@lru_cache(maxsize=65536)
def _passage_words(text: str) -> tuple[frozenset[str], frozenset[str], str]:
    tokens = content_tokens(text)
    return frozenset(tokens), frozenset(_bigrams(tokens)), fold_diacritics(text)


@lru_cache(maxsize=4096)
def _heading_words(title: str, number: str, heading: str, path: tuple[str, ...]) -> frozenset[str]:
    return frozenset(content_tokens(" ".join((title, number, heading, *path))))


_NUMBERING = re.compile(r"^\s*(?:điều\s+\d+\w*|[ivxlc]+|\d+|[a-zđ])[.)]\s*", re.IGNORECASE)


@lru_cache(maxsize=65536)
def _caption(heading: str, text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Words and bigrams of a passage's own heading (its article or section title, numbering left out): the
    heading, or the passage's first line when it has none."""
    line = heading or text.split("\n", 1)[0]
    tokens = [t for t in content_tokens(_NUMBERING.sub("", line)) if not t.isdigit()]
    return frozenset(tokens), frozenset(_bigrams(tokens))


def _reverse_share(part: AbstractSet[str], whole: AbstractSet[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


@lru_cache(maxsize=65536)
def _passage_runs(text: str) -> frozenset[tuple[str, ...]]:
    """Runs of 3..MAX_RUN consecutive content syllables of the passage."""
    tokens = content_tokens(text)
    return frozenset(tuple(tokens[i : i + n]) for n in range(3, MAX_RUN + 1) for i in range(len(tokens) - n + 1))


def _longest_match(query_tokens: Sequence[str], text: str, bigrams: AbstractSet[str]) -> int:
    """Length of the longest run of ``query_tokens`` that the passage has as a run (0, 1, 2 … MAX_RUN)."""
    if not query_tokens:
        return 0
    best = 1 if any(t in _passage_words(text)[0] for t in query_tokens) else 0
    if any(f"{a} {b}" in bigrams for a, b in zip(query_tokens, query_tokens[1:], strict=False)):
        best = 2
    if best < 2:
        return best
    runs = _passage_runs(text)
    for n in range(MAX_RUN, 2, -1):
        if any(tuple(query_tokens[i : i + n]) in runs for i in range(len(query_tokens) - n + 1)):
            return n
    return best


@lru_cache(maxsize=65536)
def _states(kind: AnswerType, text: str) -> bool:
    return states(kind, text)


def _prepare(query: NormalizedQuery) -> _Query:
    terms = list(dict.fromkeys(query.terms))
    folded = f" {fold_diacritics(query.text)} "
    types = {t for t in _TYPE_WORDS if f" {t} " in folded}
    return _Query(
        terms=terms,
        sequence=list(query.terms),
        grams=_bigrams(list(query.terms)),
        focus=list(dict.fromkeys(query.focus)) or terms,
        kind=query.answer_type,
        noun=query.counted_noun,
        entities=query.entities,
        years=query.years,
        numbers=set(query.numbers),
        types=types,
        options=_own_words(query.options),
    )


def _own_words(options: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """Each option's distinct words less those every option has ("30 ngày" / "45 ngày" → ("30",) / ("45",))."""
    if not options:
        return ()
    shared = set.intersection(*(set(option) for option in options))
    return tuple(tuple(t for t in dict.fromkeys(option) if t not in shared) for option in options)


def _option_shares(
    options: tuple[tuple[str, ...], ...], present: AbstractSet[str], weight: dict[str, float]
) -> tuple[float, float]:
    """The best option's weighted share of its own words in ``present`` and its lead over the next option."""
    if not options:
        return 0.0, 0.0
    shares = sorted((_weighted_share(option, present, weight) for option in options), reverse=True)
    return shares[0], shares[0] - shares[1]


def _weighted_share(terms: Sequence[str], present: AbstractSet[str], weight: dict[str, float]) -> float:
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
    words_of = [_passage_words(p.chunk.text) for p in passages]
    texts = [w[0] for w in words_of]
    heads = [
        _heading_words(p.document.title, p.document.number, p.chunk.heading, p.chunk.heading_path) for p in passages
    ]
    df = {t: sum(1 for words in texts if t in words) for t in set(q.terms) | set(q.focus)}
    weight = {t: math.log((n + 1) / (d + 0.5)) + 0.1 for t, d in df.items()}
    captions = [_caption(p.chunk.heading, p.chunk.text) for p in passages]
    q_words = set(q.terms)
    bm25_best = max((p.scores.get("bm25", 0.0) for p in passages), default=0.0) or 1.0
    dense_scores = [p.scores["dense"] for p in passages if "dense" in p.scores]
    dense_best = max(dense_scores, default=0.0)
    dense_floor = min(dense_scores, default=0.0)
    numbers_here = {number_key(p.document.number) for p in passages if p.document.number}
    first_rank: dict[str, int] = {}
    for i, p in enumerate(passages):
        first_rank.setdefault(p.document.doc_id, i + 1)
    missing_rank = 2.0 * n
    for i, p in enumerate(passages):
        doc, chunk, s = p.document, p.chunk, p.scores
        words = texts[i]
        both = words | heads[i]
        where = f"{words_of[i][2]} {fold_diacritics(doc.title)} {fold_diacritics(doc.issuer)}"
        dated = " ".join(str(d.year) for d in (doc.issued_date, doc.effective_date, doc.expiry_date) if d is not None)
        doc_type = fold_diacritics(doc.doc_type)
        found_entities = names_in(q.entities, where) if q.entities else 0
        found_years = sum(1 for y in q.years if y in where or y in dated)
        key = number_key(doc.number) if doc.number else ""
        option_best, option_margin = _option_shares(q.options, both, weight)
        row = {
            "bm25_norm": s.get("bm25", 0.0) / bm25_best,
            "bm25_rank_log": _log_rank(s.get("bm25_rank"), missing_rank),
            "dense": s.get("dense", dense_floor),
            "dense_gap": dense_best - s.get("dense", dense_floor),
            "dense_rank_log": _log_rank(s.get("dense_rank"), missing_rank),
            "in_both": float("bm25" in s and "dense" in s),
            "cover": sum(1 for t in q.terms if t in words) / len(q.terms) if q.terms else 0.0,
            "cover_weighted": _weighted_share(q.terms, words, weight),
            "cover_bigram": len(q.grams & words_of[i][1]) / len(q.grams) if q.grams else 0.0,
            "longest_match": float(_longest_match(q.sequence, chunk.text, words_of[i][1])),
            "caption_in_question": _reverse_share(captions[i][0], q_words),
            "caption_bigrams_in_question": _reverse_share(captions[i][1], q.grams),
            "cover_heading": _weighted_share(q.terms, heads[i], weight),
            "cover_all": _weighted_share(q.terms, both, weight),
            "cover_focus": _weighted_share(q.focus, both, weight),
            "number_named": float(bool(key) and key in q.numbers),
            "number_other": float(bool(q.numbers) and key not in q.numbers),
            "type_named": 0.0 if not q.types else (1.0 if doc_type in q.types else -1.0),
            "asks_type": float(q.kind is not AnswerType.NONE),
            "states_type": float(_states(q.kind, chunk.text)),
            "counts_noun": float(counts(q.noun, chunk.text)),
            "entity_share": found_entities / len(q.entities) if q.entities else 1.0,
            "entity_missing": float(len(q.entities) - found_entities),
            "year_share": found_years / len(q.years) if q.years else 1.0,
            "current": float(p.current),
            "amended": float(bool(doc.amended_by)),
            "replaced_here": float(any(number_key(n) in numbers_here for n in (*doc.superseded_by, *doc.amended_by))),
            "replaces_here": float(any(number_key(r.target) in numbers_here for r in doc.relations)),
            "length_log": math.log1p(len(chunk.text)),
            "language_match": float(doc.language == query.language),
            "is_article": float(bool(chunk.article)),
            "query_terms": float(len(q.terms)),
            "doc_rank": math.log1p(first_rank[doc.doc_id]),
            "option_best": option_best,
            "option_margin": option_margin,
        }
        out[i] = [row[name] for name in PASSAGE_FEATURES]
    return out


@lru_cache(maxsize=65536)
def _sentences(text: str) -> tuple[tuple[frozenset[str], str], ...]:
    """Content syllables of each sentence of a passage, with the sentence."""
    out = []
    for line in text.splitlines():
        for sentence in split_sentences(line.strip()):
            words = frozenset(content_tokens(sentence))
            if words:
                out.append((words, sentence))
    return tuple(out)


def _sentence_support(query: NormalizedQuery, ranked: Sequence[Passage], row: dict[str, float]) -> None:
    """How well one sentence of the top three passages covers the question — a reader's check that the words the
    question turns on stand together, not spread over a passage."""
    terms = list(dict.fromkeys(query.focus if query.is_follow_up else query.terms))
    if not terms:
        return
    all_words = [_passage_words(p.chunk.text)[0] for p in ranked]
    n = len(ranked)
    weight = {t: math.log((n + 1) / (sum(1 for w in all_words if t in w) + 0.5)) + 0.1 for t in terms}
    best = best_context = best_typed = 0.0
    for p in ranked[:3]:
        context = _passage_words(" ".join((p.document.title, p.chunk.heading)))[0]
        for words, sentence in _sentences(p.chunk.text):
            alone = _weighted_share(terms, words, weight)
            best = max(best, alone)
            best_context = max(best_context, _weighted_share(terms, words | context, weight))
            if query.answer_type is not AnswerType.NONE and _states(query.answer_type, sentence):
                best_typed = max(best_typed, alone)
    row["best_sentence_cover"] = best
    row["best_sentence_cover_context"] = best_context
    row["best_typed_sentence_cover"] = best_typed


def _missing_rare(query: NormalizedQuery, ranked: Sequence[Passage], row: dict[str, float]) -> None:
    """Whether the best passages lack a word of the question that few candidates have — the thing it asks about
    ("di dời" in a question about a permit the shelf has for building only) — however many common words they share.
    Words no candidate has ("lâu" of "bao lâu") are left to ``unmatched_*``."""
    terms = list(dict.fromkeys(query.focus if query.is_follow_up else query.terms))
    if not terms:
        return
    n = len(ranked)
    have = [
        _passage_words(p.chunk.text)[0]
        | _heading_words(p.document.title, p.document.number, p.chunk.heading, p.chunk.heading_path)
        for p in ranked
    ]
    found = {t: sum(1 for w in have if t in w) for t in terms}
    weight = {t: math.log((n + 1) / (d + 0.5)) for t, d in found.items() if d}  # words no candidate has: unmatched_*
    top = max(weight.values(), default=0.0)
    if top <= 0:
        return
    lacks = [max((w for t, w in weight.items() if t not in words), default=0.0) / top for words in have[:3]]
    row["top_missing_rare"] = lacks[0]
    row["top3_missing_rare"] = min(lacks)


def _anywhere(query: NormalizedQuery, ranked: Sequence[Passage], row: dict[str, float]) -> None:
    """What of the question no candidate has at all: words, bigrams, places/units and years."""
    words: set[str] = set()
    grams: set[str] = set()
    places: set[str] = set()
    for p in ranked:
        text_words, text_grams, folded = _passage_words(p.chunk.text)
        head = _passage_words(" ".join((p.document.title, p.document.number, p.chunk.heading)))
        words |= text_words | head[0]
        grams |= text_grams | head[1]
        dates = " ".join(str(d.year) for d in (p.document.issued_date, p.document.effective_date) if d)
        places.add(f"{folded} {head[2]} {fold_diacritics(p.document.issuer)} {dates}")
    terms = list(dict.fromkeys(query.terms))
    unmatched = [t for t in terms if t not in words]
    row["unmatched_terms"] = float(len(unmatched))
    row["unmatched_share"] = len(unmatched) / len(terms) if terms else 0.0
    query_grams = _bigrams(list(query.terms))
    row["unmatched_bigrams"] = len(query_grams - grams) / len(query_grams) if query_grams else 0.0
    where = " ".join(places)
    row["entities_found_anywhere"] = names_in(query.entities, where) / len(query.entities) if query.entities else 1.0
    row["years_found_anywhere"] = sum(1 for y in query.years if y in where) / len(query.years) if query.years else 1.0


def _rival_scores(ranked: Sequence[Passage], scores: npt.NDArray[np.float64]) -> list[float]:
    """The scores of the passages after the best one that answer instead of it: the earlier versions of its own
    rule (passages of documents its document replaces or amends, which it has passed) are the same provision,
    not a rival reading, so they leave the margin alone."""
    top = ranked[0].document
    key = number_key(top.number) if top.number else ""

    def same_rule(passage: Passage) -> bool:
        doc = passage.document
        return (
            bool(key)
            and doc.doc_id != top.doc_id
            and key in {number_key(n) for n in (*doc.superseded_by, *doc.amended_by)}
        )

    return [float(v) for p, v in zip(ranked[1:], scores[1:], strict=True) if not same_rule(p)]


def _other_year(query: NormalizedQuery, passage: Passage) -> float:
    """1.0 when the question names years and ``passage`` (with its heading) names years, none of them asked. The
    passage alone is read: letting its document's title or dates count (a 2025 plan's clause on permits "cấp từ
    tháng 01/2024") lost a third of the gain on the dev questions, so that case is left to the other features."""
    if not query.years:
        return 0.0
    named = set(mentioned_years(f"{passage.chunk.heading} {passage.chunk.text}"))
    return float(bool(named) and not named & set(query.years))


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
        _anywhere(query, ranked, row)
        _sentence_support(query, ranked, row)
        _missing_rare(query, ranked, row)
        top = features[0]
        row["top_score"] = float(scores[0])
        rivals = _rival_scores(ranked, scores)
        row["margin"] = float(scores[0] - rivals[0]) if len(rivals) else 1.0
        row["spread"] = float(scores[0] - np.mean([scores[0], *rivals[:4]]))
        dense = [p.scores.get("dense") for p in ranked]
        row["top_dense"] = float(dense[0] if dense[0] is not None else min((d for d in dense if d), default=0.0))
        others = [d for d in dense[1:5] if d is not None]
        row["top_dense_gap_to_second"] = row["top_dense"] - max(others) if others else 0.0
        for name in ("cover_weighted", "cover_all", "cover_bigram", "cover_focus", "entity_share", "year_share"):
            row[f"top_{name}"] = float(top[col[name]])
        row["top_entity_missing"] = float(top[col["entity_missing"]])
        row["top_other_year"] = _other_year(query, ranked[0])
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
