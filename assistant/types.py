"""Shared types: the frozen dataclasses that cross module boundaries and the Protocols of pluggable parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from assistant.text.legal_grammar import OUTLINE_ITEM

Vectors = npt.NDArray[np.float32]


class Validity(StrEnum):
    """Tình trạng hiệu lực of a document."""

    IN_FORCE = "in_force"  # còn hiệu lực
    PARTLY_EXPIRED = "partly_expired"  # hết hiệu lực một phần
    EXPIRED = "expired"  # hết hiệu lực toàn bộ
    NOT_YET = "not_yet_in_force"  # chưa có hiệu lực
    UNKNOWN = "unknown"

    @property
    def label_vi(self) -> str:
        return _VALIDITY_VI[self]


_VALIDITY_VI = {
    Validity.IN_FORCE: "còn hiệu lực",
    Validity.PARTLY_EXPIRED: "hết hiệu lực một phần",
    Validity.EXPIRED: "hết hiệu lực toàn bộ",
    Validity.NOT_YET: "chưa có hiệu lực",
    Validity.UNKNOWN: "chưa rõ hiệu lực",
}


class AnswerType(StrEnum):
    """The kind of fact a question asks for (assistant.text.answer_type decides it)."""

    MONEY = "money"
    DURATION = "duration"
    DATE = "date"
    QUANTITY = "quantity"
    WHO = "who"
    WHERE = "where"
    NONE = "none"


class RelationKind(StrEnum):
    REPLACES = "replaces"  # thay thế
    AMENDS = "amends"  # sửa đổi, bổ sung
    REPEALS = "repeals"  # bãi bỏ
    GUIDES = "guides"  # hướng dẫn


Visibility = Literal["public", "unit", "restricted"]
Language = Literal["vi", "en"]


@dataclass(frozen=True, slots=True)  # a province's shelf holds 10⁵–10⁶ of these
class Relation:
    """This document ``kind`` the document numbered ``target`` (a số hiệu such as ``30/2020/NĐ-CP``)."""

    kind: RelationKind
    target: str


@dataclass(frozen=True, slots=True)  # a province's shelf holds 10⁵–10⁶ of these
class DocumentMeta:
    """Metadata of one ingested document; empty fields were neither in the sidecar nor in the header."""

    doc_id: str
    title: str
    number: str = ""  # số hiệu
    doc_type: str = ""  # loại văn bản, e.g. "Nghị quyết", "Quyết định", "Thủ tục hành chính"
    issuer: str = ""  # cơ quan ban hành
    issued_date: dt.date | None = None
    effective_date: dt.date | None = None
    expiry_date: dt.date | None = None
    status: Validity = Validity.UNKNOWN
    relations: tuple[Relation, ...] = ()
    superseded_by: tuple[str, ...] = ()  # số hiệu of newer documents that replace or repeal this one
    amended_by: tuple[str, ...] = ()  # số hiệu of newer documents that amend (sửa đổi, bổ sung) this one
    superseded_since: dt.date | None = None  # when the earliest replacing document took effect (None: unknown)
    unit: str = ""  # owning unit code
    visibility: Visibility = "public"
    allowed_units: tuple[str, ...] = ()
    allowed_roles: tuple[str, ...] = ()
    language: Language = "vi"
    source_path: str = ""  # path of the stored source copy, relative to the sources folder
    source_format: str = ""
    content_hash: str = ""
    sample: bool = False

    def is_current(self, as_of: dt.date | None = None) -> bool:
        """True when the document is in force (or partly) and not superseded; at ``as_of`` when given, judged by
        its dates (effective, expiry, and when its replacement took effect) instead of today's status."""
        if as_of is None:
            return not self.superseded_by and self.status not in (Validity.EXPIRED, Validity.NOT_YET)
        if self.superseded_by and (self.superseded_since is None or as_of >= self.superseded_since):
            return False
        if self.status == Validity.EXPIRED and self.expiry_date is None and not self.superseded_by:
            return False
        if self.effective_date and as_of < self.effective_date:
            return False
        if self.issued_date and as_of < self.issued_date:
            return False
        return not (self.expiry_date and as_of >= self.expiry_date)


BlockKind = Literal["heading", "paragraph", "table", "list_item"]


@dataclass(frozen=True)
class Block:
    """A piece of loaded text with the page it came from (1-based; None for formats without pages)."""

    text: str
    page: int | None = None
    kind: BlockKind = "paragraph"
    level: int | None = None  # heading level when known (HTML h1..h6, Markdown #, DOCX Heading n)


@dataclass(frozen=True)
class LoadedDocument:
    """The text of a file as a loader produced it, before structure parsing."""

    path: Path
    source_format: str  # "pdf", "pdf-ocr", "docx", "html", "md", "txt"
    blocks: tuple[Block, ...]
    page_count: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


_OUTLINE_KIND = {"roman": "mục", "digit": "khoản", "letter": "điểm"}


def outline_label(heading_path: Sequence[str]) -> str:
    """A plan's or a Party resolution's position, cited the way Điều/khoản/điểm are: ("IV. NƠI NỘP…",
    "3. Lệ phí cấp giấy phép…") → "khoản 3 mục IV — Lệ phí cấp giấy phép…". Empty when a heading is not numbered
    ("Phần mở đầu")."""
    labels: list[str] = []
    title = ""
    for heading in heading_path:
        m = OUTLINE_ITEM.match(heading.strip())
        if m is None:
            return ""
        word, number, title = m.group(1), m.group(2), m.group(3)
        if word:
            kind = word.lower()
        elif number.isdigit():
            kind = _OUTLINE_KIND["digit"]
        elif number.isupper():
            kind = _OUTLINE_KIND["roman"]
        else:
            kind = _OUTLINE_KIND["letter"]
        labels.append(f"{kind} {number}")
    if not labels:
        return ""
    label = " ".join(reversed(labels))
    title = title.split(":")[0].strip()
    if len(title) > 48:
        title = title[:48].rsplit(" ", 1)[0] + "…"
    return f"{label} — {title}" if title else label


@dataclass(frozen=True, slots=True)  # a province's shelf holds 10⁵–10⁶ of these
class Chunk:
    """An article- or clause-level piece of a document, the unit of retrieval."""

    chunk_id: str  # stable: "<doc_id>:<structural slug>", e.g. "nd-30-2020:dieu-5-khoan-2"
    doc_id: str
    ordinal: int
    text: str  # original text, for display
    heading_path: tuple[str, ...] = ()  # ("Chương II", "Điều 5", "Khoản 2")
    heading: str = ""  # the article's own heading, e.g. "Điều 5. Hồ sơ đề nghị"
    article: str = ""  # "5"
    clause: str = ""  # "2"
    point: str = ""  # "a"
    page_start: int | None = None
    page_end: int | None = None
    content_hash: str = ""

    @property
    def path_label(self) -> str:
        """The citation path in Vietnamese order: "điểm a khoản 2 Điều 5"; the heading path when not a legal unit."""
        parts = []
        if self.point:
            parts.append(f"điểm {self.point}")
        if self.clause:
            parts.append(f"khoản {self.clause}")
        if self.article:
            parts.append(f"Điều {self.article}")
        if parts:
            return " ".join(parts)
        return outline_label(self.heading_path) or " › ".join(self.heading_path)


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the document it belongs to and how it scored."""

    chunk: Chunk
    document: DocumentMeta
    score: float
    rank: int
    scores: dict[str, float] = field(default_factory=dict, compare=False, hash=False)
    current: bool = True


@dataclass(frozen=True)
class Citation:
    """One ``[n]`` marker of an answer resolved to its source."""

    n: int
    chunk_id: str
    doc_id: str
    title: str
    number: str
    path: str  # "điểm a khoản 2 Điều 5"
    page: int | None
    snippet: str
    url: str
    status: Validity
    current: bool
    warning: str = ""


@dataclass(frozen=True)
class Evidence:
    """How strongly the ranked passages support an answer: P(answerable) from the answerability model (or the
    fallback heuristic's score) and the threshold below which the assistant says there is no basis."""

    score: float
    threshold: float
    model: str = "answerability"
    uncovered: tuple[str, ...] = ()  # places the question names that the best passage's text does not cover

    @property
    def answerable(self) -> bool:
        return self.score >= self.threshold and not self.uncovered


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    abstained: bool
    language: Language
    evidence: float
    composer: str = "extractive"


@dataclass(frozen=True)
class Principal:
    """Who is asking: their units and roles decide which documents they may see.

    ``units`` are the units the caller is a member of; ``unit_scope`` adds every unit below them in the unit tree
    (``assistant.accounts.units.UnitTree.expand``), whose unit-only documents the caller may also see.
    """

    user_id: str = "anonymous"
    units: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    unit_scope: frozenset[str] = frozenset()

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def may_see(self, doc: DocumentMeta) -> bool:
        """Visibility rule: public to all; unit docs to members of the unit or of a unit above it; restricted
        docs only to members of the units named in ``allowed_units`` (exactly: the tree does not widen a named
        list) and to holders of the roles named in ``allowed_roles``; admins see everything."""
        if self.is_admin or doc.visibility == "public":
            return True
        named = bool(self.units & set(doc.allowed_units))
        if doc.visibility == "unit":
            return (bool(doc.unit) and (doc.unit in self.units or doc.unit in self.unit_scope)) or named
        return named or bool(self.roles & set(doc.allowed_roles))


ANONYMOUS = Principal()
SYSTEM = Principal(user_id="system", roles=frozenset({"admin"}))


@dataclass(frozen=True)
class SearchFilters:
    """Request filters; applied before ranking so a filtered-out chunk never reaches any result."""

    doc_types: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    in_force_only: bool = False
    as_of: dt.date | None = None
    exclude_doc_ids: tuple[str, ...] = ()  # evaluation: answer as if these documents were not on the shelf

    def accepts(self, doc: DocumentMeta) -> bool:
        if self.exclude_doc_ids and doc.doc_id in self.exclude_doc_ids:
            return False
        if self.doc_types and doc.doc_type.casefold() not in {t.casefold() for t in self.doc_types}:
            return False
        if self.issuers and not any(i.casefold() in doc.issuer.casefold() for i in self.issuers):
            return False
        if self.doc_ids and doc.doc_id not in self.doc_ids:
            return False
        if self.as_of is not None and doc.issued_date and doc.issued_date > self.as_of:
            return False
        if self.in_force_only and not doc.is_current(self.as_of):
            return False
        return True


DocumentQuestion = Literal["", "replaces", "replaced_by", "amends", "amended_by", "validity", "issuer", "issued_order"]


@dataclass(frozen=True)
class TimeFrame:
    """The time a question sets its rule at (assistant.text.as_of): a day ("Năm 2023, …" → 2023-01-01), or the
    day a document named in the question took effect ("trước khi Quy chế 2025 có hiệu lực": the day before)."""

    on: dt.date | None = None
    document: str = ""  # folded name of that document ("quy che 2025", "35/2025/qd-ubnd"), resolved on the shelf
    before: bool = False  # the day before ``document`` took effect (else the day it did)
    phrase: str = ""  # the words that set the time, folded


@dataclass(frozen=True)
class NormalizedQuery:
    """A question analysed once (assistant.text.query.QueryNormalizer): the forms each retriever uses, and what
    the ranker, the answerability model and the composer need to know about it."""

    original: str  # this turn, as asked
    text: str  # NFC, tone-normalised, abbreviations expanded ("(thời hạn)" added to a time-limit question); a
    # follow-up is preceded by its context
    dense_text: str  # text with diacritics restored when the input had none
    language: Language
    restored: bool = False
    expanded: tuple[str, ...] = ()
    answer_type: AnswerType = AnswerType.NONE  # the kind of fact asked for
    counted_noun: str = ""  # "công trình" in "bao nhiêu công trình" (folded)
    also_asked: tuple[AnswerType, ...] = ()  # other kinds this turn asks for ("bao lâu và lệ phí bao nhiêu")
    numbers: tuple[str, ...] = ()  # keys of the số hiệu named (assistant.text.numbers.number_key)
    terms: tuple[str, ...] = ()  # folded content syllables of ``text`` (context included)
    focus: tuple[str, ...] = ()  # folded content syllables of this turn alone
    entities: tuple[str, ...] = ()  # folded names of places, units and agencies the question names
    years: tuple[str, ...] = ()  # four-digit years named
    context: str = ""  # the earlier question a follow-up was read with ("" when self-contained)
    translated: tuple[str, ...] = ()  # Vietnamese glossary terms added to an English question
    document_question: DocumentQuestion = ""  # asks about a named document itself (its relations, validity…)
    time_frame: TimeFrame | None = None  # the time the rule is asked at; the service sets ``on`` to the date used
    options: tuple[tuple[str, ...], ...] = ()  # folded content syllables of each option a multiple-choice one lists

    @property
    def is_follow_up(self) -> bool:
        return bool(self.context)


@dataclass(frozen=True)
class AskedPart:
    """Another thing one question asks ("… mất bao lâu và lệ phí bao nhiêu?": the time limit beside the fee),
    searched on its own: the kind of fact, that part as a query, and the passages found for it."""

    kind: AnswerType
    query: NormalizedQuery
    passages: tuple[Passage, ...]


# --- Protocols -----------------------------------------------------------------------------------


@runtime_checkable
class Embedder(Protocol):
    """Turns text into L2-normalised vectors; ``load()`` must be called before embedding."""

    name: str

    @property
    def dim(self) -> int: ...

    def load(self) -> None: ...

    def embed_queries(self, texts: Sequence[str]) -> Vectors: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...


class VectorIndex(Protocol):
    """Inner-product search over vectors keyed by int64 ids, restricted to an allowed id set."""

    @property
    def dim(self) -> int: ...

    def __len__(self) -> int: ...

    def add(self, ids: npt.NDArray[np.int64], vectors: Vectors) -> None: ...

    def remove(self, ids: npt.NDArray[np.int64]) -> None: ...

    def search(
        self, query: Vectors, k: int, allowed: npt.NDArray[np.int64] | None = None
    ) -> list[tuple[int, float]]: ...

    def save(self, path: Path) -> None: ...


class LexicalIndex(Protocol):
    """Term-matching search (BM25) over rows ``0..n-1``, restricted to an allowed row mask."""

    def __len__(self) -> int: ...

    def build(self, texts: Sequence[str], counted: Sequence[bool] | None = None) -> None: ...

    def search(
        self, query: str, k: int, allowed_mask: npt.NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]: ...

    def save(self, path: Path) -> None: ...


class AnswerComposer(Protocol):
    name: str

    def compose(
        self, query: NormalizedQuery, passages: Sequence[Passage], evidence: Evidence, parts: Sequence[AskedPart] = ()
    ) -> Answer: ...
