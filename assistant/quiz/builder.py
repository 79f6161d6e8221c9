"""Trainer mode's façade for the API and the CLI: the clauses a bank is drawn from, a checked bank, a lesson.

Everything is read through :class:`assistant.service.AssistantService` as the caller sees it, so a clause, an
option or a quoted sentence of a document the caller may not see never reaches an item.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.errors import DocumentNotFound, NoQuizSource
from assistant.quiz.currency import changed_provisions, dissolved_body, is_changed
from assistant.quiz.facts import extract_facts
from assistant.quiz.generate import generate_items
from assistant.quiz.lesson import build_lesson
from assistant.quiz.model import BankAudience, CheckResult, Difficulty, Fact, ItemKind, Lesson, QuizItem
from assistant.quiz.verify import check_bank
from assistant.service import AssistantService
from assistant.text.amendments import Target
from assistant.text.numbers import number_key
from assistant.types import Chunk, DocumentMeta, Principal

__all__ = ["GeneratedBank", "QuizBuilder", "bank_audience"]

logger = logging.getLogger(__name__)

_TOPIC_PASSAGES = 10


@dataclass(frozen=True)
class GeneratedBank:
    """Items that passed every check, the checks of every item generated on the way (``rejected`` counts those
    that failed), the documents the items cite and who may see the bank."""

    items: tuple[QuizItem, ...]
    checks: tuple[CheckResult, ...]
    doc_ids: tuple[str, ...]
    audience: BankAudience

    @property
    def rejected(self) -> int:
        return sum(not check.passed for check in self.checks)


def bank_audience(docs: Sequence[DocumentMeta]) -> BankAudience:
    """The strictest visibility of ``docs``: restricted (the allowed units and roles every restricted document
    shares), else unit-only (one unit; documents of several units make it restricted to no unit, i.e. admins),
    else public."""
    restricted = [d for d in docs if d.visibility == "restricted"]
    units = list(dict.fromkeys(d.unit for d in docs if d.visibility == "unit"))
    if restricted:
        allowed_units = set(restricted[0].allowed_units).intersection(*(d.allowed_units for d in restricted[1:]))
        allowed_roles = set(restricted[0].allowed_roles).intersection(*(d.allowed_roles for d in restricted[1:]))
        if units:
            allowed_units &= set(units)
        return BankAudience("restricted", (units or [restricted[0].unit])[0], tuple(sorted(allowed_units)),
                            tuple(sorted(allowed_roles)))  # fmt: skip
    if len(units) > 1:
        return BankAudience("restricted", units[0])
    if units:
        return BankAudience("unit", units[0])
    return BankAudience()


class QuizBuilder:
    """Draws question banks and lessons from the documents a caller may see; deterministic for a seed."""

    def __init__(self, service: AssistantService, *, seed: int = 0) -> None:
        self.service = service
        self.seed = seed

    def _documents(self, principal: Principal, doc_ids: Sequence[str], topic: str) -> list[DocumentMeta]:
        if doc_ids:
            found = []
            for doc_id in dict.fromkeys(doc_ids):
                try:
                    found.append(self.service.document(doc_id, principal=principal)[0])
                except DocumentNotFound:
                    logger.info("quiz source %s is missing or hidden from %s", doc_id, principal.user_id)
            return found
        if topic:
            result = self.service.search(topic, principal=principal, top_k=_TOPIC_PASSAGES)
            ranked = dict.fromkeys(p.document.doc_id for p in result.passages)
            return [self.service.document(doc_id, principal=principal)[0] for doc_id in ranked]
        return self.service.documents(principal=principal)

    def sources(
        self,
        principal: Principal,
        *,
        doc_ids: Sequence[str] = (),
        topic: str = "",
        doc_types: Sequence[str] = (),
        unit: str = "",
        limit: int = 400,
    ) -> list[tuple[Chunk, DocumentMeta]]:
        """The chunks to draw from, document by document in order: the named documents, else those a topic search
        finds, else every document, kept when Vietnamese and of the given types and owning unit; only documents
        ``principal`` may see. NoQuizSource when none is left."""
        types = {t.casefold() for t in doc_types}
        chosen: list[tuple[Chunk, DocumentMeta]] = []
        for doc in self._documents(principal, doc_ids, topic):
            if doc.language != "vi" or (types and doc.doc_type.casefold() not in types) or (unit and doc.unit != unit):
                continue
            _, chunks = self.service.document(doc.doc_id, principal=principal)
            chosen.extend((chunk, doc) for chunk in sorted(chunks, key=lambda c: c.ordinal))
        if not chosen:
            raise NoQuizSource(_describe(doc_ids, topic, doc_types, unit))
        return chosen[:limit]

    def _pool(self, principal: Principal, sources: Sequence[DocumentMeta], include_not_current: bool) -> list[Fact]:
        """Facts wrong options may come from: the public documents the caller sees and the source documents
        themselves, so a bank's options never carry text stricter than its audience; never a body that no longer
        exists."""
        own = {d.doc_id for d in sources}
        facts: list[Fact] = []
        for doc in self.service.documents(
            principal=principal,
        ):
            if doc.language != "vi" or not (doc.visibility == "public" or doc.doc_id in own):
                continue
            if not include_not_current and not doc.is_current():
                continue
            _, chunks = self.service.document(doc.doc_id, principal=principal)
            for chunk in chunks:
                facts.extend(f for f in extract_facts(chunk, doc) if not dissolved_body(f.value))
        return facts

    def _changed(self, principal: Principal, doc: DocumentMeta) -> tuple[Target, ...]:
        """The provisions of ``doc`` that the amending documents ``principal`` sees repeal or rewrite."""
        amending = {number_key(n) for n in doc.amended_by}
        changed: list[Target] = []
        for other in self.service.documents(principal=principal):
            if other.number and number_key(other.number) in amending:
                changed += changed_provisions(other, self.service.document(other.doc_id, principal=principal)[1])
        return tuple(changed)

    def generate(
        self,
        principal: Principal,
        *,
        doc_ids: Sequence[str] = (),
        topic: str = "",
        doc_types: Sequence[str] = (),
        unit: str = "",
        count: int = 20,
        kinds: Sequence[ItemKind] = tuple(ItemKind),
        difficulty: Difficulty | None = None,
        include_not_current: bool = False,
    ) -> GeneratedBank:
        """Up to ``count`` items drawn from :meth:`sources`. Only items that pass every check of
        :func:`assistant.quiz.verify.check_bank` are returned; the checks of the failing ones are kept in
        ``checks``. Documents that are replaced or expired are not drawn from unless ``include_not_current``,
        and then their items carry the flag "source_not_current"."""
        if count <= 0:
            raise ValueError(f"count must be > 0, got {count}")
        chosen = self.sources(principal, doc_ids=doc_ids, topic=topic, doc_types=doc_types, unit=unit)
        docs = {doc.doc_id: doc for _, doc in chosen}
        not_current = frozenset(d for d, doc in docs.items() if not doc.is_current())
        changed = {doc_id: self._changed(principal, doc) for doc_id, doc in docs.items() if doc.amended_by}
        answers = [
            fact
            for chunk, doc in chosen
            if include_not_current or doc.doc_id not in not_current
            for fact in extract_facts(chunk, doc)
            if not is_changed(fact.source.path, changed.get(doc.doc_id, ())) and not dissolved_body(fact.sentence)
        ]
        if not answers:
            what = "các văn bản tìm được đã hết hiệu lực hoặc bị thay thế" if not_current else "không có dữ kiện"
            raise NoQuizSource(f"{_describe(doc_ids, topic, doc_types, unit)}; {what}")
        pool = self._pool(principal, list(docs.values()), include_not_current)
        candidates = generate_items(
            answers, pool, kinds=kinds, difficulty=difficulty, seed=self.seed, topic=topic,
            not_current=not_current, related=frozenset(docs), limit=count * 3,
        )  # fmt: skip
        items: list[QuizItem] = []
        checks: list[CheckResult] = []
        for item, check in zip(candidates, check_bank(candidates), strict=True):
            if len(items) == count:
                break
            checks.append(check)
            if check.passed:
                items.append(item)
            else:
                logger.info("quiz item %s rejected: %s", item.item_id, "; ".join(check.problems))
        if not items:
            raise NoQuizSource(
                f"{_describe(doc_ids, topic, doc_types, unit)}: không câu hỏi nào qua được kiểm tra "
                f"({len(checks)} câu đã thử); hãy chọn thêm văn bản hoặc thêm loại câu hỏi"
            )
        used = tuple(dict.fromkeys(s.doc_id for item in items for s in item.sources))
        return GeneratedBank(tuple(items), tuple(checks), used, bank_audience([docs[d] for d in used]))

    def lesson(self, principal: Principal, topic: str, *, n: int = 5) -> Lesson:
        """The key rules of ``topic`` from the passages a search finds, current documents only."""
        result = self.service.search(topic, principal=principal, top_k=_TOPIC_PASSAGES)
        passages = [
            (p.chunk, p.document) for p in result.passages if p.document.is_current() and p.document.language == "vi"
        ]
        if not passages:
            raise NoQuizSource(_describe((), topic, (), ""))
        return build_lesson(topic, passages, n=n)


def _describe(doc_ids: Sequence[str], topic: str, doc_types: Sequence[str], unit: str) -> str:
    parts = []
    if doc_ids:
        parts.append(f"văn bản {', '.join(doc_ids)}")
    if topic:
        parts.append(f"chủ đề «{topic}»")
    if doc_types:
        parts.append(f"loại {', '.join(doc_types)}")
    if unit:
        parts.append(f"đơn vị {unit}")
    return ", ".join(parts) or "toàn bộ kho văn bản"
