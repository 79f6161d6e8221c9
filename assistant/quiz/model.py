"""The types of trainer mode: a fact taken from one clause, the items built on it, banks of items and lessons.

Every item and lesson point cites the clause it comes from (``SourceRef``); exports, the store, the API and the
UI read these types and nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from assistant.types import Visibility


class FactKind(StrEnum):
    """The kind of fact an item asks for."""

    AMOUNT = "amount"  # số tiền, mức phí: "50.000 đồng"
    DURATION = "duration"  # thời hạn: "03 ngày làm việc", "24 giờ"
    DATE = "date"  # ngày, hạn chót: "trước ngày 15/12 hằng năm", "01/7/2025"
    COUNT = "count"  # số lượng: "02 bộ hồ sơ", "ít nhất một lần mỗi năm"
    AGENCY = "agency"  # cơ quan, người có trách nhiệm: "Sở Thông tin và Truyền thông"
    STEP = "step"  # a step of a procedure, in order
    CONDITION = "condition"  # điều kiện, trường hợp


class ItemKind(StrEnum):
    MULTIPLE_CHOICE = "multiple_choice"  # 4 options, one right
    TRUE_FALSE = "true_false"
    FILL_BLANK = "fill_blank"  # short answer: the fact blanked out of the clause
    MATCHING = "matching"  # e.g. thủ tục ↔ thời hạn


class Difficulty(StrEnum):
    RECALL = "recall"  # recall a stated fact; distractors from other documents
    DISCRIMINATE = "discriminate"  # tell similar rules apart; distractors from the same document or same topic


class ReviewStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class SourceRef:
    """The clause an item or lesson point is taken from, with what a citation needs."""

    chunk_id: str
    doc_id: str
    number: str  # số hiệu, e.g. "12/HD-STTTT"; empty when the document has none
    title: str
    doc_type: str
    path: str  # "điểm a khoản 2 Điều 5" or "khoản 2 mục II — Gia hạn"
    page: int | None
    text: str  # the clause text, for quoting

    @property
    def citation(self) -> str:
        """ "khoản 2 Điều 5, Quyết định số 35/2025/QĐ-UBND, tr. 3" — the way the answers cite."""
        document = f"{self.doc_type} số {self.number}" if self.number and self.doc_type else self.number or self.title
        parts = [part for part in (self.path, document) if part]
        if self.page is not None:
            parts.append(f"tr. {self.page}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Fact:
    """One fact of one clause: ``value`` as written in ``sentence`` (``sentence`` contains ``value`` verbatim)."""

    kind: FactKind
    value: str
    sentence: str
    source: SourceRef
    key: str = ""  # the value folded for comparison (no diacritics, lower case, leading zeros dropped)
    subject: str = ""  # what the fact is about, e.g. "đề nghị gia hạn chứng thư" (used by matching items)
    lead: str = ""  # the clause's lead-in when ``sentence`` is a later part of it: "Tầm nhìn đến năm 2045"
    opening: str = ""  # the clause's first sentence when ``sentence`` is a later one (its subject carries over)
    title: str = ""  # the article's or heading's title: "Nhiệm vụ, quyền hạn của Trưởng đoàn"


@dataclass(frozen=True)
class MatchPair:
    left: str  # e.g. the procedure or duty
    right: str  # e.g. its time limit
    source: SourceRef


@dataclass(frozen=True)
class QuizItem:
    """One generated item. ``options``/``correct`` for multiple choice and true/false, ``answers`` (accepted
    spellings) for fill-in-the-blank, ``pairs`` for matching; ``explanation`` quotes the cited clause."""

    item_id: str  # stable: a hash of kind, stem and sources
    kind: ItemKind
    stem: str
    explanation: str
    sources: tuple[SourceRef, ...]
    fact_kind: FactKind
    difficulty: Difficulty = Difficulty.RECALL
    options: tuple[str, ...] = ()
    correct: tuple[int, ...] = ()  # indexes into options
    answers: tuple[str, ...] = ()
    pairs: tuple[MatchPair, ...] = ()
    topic: str = ""
    flags: tuple[str, ...] = ()  # e.g. "source_not_current": the cited document is replaced or expired
    status: ReviewStatus = ReviewStatus.PENDING
    rephrased: bool = False  # the stem was rephrased by the optional LLM backend (and re-checked)

    @property
    def citation(self) -> str:
        return "; ".join(source.citation for source in self.sources)


@dataclass(frozen=True)
class CheckResult:
    """The automatic checks of one item: ``passed`` only when ``problems`` is empty."""

    item_id: str
    problems: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class LessonPoint:
    text: str  # one key rule, a sentence of the clause or its fact-first restatement
    source: SourceRef


@dataclass(frozen=True)
class Lesson:
    """ "5 điều cần nhớ về …": key rules as cited points in the order of the documents' structure."""

    title: str
    topic: str
    points: tuple[LessonPoint, ...]


@dataclass(frozen=True)
class BankAudience:
    """Who may see a bank: the strictest visibility of its source documents (a bank built from unit-only documents
    is unit-only); the store also checks every source document against the caller when a bank is read."""

    visibility: Visibility = "public"
    unit: str = ""
    allowed_units: tuple[str, ...] = ()
    allowed_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuizBank:
    bank_id: str
    title: str
    topic: str
    owner: str  # user id of the trainer
    unit: str  # the trainer's unit the bank is saved under
    items: tuple[QuizItem, ...]
    doc_ids: tuple[str, ...]  # the source documents of every item
    audience: BankAudience = field(default_factory=BankAudience)
    version: int = 1
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
