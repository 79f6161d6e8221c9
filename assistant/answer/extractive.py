"""The extractive composer: one lead sentence that answers (the asked fact first where its kind is known), then at
most two cited supporting clauses; "no basis" with the nearest documents when the evidence does not answer."""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from assistant.answer.citations import MARKER, Located, build_citation, locate, validity_warnings
from assistant.answer.evidence import lexical_overlap
from assistant.answer.prompts import PromptLibrary
from assistant.answer.support import SupportModel, figures, support_candidates
from assistant.answer.units import Unit, is_list_item, split_units
from assistant.inspection.legal_rank import document_name, short_date
from assistant.retrieval.in_force import rewrites_clause
from assistant.settings import ComposerWeights
from assistant.text.answer_type import counts, fact_span, states
from assistant.text.legal_grammar import (
    BULLET_START,
    CLAUSE,
    POINT,
    capital_share,
)
from assistant.text.numbers import number_key
from assistant.text.query import load_abbreviations
from assistant.text.tokenize import content_tokens
from assistant.types import Answer as AnswerT
from assistant.types import (
    AnswerType,
    AskedPart,
    Citation,
    Embedder,
    Evidence,
    NormalizedQuery,
    Passage,
    RelationKind,
)

TITLE_SHARE = 0.7  # a line whose content words are at least this much the title's repeats the title
MAX_LIST_ITEMS = 6  # list items kept under a lead-in line ("Hồ sơ gồm:")


@functools.cache
def _expansions() -> dict[str, set[str]]:
    """Folded abbreviation → the content words of its expansion (read once, on the first answer)."""
    return {abbr: set(content_tokens(expansion)) for abbr, expansion in load_abbreviations().items()}


def strip_marker(text: str) -> str:
    """The clause without its list marker ("a) ", "3. ", "- ")."""
    for pattern in (CLAUSE, POINT):
        if match := pattern.match(text):
            return text[match.end() :].strip()
    if BULLET_START.match(text):
        return text[1:].strip()
    return text.strip()


def _is_heading(text: str, title: set[str]) -> bool:
    """An all-capitals heading, or a line that mostly repeats the document's title — it answers nothing."""
    if capital_share(text) > 0.8:
        return True
    if len(text) <= 20 or len(text) > 300:
        return False
    words = content_tokens(text)
    return bool(words) and sum(w in title for w in words) >= TITLE_SHARE * len(words)


def _beyond_title(tokens: Sequence[str], title: set[str]) -> list[str]:
    rest = [t for t in tokens if t not in title]
    return rest or list(tokens)


def bearing_passages(passages: Sequence[Passage], max_passages: int, closeness: float) -> list[int]:
    """Indexes of the top passages that bear on the question: the best one, the others of its document, and
    passages of other documents whose learned score is close to the best (softmax ratio ≥ ``closeness``; the
    fused score ratio when no learned ranker scored them)."""
    top = passages[:max_passages]
    if not top:
        return []
    best = top[0]
    chosen = [0]
    for i, p in enumerate(top[1:], start=1):
        if p.document.doc_id == best.document.doc_id:
            chosen.append(i)
        elif "ranker" in best.scores and "ranker" in p.scores:
            if math.exp(p.scores["ranker"] - best.scores["ranker"]) >= closeness:
                chosen.append(i)
        elif best.score > 0 and p.score / best.score >= closeness:
            chosen.append(i)
    return chosen


class ExtractiveComposer:
    """Quotes the clause that answers, and at most ``weights.max_supports`` supporting clauses, each marked [n]."""

    name = "extractive"

    def __init__(
        self,
        prompts: PromptLibrary,
        *,
        weights: ComposerWeights | None = None,
        max_sentences: int = 5,
        max_passages: int = 4,
        max_chars: int = 900,
        embedder: Embedder | None = None,
        support: SupportModel | None = None,
    ) -> None:
        if max_sentences <= 0 or max_passages <= 0:
            raise ValueError(f"max_sentences and max_passages must be > 0, got {max_sentences}, {max_passages}")
        self.prompts = prompts
        self.weights = weights or ComposerWeights()
        self.max_sentences = max_sentences
        self.max_passages = max_passages
        self.max_chars = max_chars
        self.embedder = embedder
        self.support = support  # which other documents add a clause; without it, the ``support_*`` weights decide

    def compose(
        self, query: NormalizedQuery, passages: Sequence[Passage], evidence: Evidence, parts: Sequence[AskedPart] = ()
    ) -> AnswerT:
        if not passages or not evidence.answerable:
            return self.abstain(query, passages, evidence)
        indexes = bearing_passages(passages, self.max_passages, self.weights.support_documents)
        indexes = self._with_asked_fact(query, passages, indexes)
        top = [passages[i] for i in indexes]
        units = [u for i, p in enumerate(top) for u in split_units(i, p.chunk.text)]
        if not units:
            return self.abstain(query, passages, evidence)
        groups = self._select(query, top, units)
        if self.support is not None and "ranker" in passages[0].scores:
            top, groups = self._learned_supports(query, passages, top, groups)
        top, groups = self._with_other_parts(parts, top, groups)
        return self._render(query, passages, top, _without_rewritten(top, groups), evidence)

    def _with_asked_fact(self, query: NormalizedQuery, passages: Sequence[Passage], indexes: list[int]) -> list[int]:
        """When the question asks for a kind of fact (an amount, a time limit…) that no bearing passage states, the
        best-ranked of the top passages that does state one is added ("lệ phí thu theo Nghị quyết 12/2023" →
        the resolution's "75.000 đồng/giấy phép")."""
        kind = query.answer_type
        if kind is AnswerType.NONE:
            return indexes

        def states_fact(index: int) -> bool:
            return any(states(kind, u.text) for u in split_units(index, passages[index].chunk.text))

        if any(states_fact(i) for i in indexes):
            return indexes
        extra = next(
            (i for i in range(min(self.max_passages, len(passages))) if i not in indexes and states_fact(i)), None
        )
        return indexes if extra is None else [*indexes, extra]

    def abstain(self, query: NormalizedQuery, passages: Sequence[Passage], evidence: Evidence) -> AnswerT:
        """ "No basis found", with the nearest documents offered as possibly related (never as an answer)."""
        lines = [self.prompts.render("answer", query.language, "abstain")]
        if evidence.uncovered:  # the place is not echoed: a reply quotes nothing the shelf does not show the caller
            lines.append(self.prompts.render("answer", query.language, "abstain_places"))
        nearest = list(dict.fromkeys(p.document.doc_id for p in passages))[:3]
        if nearest:
            by_id = {p.document.doc_id: p.document for p in passages}
            lines.append(self.prompts.render("answer", query.language, "related_header"))
            for doc_id in nearest:
                doc = by_id[doc_id]
                name = f"{doc.number} — {doc.title}" if doc.number else doc.title
                lines.append(self.prompts.render("answer", query.language, "related_item", document=name))
        return AnswerT("\n".join(lines), (), tuple(passages), True, query.language, evidence.score, self.name)

    # -- selection -----------------------------------------------------------------------------------
    def _scores(self, query: NormalizedQuery, top: list[Passage], units: list[Unit]) -> np.ndarray:
        """Sentence scores: the question's words (a follow-up's own words first) in the sentence and its clause
        heading, words shared with the document's title left out (they pick the document, not the sentence);
        a bonus for stating the kind of fact asked; headings and title lines demoted."""
        w = self.weights
        titles = [set(content_tokens(p.document.title)) for p in top]
        whole = [_beyond_title(query.terms, title) for title in titles]
        own = [_beyond_title(query.focus, title) for title in titles] if query.is_follow_up else whole

        def overlap(tokens: list[str], unit: Unit) -> float:
            heading = top[unit.passage_index].chunk.heading
            return (1 - w.heading_share) * lexical_overlap(tokens, unit.text) + w.heading_share * lexical_overlap(
                tokens, f"{heading} {unit.text}"
            )

        lexical = np.array(
            [
                (1 - w.focus_share) * overlap(whole[u.passage_index], u)
                + w.focus_share * overlap(own[u.passage_index], u)
                for u in units
            ]
        )
        if query.language == "en" and self.embedder is not None and not lexical.any():  # no glossary word matched
            vectors = self.embedder.embed_passages([u.text for u in units])
            qv = self.embedder.embed_queries([query.dense_text])[0]
            lexical = np.maximum(lexical, np.asarray(vectors @ qv, dtype=np.float64) - 0.75)
        typed = np.array(
            [
                float(states(query.answer_type, u.text)) + float(counts(query.counted_noun or None, u.text))
                for u in units
            ]
        )
        shape = np.array([w.heading_factor if _is_heading(u.text, titles[u.passage_index]) else 1.0 for u in units])
        per_passage = [self._validity(top, i) for i in range(len(top))]
        validity = np.array([per_passage[u.passage_index] for u in units])
        return (lexical + w.type_bonus * typed) * shape * validity

    def _validity(self, top: list[Passage], index: int) -> float:
        """A replaced or expired source is quoted only when it says clearly more than the current ones; text
        amended by another quoted document gives way to the amending wording."""
        passage = top[index]
        if not passage.current:
            return self.weights.non_current_factor
        amended_by = {number_key(n) for n in passage.document.amended_by}
        if amended_by and any(number_key(p.document.number) in amended_by for p in top if p is not passage):
            return self.weights.amended_factor
        return 1.0

    def _select(self, query: NormalizedQuery, top: list[Passage], units: list[Unit]) -> list[list[Unit]]:
        """The lead group (the best sentence, and the list items a lead-in line introduces), then support groups
        in score order: at most ``max_supports``, each scoring ``support_cutoff`` of the lead, within
        ``max_chars``."""
        scores = self._scores(query, top, units)
        # A small preference for the ranker's order, so ties go to the better passage.
        scores = scores + 1e-3 * np.array([-u.passage_index for u in units])
        order = [int(i) for i in np.argsort(-scores, kind="stable")]
        groups = [self._group(units[order[0]], units)]
        chosen = set(groups[0])
        lead_doc = top[groups[0][0].passage_index].document
        said = self._said(top, groups[0]) | set(content_tokens(f"{document_name(lead_doc)} {lead_doc.title}"))
        chars = sum(len(u.text) for u in groups[0])
        cutoff = self.weights.support_cutoff * float(scores[order[0]])
        for i in order[1:]:
            if len(groups) > self.weights.max_supports or scores[i] < cutoff:
                break
            unit = units[i]
            if unit in chosen or chars + len(unit.text) > self.max_chars:
                continue
            group = [u for u in self._group(unit, units) if u not in chosen]
            adds = self._said(top, group) - said
            same_document = top[unit.passage_index].document.doc_id == lead_doc.doc_id
            if same_document and not any(t in adds for t in query.terms):  # it repeats the lead's part, or none
                continue  # (another document saying the same is a second source: the support model decides)
            groups.append(group)
            chosen.update(group)
            said |= adds
            chars += sum(len(u.text) for u in group)
        return groups

    @staticmethod
    def _said(top: list[Passage], group: list[Unit]) -> set[str]:
        """The content words a group of clauses puts in the answer, its clause heading included, an abbreviation
        with its expansion ("UBND" says "ủy ban nhân dân", as the question's terms do)."""
        heading = top[group[0].passage_index].chunk.heading
        words = set(content_tokens(" ".join([heading, *(u.text for u in group)])))
        expansions = _expansions()
        return words.union(*(expansions[w] for w in words if w in expansions))

    def _group(self, unit: Unit, units: list[Unit]) -> list[Unit]:
        return [unit, *self._list_items_after(unit, units)] if unit.is_lead_in else [unit]

    def _learned_supports(
        self, query: NormalizedQuery, passages: Sequence[Passage], top: list[Passage], groups: list[list[Unit]]
    ) -> tuple[list[Passage], list[list[Unit]]]:
        """The supports again, with the other documents chosen by the support model: a document it rejects loses
        its clauses, one it accepts that the sentence scores left out adds its best clause. Other documents'
        clauses come first (most probable first), then the lead document's own, at most ``max_supports``."""
        assert self.support is not None
        lead_passage = top[groups[0][0].passage_index]
        lead_doc = lead_passage.document.doc_id
        lead_text = " ".join(u.text for g in groups for u in g if u.passage_index == groups[0][0].passage_index)

        def doc(group: list[Unit]) -> str:
            return top[group[0].passage_index].document.doc_id

        cited = {doc(g) for g in groups}
        candidates = support_candidates(query, passages, lead_passage, lead_text[:500], cited)
        probability = {c.doc_id: self.support.supports(c) for c in candidates}
        lead_figures = figures(lead_text)
        top = list(top)
        others = [(probability.get(doc(g), 0.0), g) for g in groups[1:] if doc(g) != lead_doc]
        for candidate in candidates:
            if candidate.doc_id in cited or not probability[candidate.doc_id]:
                continue
            top.append(passages[candidate.index])
            units = split_units(len(top) - 1, passages[candidate.index].chunk.text)
            if units:  # its best clause; among equals, one stating a figure of the lead (the same fact)
                same_fact = np.array([bool(lead_figures & figures(u.text)) for u in units], dtype=np.float64)
                best = units[int(np.argmax(self._scores(query, top, units) + 0.01 * same_fact))]
                others.append((probability[candidate.doc_id], self._group(best, units)))
        ranked = [g for p, g in sorted(others, key=lambda pg: -pg[0]) if p > 0]
        ranked += [g for g in groups[1:] if doc(g) == lead_doc]
        supports: list[list[Unit]] = []
        chars = sum(len(u.text) for u in groups[0])
        for group in ranked:
            size = sum(len(u.text) for u in group)
            if len(supports) < self.weights.max_supports and chars + size <= self.max_chars:
                supports.append(group)
                chars += size
        return top, [groups[0], *supports]

    def _with_other_parts(
        self, parts: Sequence[AskedPart], top: list[Passage], groups: list[list[Unit]]
    ) -> tuple[list[Passage], list[list[Unit]]]:
        """A question asking two things ("mất bao lâu và lệ phí bao nhiêu?") gets a clause for each: for every
        other part whose kind of fact no quoted clause states, the best clause stating it among the passages found
        for that part alone becomes the first support (the last support gives way when the answer is full)."""
        top = list(top)
        for part in parts:
            if any(states(part.kind, u.text) for group in groups for u in group):
                continue
            quoted = {p.chunk.chunk_id for p in top}
            found = [p for p in part.passages if p.chunk.chunk_id not in quoted]
            scope = [*top, *found]
            units = [u for i, p in enumerate(scope) for u in split_units(i, p.chunk.text)]
            scores = self._scores(part.query, scope, units) if units else np.zeros(0)
            stating = [i for i, u in enumerate(units) if states(part.kind, u.text) and scores[i] > 0]
            if not stating:
                continue
            best = units[max(stating, key=lambda i: (scores[i], -units[i].passage_index))]
            group = self._group(best, units)
            supports = groups[1:]
            while supports and (
                len(supports) >= self.weights.max_supports
                or sum(len(u.text) for g in (groups[0], group, *supports) for u in g) > self.max_chars
            ):
                supports.pop()
            top, groups = scope, [groups[0], group, *supports]
        return top, groups

    @staticmethod
    def _list_items_after(lead: Unit, units: list[Unit]) -> list[Unit]:
        items: list[Unit] = []
        for unit in units:
            if unit.passage_index == lead.passage_index and unit.position > lead.position:
                if not is_list_item(unit.text) or len(items) >= MAX_LIST_ITEMS:
                    break
                items.append(unit)
        return items

    # -- rendering -----------------------------------------------------------------------------------
    def _lead_line(self, query: NormalizedQuery, unit: Unit, source_language: str) -> str:
        """The lead sentence, the asked fact first; an English question answered from a Vietnamese source gets the
        quotation framed as one (an English source is quoted as it stands)."""
        sentence = strip_marker(unit.text)
        kind = query.answer_type
        fact = fact_span(kind, query.counted_noun or None, sentence, query.terms)
        if query.language == "en" and source_language != "en":
            key = "quote_lead" if fact else "quote"
            return self.prompts.render("answer", "en", key, fact=fact, sentence=sentence)
        if fact and kind is not AnswerType.NONE and not sentence.casefold().startswith(fact.casefold()):
            lead = fact[:1].upper() + fact[1:]
            return self.prompts.render("answer", query.language, "fact_lead", fact=lead, sentence=sentence)
        return sentence

    def _render(
        self,
        query: NormalizedQuery,
        passages: Sequence[Passage],
        top: list[Passage],
        groups: list[list[Unit]],
        evidence: Evidence,
    ) -> AnswerT:
        numbers: dict[int, int] = {}
        located: dict[int, Located] = {}
        lines: list[str] = []
        listed = {u for group in groups for u in group[1:] if group[0].is_lead_in}  # items a lead-in line introduces
        chosen = [u for group in groups for u in group]
        for position, unit in enumerate(chosen):
            n = numbers.setdefault(unit.passage_index, len(numbers) + 1)
            if unit.passage_index not in located or not located[unit.passage_index].clause:
                located[unit.passage_index] = locate(top[unit.passage_index].chunk.text, unit.text)
            if position == 0:
                language = top[unit.passage_index].document.language
                lines.append(f"{self._lead_line(query, unit, language)} [{n}]")
            else:  # an item keeps its marker under its lead-in ("a) …"); a clause quoted alone does not
                lines.append(f"- {unit.text if unit in listed else strip_marker(unit.text)} [{n}]")
        citations: list[Citation] = []
        for index, n in numbers.items():
            passage = top[index]
            snippet = " ".join(u.text for u in chosen if u.passage_index == index)[:500]
            citations.append(build_citation(n, passage, snippet, located.get(index, Located())))
        by_chunk = {p.chunk.chunk_id: p for p in top}
        warnings = validity_warnings(citations, by_chunk, self.prompts, query.language)
        warned = dict(warnings)
        citations = [dataclasses.replace(c, warning=warned[c.n]) if c.n in warned else c for c in citations]
        lines.extend(w for _, w in warnings)
        return AnswerT(
            "\n".join(lines), tuple(citations), tuple(passages), False, query.language, evidence.score, self.name
        )


# -- a rule asked about at an earlier date ---------------------------------------------------------------------


def note_later_rules(
    answer: AnswerT, query: NormalizedQuery, later: Mapping[str, Sequence[Passage]], prompts: PromptLibrary
) -> AnswerT:
    """``answer`` with one note per cited source that applied at the date asked about (its passages are current
    for the request) but no longer applies today, in place of its generic validity warnings: since when and by
    which document it was replaced, and what the newer text now says where the first of its clauses was quoted
    ("nay là 05 ngày làm việc"), cited, taken from ``later`` (doc_id of the old source → the best passages of the
    documents now in force that replaced it)."""
    if answer.abstained or answer.composer == "catalog":
        return answer
    by_chunk = {p.chunk.chunk_id: p for p in answer.passages}
    stale: dict[str, list[Citation]] = {}
    for citation in answer.citations:
        passage = by_chunk.get(citation.chunk_id)
        if passage is not None and passage.current and not passage.document.is_current():
            stale.setdefault(passage.document.doc_id, []).append(citation)
    if not stale:
        return answer
    lines = answer.text.split("\n")
    citations = list(answer.citations)
    passages = list(answer.passages)

    def render(key: str, **values: str) -> str:
        return prompts.render("answer", query.language, key, **values)

    when_day = query.time_frame.on if query.time_frame else None
    when = render("as_of_when", date=short_date(when_day)) if when_day else render("as_of_when_unknown")
    notes: dict[int, str] = {}
    for group in stale.values():
        first = group[0]
        doc = by_chunk[first.chunk_id].document
        markers = ", ".join(f"[{c.n}]" for c in group)
        if doc.superseded_by:
            successors = list(later.get(doc.doc_id, ()))
            quoted = next((ln for ln in lines if ln.endswith(f"[{first.n}]")), first.snippet)
            now, cited = _now_part(query, quoted, successors, len(citations) + 1, render)
            if cited is not None:
                citations.append(cited[0])
                if cited[1] not in passages:
                    passages.append(cited[1])
            since_day = doc.superseded_since or next(
                (p.document.effective_date for p in successors if p.document.effective_date), None
            )
            note = render(
                "as_of_replaced",
                markers=markers,
                when=when,
                how=_how(doc.number, successors, render),
                by=", ".join(_successor_name(number, successors) for number in doc.superseded_by),
                since=render("as_of_since", date=short_date(since_day)) if since_day else "",
                now=now,
            )
        else:
            expiry = render("as_of_expired_since", date=short_date(doc.expiry_date)) if doc.expiry_date else ""
            note = render("as_of_expired", markers=markers, when=when, document=document_name(doc), since=expiry)
        warned = [c.warning for c in group if c.warning and c.warning in lines]
        if warned:
            lines[lines.index(warned[0])] = note
            lines = [ln for ln in lines if ln not in warned[1:]]
        else:
            lines.append(note)
        notes.update((c.n, note) for c in group)
    citations = [dataclasses.replace(c, warning=notes[c.n]) if c.n in notes else c for c in citations]
    return dataclasses.replace(answer, text="\n".join(lines), citations=tuple(citations), passages=tuple(passages))


def _successor_name(number: str, successors: Sequence[Passage]) -> str:
    doc = next((p.document for p in successors if number_key(p.document.number) == number_key(number)), None)
    return document_name(doc) if doc is not None else number


def _how(number: str, successors: Sequence[Passage], render: Callable[..., str]) -> str:
    kinds = {r.kind for p in successors for r in p.document.relations if number_key(r.target) == number_key(number)}
    if kinds == {RelationKind.REPEALS}:
        return render("as_of_how_repealed")
    if RelationKind.REPLACES in kinds:
        return render("as_of_how_replaced")
    return render("as_of_how_unknown")


def _without_rewritten(top: list[Passage], groups: list[list[Unit]]) -> list[list[Unit]]:
    """``groups`` without a clause that another quoted clause rewrites (an amending decision's "Sửa đổi khoản 1
    Điều 6 như sau: …" over the old khoản 1 Điều 6): the old text is dead. When it was the lead, the clause
    rewriting it leads instead."""

    def rewritten_by(group: list[Unit]) -> list[Unit] | None:
        passage = top[group[0].passage_index]
        clause = passage.chunk.clause or locate(passage.chunk.text, group[0].text).clause
        return next(
            (g for g in groups if g is not group and rewrites_clause(top[g[0].passage_index], passage, clause)), None
        )

    if not groups:
        return groups
    lead = rewritten_by(groups[0]) or groups[0]
    return [lead, *(g for g in groups[1:] if g is not lead and rewritten_by(g) is None)]


def _now_part(
    query: NormalizedQuery, quoted: str, successors: Sequence[Passage], n: int, render: Callable[..., str]
) -> tuple[str, tuple[Citation, Passage] | None]:
    """What the newer text says where the old one was quoted: the sentence of ``successors`` sharing the most words
    with ``quoted``, as the fact asked for when it states one; ("", None) when none shares a word."""
    words = content_tokens(MARKER.sub("", quoted))
    best: tuple[float, Unit, Passage] | None = None
    for i, passage in enumerate(successors):
        for unit in split_units(i, passage.chunk.text):
            score = lexical_overlap(words, unit.text)
            if score > 0 and (best is None or score > best[0]):
                best = (score, unit, passage)
    if best is None:
        return "", None
    _, unit, passage = best
    sentence = strip_marker(unit.text)
    kind, noun = query.answer_type, query.counted_noun or None
    fact = fact_span(kind, noun, sentence, query.terms) if kind is not AnswerType.NONE else ""
    old = fact_span(kind, noun, strip_marker(MARKER.sub("", quoted).split(": ", 1)[-1]), query.terms) if fact else ""
    if fact and old and fact.casefold() == old.casefold():
        now = render("as_of_now_same", fact=fact, m=str(n))
    elif fact:
        now = render("as_of_now", fact=fact[:1].lower() + fact[1:], m=str(n))
    else:
        now = render("as_of_now_quote", sentence=sentence[:300], m=str(n))
    citation = build_citation(n, passage, unit.text, locate(passage.chunk.text, unit.text))
    return now, (citation, passage)
