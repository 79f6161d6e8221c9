"""Request and response bodies of the trainer-mode routes (/v1/quiz/…)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from assistant.quiz.model import (
    Difficulty,
    ItemKind,
    Lesson,
    QuizBank,
    QuizItem,
    ReviewStatus,
    SourceRef,
)
from assistant.quiz.practice import Graded, PracticeItem

ShortText = Annotated[str, StringConstraints(max_length=500)]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class SourceOut(BaseModel):
    chunk_id: str
    doc_id: str
    number: str
    title: str
    doc_type: str
    path: str
    page: int | None
    citation: str = Field(description='"khoản 2 Điều 5, Quyết định số 35/2025/QĐ-UBND, tr. 3"')
    text: str = Field(description="The cited clause")

    @classmethod
    def from_core(cls, source: SourceRef) -> SourceOut:
        return cls(
            chunk_id=source.chunk_id, doc_id=source.doc_id, number=source.number, title=source.title,
            doc_type=source.doc_type, path=source.path, page=source.page, citation=source.citation, text=source.text,
        )  # fmt: skip


class PairOut(BaseModel):
    left: str
    right: str
    citation: str


class ItemOut(BaseModel):
    item_id: str
    kind: ItemKind
    stem: str
    options: list[str]
    correct: list[int] = Field(description="Indexes of the right options (multiple choice, true/false)")
    answers: list[str] = Field(description="Accepted answers (fill-in-the-blank)")
    pairs: list[PairOut] = Field(description="Matching pairs, in the right order")
    explanation: str
    citation: str
    sources: list[SourceOut]
    fact_kind: str
    difficulty: Difficulty
    topic: str
    flags: list[str]
    status: ReviewStatus

    @classmethod
    def from_core(cls, item: QuizItem) -> ItemOut:
        return cls(
            item_id=item.item_id, kind=item.kind, stem=item.stem, options=list(item.options),
            correct=list(item.correct), answers=list(item.answers),
            pairs=[PairOut(left=p.left, right=p.right, citation=p.source.citation) for p in item.pairs],
            explanation=item.explanation, citation=item.citation,
            sources=[SourceOut.from_core(s) for s in item.sources], fact_kind=str(item.fact_kind),
            difficulty=item.difficulty, topic=item.topic, flags=list(item.flags), status=item.status,
        )  # fmt: skip


class AudienceOut(BaseModel):
    visibility: str
    unit: str
    allowed_units: list[str]
    allowed_roles: list[str]


class BankOut(BaseModel):
    bank_id: str
    title: str
    topic: str
    owner: str
    unit: str
    version: int
    audience: AudienceOut
    doc_ids: list[str]
    items: list[ItemOut]
    created_at: dt.datetime | None
    updated_at: dt.datetime | None

    @classmethod
    def from_core(cls, bank: QuizBank) -> BankOut:
        a = bank.audience
        return cls(
            bank_id=bank.bank_id, title=bank.title, topic=bank.topic, owner=bank.owner, unit=bank.unit,
            version=bank.version,
            audience=AudienceOut(visibility=a.visibility, unit=a.unit, allowed_units=list(a.allowed_units),
                                 allowed_roles=list(a.allowed_roles)),
            doc_ids=list(bank.doc_ids), items=[ItemOut.from_core(i) for i in bank.items],
            created_at=bank.created_at, updated_at=bank.updated_at,
        )  # fmt: skip


class GenerateRequest(BaseModel):
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description='Tên bộ câu hỏi, ví dụ "Chữ ký số chuyên dùng công vụ — kiểm tra cuối khóa"'
    )
    topic: ShortText = Field("", description='Chủ đề để tìm văn bản nguồn, ví dụ "chữ ký số"')
    doc_ids: list[Identifier] = Field(default_factory=list, max_length=50, description="Văn bản nguồn theo mã")
    doc_types: list[Identifier] = Field(default_factory=list, max_length=20, description='Ví dụ "Hướng dẫn"')
    unit: Annotated[str, StringConstraints(max_length=64)] = Field("", description="Văn bản của đơn vị này")
    count: int = Field(20, ge=1, le=100, description="Số câu cần soạn")
    kinds: list[ItemKind] = Field(default_factory=lambda: list(ItemKind), max_length=4)
    difficulty: Difficulty | None = None
    include_not_current: bool = Field(False, description="Dùng cả văn bản đã bị thay thế/hết hiệu lực (gắn cờ)")


class GenerateResponse(BaseModel):
    bank: BankOut
    checked: int = Field(description="Items generated and checked")
    refused: int = Field(description="Items that failed an automatic check and were left out")
    problems: dict[str, int] = Field(description="Failed checks by name")


class BankSummaryOut(BaseModel):
    bank_id: str
    title: str
    topic: str
    owner: str
    unit: str
    version: int
    items: int
    pending: int
    accepted: int
    rejected: int
    updated_at: dt.datetime | None


class BankList(BaseModel):
    banks: list[BankSummaryOut]


class ReviewRequest(BaseModel):
    status: ReviewStatus
    expected_version: int = Field(ge=1, description="The version the reviewer saw; a newer one is a 409")
    stem: Annotated[str, StringConstraints(min_length=3, max_length=1000)] | None = None
    options: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] | None = Field(None, max_length=6)
    correct: list[int] | None = Field(None, max_length=6)
    answers: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] | None = Field(None, max_length=10)
    explanation: Annotated[str, StringConstraints(max_length=4000)] | None = None


class VersionOut(BaseModel):
    version: int
    updated_at: dt.datetime | None
    editor: str
    note: str


class VersionList(BaseModel):
    versions: list[VersionOut]


class PracticeItemOut(BaseModel):
    item_id: str
    kind: ItemKind
    stem: str
    options: list[str]
    lefts: list[str]
    rights: list[str]

    @classmethod
    def from_core(cls, item: PracticeItem) -> PracticeItemOut:
        return cls(
            item_id=item.item_id, kind=item.kind, stem=item.stem, options=list(item.options),
            lefts=list(item.lefts), rights=list(item.rights),
        )  # fmt: skip


class PracticeOut(BaseModel):
    bank_id: str
    title: str
    version: int
    items: list[PracticeItemOut]


class AnswerIn(BaseModel):
    choice: Annotated[str, StringConstraints(max_length=500)] = ""
    text: Annotated[str, StringConstraints(max_length=500)] = ""
    pairs: dict[
        Annotated[str, StringConstraints(max_length=500)], Annotated[str, StringConstraints(max_length=500)]
    ] = Field(default_factory=dict, max_length=10)


class PracticeSubmit(BaseModel):
    version: int = Field(ge=1)
    answers: dict[Identifier, AnswerIn] = Field(max_length=200)


class GradedOut(BaseModel):
    item_id: str
    stem: str
    correct: bool
    right_answer: str
    explanation: str
    citation: str

    @classmethod
    def from_core(cls, graded: Graded) -> GradedOut:
        item = graded.item
        return cls(
            item_id=item.item_id, stem=item.stem, correct=graded.correct, right_answer=graded.right_answer,
            explanation=item.explanation, citation=item.citation,
        )  # fmt: skip


class PracticeResult(BaseModel):
    score: int
    total: int
    items: list[GradedOut]


class ItemStatOut(BaseModel):
    item_id: str
    stem: str
    attempts: int
    wrong: int


class StatsOut(BaseModel):
    bank_id: str
    unit: str
    items: list[ItemStatOut]


class LessonRequest(BaseModel):
    topic: Annotated[str, StringConstraints(min_length=2, max_length=500)]
    points: int = Field(5, ge=1, le=15)
    format: Literal["json", "docx"] = "json"


class LessonPointOut(BaseModel):
    text: str
    citation: str
    source: SourceOut


class LessonOut(BaseModel):
    title: str
    topic: str
    points: list[LessonPointOut]

    @classmethod
    def from_core(cls, lesson: Lesson) -> LessonOut:
        return cls(
            title=lesson.title,
            topic=lesson.topic,
            points=[
                LessonPointOut(text=p.text, citation=p.source.citation, source=SourceOut.from_core(p.source))
                for p in lesson.points
            ],
        )
