"""Request and response schemas, one pair per endpoint."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from assistant.types import Chunk, Citation, DocumentMeta, Passage, SearchFilters


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_types: list[str] = Field(default_factory=list, description="Loại văn bản, e.g. ['Quyết định']")
    issuers: list[str] = Field(default_factory=list, description="Cơ quan ban hành (substring match)")
    doc_ids: list[str] = Field(default_factory=list)
    in_force_only: bool = Field(False, description="Only documents in force and not superseded")
    as_of: dt.date | None = Field(None, description="Evaluate validity at this date (YYYY-MM-DD)")

    def to_core(self) -> SearchFilters:
        return SearchFilters(
            doc_types=tuple(self.doc_types),
            issuers=tuple(self.issuers),
            doc_ids=tuple(self.doc_ids),
            in_force_only=self.in_force_only,
            as_of=self.as_of,
        )


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=2000)
    filters: Filters | None = None
    top_k: int | None = Field(None, ge=1, le=50)


class AskRequest(SearchRequest):
    top_k: int | None = Field(None, ge=1, le=20)
    history: list[Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=list,
        max_length=10,
        description="Earlier questions of this conversation, oldest first. A follow-up that names no subject of its "
        "own ('còn lệ phí thì sao?', 'văn bản đó còn hiệu lực không?') is read with the last one that did.",
    )


class CitationOut(BaseModel):
    n: int
    chunk_id: str
    doc_id: str
    title: str
    number: str
    path: str
    page: int | None
    snippet: str
    url: str
    status: str
    current: bool
    warning: str

    @classmethod
    def from_core(cls, c: Citation) -> CitationOut:
        return cls(
            n=c.n, chunk_id=c.chunk_id, doc_id=c.doc_id, title=c.title, number=c.number, path=c.path, page=c.page,
            snippet=c.snippet, url=c.url, status=c.status.value, current=c.current, warning=c.warning,
        )  # fmt: skip


class PassageOut(BaseModel):
    rank: int
    score: float
    chunk_id: str
    doc_id: str
    title: str
    number: str
    path: str
    heading: str
    page_start: int | None
    page_end: int | None
    text: str
    current: bool
    status: str
    scores: dict[str, float]

    @classmethod
    def from_core(cls, p: Passage) -> PassageOut:
        return cls(
            rank=p.rank, score=p.score, chunk_id=p.chunk.chunk_id, doc_id=p.document.doc_id, title=p.document.title,
            number=p.document.number, path=p.chunk.path_label, heading=p.chunk.heading, page_start=p.chunk.page_start,
            page_end=p.chunk.page_end, text=p.chunk.text, current=p.current, status=p.document.status.value,
            scores=p.scores,
        )  # fmt: skip


class AskResponse(BaseModel):
    answer: str
    abstained: bool
    language: str
    evidence: float = Field(description="P(answerable) from the answerability model (or the fallback score)")
    threshold: float = Field(description="Below this evidence the assistant says there is no basis")
    follow_up: bool = Field(False, description="Read as a follow-up, with the last earlier question naming a subject")
    composer: str
    citations: list[CitationOut]
    passages: list[PassageOut]
    index_version: str
    timings: dict[str, float]


class SearchResponse(BaseModel):
    passages: list[PassageOut]
    index_version: str
    timings: dict[str, float]


class RelationOut(BaseModel):
    kind: str
    target: str


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    number: str
    doc_type: str
    issuer: str
    issued_date: dt.date | None
    effective_date: dt.date | None
    expiry_date: dt.date | None
    status: str
    status_label: str
    current: bool
    superseded_by: list[str]
    amended_by: list[str]
    relations: list[RelationOut]
    unit: str
    visibility: str
    allowed_units: list[str]
    allowed_roles: list[str]
    language: str
    source_format: str
    source_url: str | None
    sample: bool

    @classmethod
    def from_core(cls, d: DocumentMeta) -> DocumentOut:
        return cls(
            doc_id=d.doc_id, title=d.title, number=d.number, doc_type=d.doc_type, issuer=d.issuer,
            issued_date=d.issued_date, effective_date=d.effective_date, expiry_date=d.expiry_date,
            status=d.status.value,
            status_label=d.status.label_vi, current=d.is_current(), superseded_by=list(d.superseded_by),
            amended_by=list(d.amended_by),
            relations=[RelationOut(kind=r.kind.value, target=r.target) for r in d.relations], unit=d.unit,
            visibility=d.visibility, allowed_units=list(d.allowed_units), allowed_roles=list(d.allowed_roles),
            language=d.language, source_format=d.source_format,
            source_url=f"/v1/documents/{d.doc_id}/source" if d.source_path else None, sample=d.sample,
        )  # fmt: skip


class ChunkOut(BaseModel):
    chunk_id: str
    ordinal: int
    path: str
    heading_path: list[str]
    heading: str
    page_start: int | None
    page_end: int | None
    text: str

    @classmethod
    def from_core(cls, c: Chunk) -> ChunkOut:
        return cls(
            chunk_id=c.chunk_id, ordinal=c.ordinal, path=c.path_label, heading_path=list(c.heading_path),
            heading=c.heading, page_start=c.page_start, page_end=c.page_end, text=c.text,
        )  # fmt: skip


class DocumentList(BaseModel):
    total: int
    documents: list[DocumentOut]
    index_version: str


class DocumentDetail(BaseModel):
    document: DocumentOut
    chunks: list[ChunkOut]


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    ready: bool
    index_version: str | None
    documents: int
    chunks: int
    embedder: str


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody
