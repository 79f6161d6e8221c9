"""Which other documents bear on the answer: a learned decision, per document among the top passages, whether it
adds a cited supporting clause to the lead (trained by ``assistant train support`` on the shelf's dev split, where
questions with two or three gold documents say which ones do: a multi-part question's other half, the English
twin of a Vietnamese plan, the decision that amends the procedure quoted)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import numpy as np
import numpy.typing as npt

from assistant.answer.evidence import lexical_overlap
from assistant.answer.units import split_units
from assistant.ranking.logistic import LogisticModel
from assistant.text.answer_type import states
from assistant.text.numbers import number_key
from assistant.text.tokenize import content_tokens
from assistant.types import AnswerType, DocumentMeta, NormalizedQuery, Passage

SUPPORT_FILE = Path(__file__).resolve().parents[1] / "resources" / "support.json"
SUPPORT_DEPTH = 8  # passages looked at for other documents
SUPPORT_FEATURES: tuple[str, ...] = (
    "rank",  # position of the document's best passage
    "ranker_gap",  # the lead passage's learned score minus this one's
    "question_cover",  # question words and bigrams in the passage and its heading
    "complement_cover",  # question words the lead leaves out, found in the passage (a multi-part question)
    "states_asked_fact",  # the passage states the kind of fact asked for (an amount, a time limit…)
    "shares_figure",  # a number of the lead also appears in the passage (the same fact, e.g. in English)
    "other_language",
    "related",  # one of the two documents amends, replaces or names the other
    "current",
    "already_cited",  # the sentence scores already picked one of its clauses
)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*%?")


@dataclass(frozen=True)
class SupportCandidate:
    """Another document's best passage among the top ones, and what the support model reads of it."""

    index: int  # into the ranked passages
    doc_id: str
    features: npt.NDArray[np.float32]


def figures(text: str) -> set[str]:
    """The numbers written in ``text`` ("15", "2%", "75.000")."""
    return set(_FIGURE.findall(text))


def _related_numbers(doc: DocumentMeta) -> set[str]:
    return {number_key(n) for n in (*doc.amended_by, *doc.superseded_by, *(r.target for r in doc.relations))}


def support_candidates(
    query: NormalizedQuery,
    passages: Sequence[Passage],
    lead: Passage,
    lead_text: str,
    cited_doc_ids: Collection[str],
) -> list[SupportCandidate]:
    """The best passage of every other document among the first :data:`SUPPORT_DEPTH`, with its features, except
    a document the lead's replaces. ``lead_text`` is what the answer quotes from ``lead`` (the lead sentence and
    its supports there)."""
    terms = list(query.terms)
    lead_words = set(content_tokens(lead_text))
    uncovered = [t for t in terms if t not in lead_words]
    lead_figures = figures(lead_text)
    lead_related = _related_numbers(lead.document)
    best_score = passages[0].scores.get("ranker", 0.0) if passages else 0.0
    seen = {lead.document.doc_id}
    lead_number = number_key(lead.document.number) if lead.document.number else ""
    out = []
    for index, passage in enumerate(passages[:SUPPORT_DEPTH]):
        doc = passage.document
        if doc.doc_id in seen:
            continue
        seen.add(doc.doc_id)
        if not passage.current and lead_number in {number_key(n) for n in doc.superseded_by}:
            continue  # the text the lead's document replaced: a dead provision, never a support
        text = passage.chunk.text
        asked = query.answer_type is not AnswerType.NONE and any(
            states(query.answer_type, u.text) for u in split_units(index, text)
        )
        related = bool(doc.number) and (
            number_key(doc.number) in lead_related
            or bool(lead.document.number and number_key(lead.document.number) in _related_numbers(doc))
        )
        row = (
            index,
            best_score - passage.scores.get("ranker", 0.0),
            lexical_overlap(terms, f"{passage.chunk.heading} {text}"),
            lexical_overlap(uncovered, text) if uncovered else 0.0,
            asked,
            bool(lead_figures & figures(text)),
            doc.language != lead.document.language,
            related,
            passage.current,
            doc.doc_id in cited_doc_ids,
        )
        out.append(SupportCandidate(index, doc.doc_id, np.array(row, dtype=np.float32)))
    return out


@dataclass(frozen=True)
class SupportModel(LogisticModel):
    """P(another document bears on the answer | :data:`SUPPORT_FEATURES`); it supports at ``thresholds["support"]``
    and above."""

    FEATURES = SUPPORT_FEATURES
    PURPOSE = "tài liệu bổ trợ"
    TRAIN_COMMAND = "assistant train support"

    @classmethod
    def load(cls, path: Path = SUPPORT_FILE) -> Self:
        return super().load(path)

    @property
    def threshold(self) -> float:
        return self.thresholds.get("support", 0.5)

    def supports(self, candidate: SupportCandidate) -> float:
        """The probability when the document supports, 0.0 when it does not."""
        p = self.probability(candidate.features)
        return p if p >= self.threshold else 0.0
