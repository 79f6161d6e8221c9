"""The extractive composer: quotes the clauses that answer the question, cites each, abstains without evidence."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.answer_type import counted_noun, counts, expected_answer, question_parts, states
from assistant.answer.citations import Located, build_citation, locate, validity_warnings
from assistant.answer.prompts import PromptLibrary
from assistant.text.numbers import number_key
from assistant.text.tokenize import content_tokens
from assistant.types import Answer, Citation, Embedder, NormalizedQuery, Passage

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ0-9])")
_LIST_ITEM = re.compile(r"^([a-zđ]\)|\d{1,3}\.|-|\+|•)\s")
_HEADING = re.compile(r"^(Điều\s+\d+|Chương\s+[IVXLC\d]+|Mục\s+\d+|Phần\s+)", re.IGNORECASE)
# e5 cosine similarities of unrelated Vietnamese texts sit around 0.75; relevant pairs reach 0.85-0.9.
DENSE_FLOOR, DENSE_SPAN = 0.76, 0.14
NON_CURRENT_FACTOR = 0.5
AMENDED_FACTOR = 0.7
TYPE_BONUS = 0.3  # a sentence stating the kind of fact asked for (see answer_type)
HEADING_FACTOR = 0.4  # an all-capitals heading or the document's title
TITLE_SHARE = 0.7  # a line whose content words are at least this much the title's repeats the title


@dataclass(frozen=True)
class Unit:
    """A quotable sentence or list item of a passage."""

    passage_index: int
    position: int
    text: str
    is_lead_in: bool  # ends with ":" and introduces the list items that follow


def split_units(passage_index: int, text: str) -> list[Unit]:
    """Sentences and list items of a chunk, skipping its heading line."""
    units: list[Unit] = []
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) > 1 and _HEADING.match(lines[0]):
        lines = lines[1:]
    for line in lines:
        pieces = [line] if _LIST_ITEM.match(line) and len(line) < 400 else _SENTENCE_END.split(line)
        for piece in pieces:
            piece = piece.strip()
            if len(piece) >= 12:
                units.append(Unit(passage_index, len(units), piece, piece.endswith(":")))
    return units


def _validity(top: list[Passage], index: int) -> float:
    """1.0 for a source in force; less for a replaced or expired one, or for text amended by a document that is
    itself among the top passages (its amending wording should lead)."""
    passage = top[index]
    if not passage.current:
        return NON_CURRENT_FACTOR
    amended_by = {number_key(n) for n in passage.document.amended_by}
    if amended_by and any(number_key(p.document.number) in amended_by for p in top if p is not passage):
        return AMENDED_FACTOR
    return 1.0


def _beyond_title(tokens: list[str], title: set[str]) -> list[str]:
    rest = [t for t in tokens if t not in title]
    return rest or tokens


def _is_heading(text: str, title: set[str]) -> bool:
    """An all-capitals heading, or a line that mostly repeats the document's title (the title block of a plan:
    "Kiểm tra công tác … năm 2025 (tài liệu lưu hành nội bộ)") — it names the document, it answers nothing."""
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) > 0.8 * len(letters):
        return True
    if len(text) <= 20 or len(text) > 300:
        return False
    words = content_tokens(text)
    return bool(words) and sum(w in title for w in words) >= TITLE_SHARE * len(words)


def _grams(tokens: Sequence[str]) -> set[str]:
    return set(tokens) | {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)}


def lexical_overlap(query_tokens: Sequence[str], text: str) -> float:
    """Share of the question's content unigrams and bigrams found in ``text`` (0..1)."""
    q = _grams(query_tokens)
    if not q:
        return 0.0
    return len(q & _grams(content_tokens(text))) / len(q)


def dense_strength(passage: Passage) -> float | None:
    cosine = passage.scores.get("dense")
    if cosine is None:
        return None
    return float(np.clip((cosine - DENSE_FLOOR) / DENSE_SPAN, 0.0, 1.0))


def evidence_score(query: NormalizedQuery, passages: Sequence[Passage]) -> float:
    """How strongly the best of the top passages supports an answer (0..1); calibrated threshold decides."""
    tokens = content_tokens(query.text)
    best = 0.0
    for passage in passages[:3]:
        doc = passage.document
        lexical = lexical_overlap(tokens, " ".join((passage.chunk.text, doc.title, doc.number)))
        dense = dense_strength(passage)
        if query.language == "en":
            score = dense if dense is not None else 0.0
        elif dense is None:
            score = lexical
        else:
            score = 0.6 * lexical + 0.4 * dense
        best = max(best, score)
    return best


class ExtractiveComposer:
    """Builds a short answer from quoted units of the top passages, each marked [n]; needs no LLM."""

    name = "extractive"

    def __init__(
        self,
        prompts: PromptLibrary,
        *,
        abstain_threshold: float = 0.45,
        abstain_threshold_english: float | None = None,
        max_sentences: int = 5,
        max_passages: int = 4,
        max_chars: int = 900,
        embedder: Embedder | None = None,
    ) -> None:
        if max_sentences <= 0 or max_passages <= 0:
            raise ValueError(f"max_sentences and max_passages must be > 0, got {max_sentences}, {max_passages}")
        self.prompts = prompts
        self.abstain_threshold = abstain_threshold
        self.abstain_threshold_english = (
            abstain_threshold if abstain_threshold_english is None else abstain_threshold_english
        )
        self.max_sentences = max_sentences
        self.max_passages = max_passages
        self.max_chars = max_chars
        self.embedder = embedder

    def compose(self, query: NormalizedQuery, passages: Sequence[Passage]) -> Answer:
        evidence = evidence_score(query, passages) if passages else 0.0
        if not passages or evidence < self.threshold_for(query.language):
            return self.abstain(query, passages, evidence)
        top = list(passages[: self.max_passages])
        units = [u for i, p in enumerate(top) for u in split_units(i, p.chunk.text)]
        if not units:
            return self.abstain(query, passages, evidence)
        chosen = self._select(query, top, units)
        return self._render(query, passages, top, chosen, evidence)

    def threshold_for(self, language: str) -> float:
        """The evidence score below which a question in ``language`` gets "no basis found"."""
        return self.abstain_threshold_english if language == "en" else self.abstain_threshold

    def abstain(self, query: NormalizedQuery, passages: Sequence[Passage], evidence: float) -> Answer:
        text = self.prompts.render("answer", query.language, "abstain")
        return Answer(text, (), tuple(passages), True, query.language, evidence, self.name)

    # -- selection -----------------------------------------------------------------------------------
    def _scores(self, query: NormalizedQuery, top: list[Passage], units: list[Unit]) -> np.ndarray:
        # Words the question shares with a document's title pick the document, not the sentence: they are left
        # out when scoring that document's sentences. The clause's heading ("Điều 3. Mức thu lệ phí") is context
        # for each of its sentences, at half weight.
        # A follow-up searched with the question before it ("… bao lâu? còn lệ phí thì sao?") is scored mostly
        # by its own words.
        titles = [set(content_tokens(p.document.title)) for p in top]
        parts = question_parts(query.text)
        focus = content_tokens(parts[-1]) if len(parts) > 1 else []
        whole = [_beyond_title(content_tokens(query.text), title) for title in titles]
        last = [_beyond_title(focus, title) for title in titles]

        def overlap(tokens: list[str], unit: Unit) -> float:
            heading = top[unit.passage_index].chunk.heading
            return 0.5 * lexical_overlap(tokens, unit.text) + 0.5 * lexical_overlap(tokens, f"{heading} {unit.text}")

        lexical = np.array(
            [
                overlap(whole[u.passage_index], u)
                if not focus
                else 0.3 * overlap(whole[u.passage_index], u) + 0.7 * overlap(last[u.passage_index], u)
                for u in units
            ]
        )
        prior = np.array([1.0 / (1 + u.passage_index) for u in units])
        # A replaced or expired source is quoted only when it says clearly more than the current ones.
        per_passage = [_validity(top, index) for index in range(len(top))]
        validity = np.array([per_passage[u.passage_index] for u in units])
        # A question for an amount, a time limit, a date, who or where prefers sentences that state one;
        # headings and the document's own title repeat the question's words but answer nothing.
        kind = expected_answer(query.original)
        noun = counted_noun(query.original)
        typed = np.array([float(states(kind, u.text)) + float(counts(noun, u.text)) for u in units])
        shape = np.array([HEADING_FACTOR if _is_heading(u.text, titles[u.passage_index]) else 1.0 for u in units])
        if query.language == "en" and self.embedder is not None:
            vectors = self.embedder.embed_passages([u.text for u in units])
            qv = self.embedder.embed_queries([query.dense_text])[0]
            cosine = np.asarray(vectors @ qv, dtype=np.float64)
            return (cosine + 0.05 * prior + 0.02 * typed) * validity * shape
        return (lexical + 0.15 * prior + TYPE_BONUS * typed) * validity * shape

    def _select(self, query: NormalizedQuery, top: list[Passage], units: list[Unit]) -> list[Unit]:
        scores = self._scores(query, top, units)
        order = np.argsort(-scores, kind="stable")
        best = float(scores[order[0]])
        dense_scored = query.language == "en" and self.embedder is not None
        cutoff = best - 0.03 if dense_scored else 0.6 * best
        chosen: list[Unit] = []
        per_passage: dict[int, int] = {}
        chars = 0
        for idx in order:
            unit = units[int(idx)]
            if chosen and (scores[idx] < cutoff or len(chosen) >= self.max_sentences):
                break
            if per_passage.get(unit.passage_index, 0) >= 3 or (chosen and chars + len(unit.text) > self.max_chars):
                continue
            group = [unit, *self._list_items_after(unit, units)] if unit.is_lead_in else [unit]
            for item in group:
                if item not in chosen and len(chosen) < self.max_sentences + 3:
                    chosen.append(item)
                    chars += len(item.text)
            per_passage[unit.passage_index] = per_passage.get(unit.passage_index, 0) + 1
        return chosen  # best first: the first line is the answer; a lead-in keeps its list items after it

    @staticmethod
    def _list_items_after(lead: Unit, units: list[Unit]) -> list[Unit]:
        items: list[Unit] = []
        for unit in units:
            if unit.passage_index == lead.passage_index and unit.position > lead.position:
                if not _LIST_ITEM.match(unit.text) or len(items) >= 6:
                    break
                items.append(unit)
        return items

    # -- rendering -----------------------------------------------------------------------------------
    def _render(
        self,
        query: NormalizedQuery,
        passages: Sequence[Passage],
        top: list[Passage],
        chosen: list[Unit],
        evidence: float,
    ) -> Answer:
        numbers: dict[int, int] = {}
        located: dict[int, Located] = {}
        lines = [self.prompts.render("answer", query.language, "intro")]
        for unit in chosen:
            n = numbers.setdefault(unit.passage_index, len(numbers) + 1)
            if unit.passage_index not in located or not located[unit.passage_index].clause:
                located[unit.passage_index] = locate(top[unit.passage_index].chunk.text, unit.text)
            lines.append(f"- {unit.text} [{n}]")
        citations: list[Citation] = []
        for index, n in numbers.items():
            passage = top[index]
            snippet = " ".join(u.text for u in chosen if u.passage_index == index)[:500]
            citations.append(build_citation(n, passage, snippet, located.get(index, Located())))
        by_chunk = {p.chunk.chunk_id: p for p in top}
        warnings = validity_warnings(citations, by_chunk, self.prompts, query.language)
        warned = {n for n, _ in warnings}
        citations = [
            dataclasses.replace(c, warning=next(w for n, w in warnings if n == c.n)) if c.n in warned else c
            for c in citations
        ]
        lines.extend(w for _, w in warnings)
        return Answer("\n".join(lines), tuple(citations), tuple(passages), False, query.language, evidence, self.name)
