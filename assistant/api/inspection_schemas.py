"""Request and response bodies of the inspection and drafting routes: legal bases of a topic (/v1/inspection/bases),
what changed between two documents (/v1/documents/{doc_id}/changes) and official drafts (/v1/drafts)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assistant.drafting import (
    Article,
    Draft,
    DraftKind,
    InvalidDraftRequest,
    Signature,
    SignAuthority,
)
from assistant.drafting.details import DETAILS_BY_KIND, Details
from assistant.inspection.bases import LegalBases, LegalBasis
from assistant.inspection.compare import ArticleChange, ClauseChange, Comparison
from assistant.inspection.workspace import Workspace

_PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"  # a Word document holds no control characters
ShortText = Annotated[str, StringConstraints(max_length=300, pattern=_PRINTABLE)]
LineText = Annotated[str, StringConstraints(max_length=2000, pattern=_PRINTABLE)]
Code = Annotated[str, StringConstraints(max_length=20, pattern=_PRINTABLE)]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Lines = Annotated[list[LineText], Field(max_length=50)]

# -- legal bases ------------------------------------------------------------------------------------------------


class BasesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=1, max_length=500, description="The question or the draft's trích yếu")
    as_of: dt.date | None = Field(None, description="Bases in force on this date (default: today)")
    include_superseded: bool = Field(False, description="Also the bases replaced or expired on that date (marked)")
    limit: int = Field(12, ge=1, le=30, description="At most this many on-topic documents")


class BasisArticleOut(BaseModel):
    path: str = Field(description='"Điều 7", "khoản 2 mục II — …"')
    chunk_id: str
    heading: str


class BasisOut(BaseModel):
    doc_id: str
    number: str
    title: str
    doc_type: str
    issuer: str
    issued_date: dt.date | None
    effective_date: dt.date | None
    status: str
    status_label: str
    rank: int = Field(description="Legal rank: lower is higher")
    rank_label: str
    citation: str = Field(description="How a căn cứ line names the document")
    articles: list[BasisArticleOut]
    superseded: bool = Field(description="Not in force on the date asked (never in the block)")
    superseded_by: list[str]
    cited_by: list[str] = Field(description="Số hiệu of on-topic documents whose own căn cứ name this one")

    @classmethod
    def from_core(cls, basis: LegalBasis) -> BasisOut:
        data = dataclasses.asdict(basis)
        data["articles"] = [BasisArticleOut(**a) for a in data["articles"]]
        return cls(**data)


class UnverifiedOut(BaseModel):
    text: str = Field(description="A căn cứ line naming a text not on the shelf: verify it before use")
    numbers: list[str]
    cited_by: str


class BasesResponse(BaseModel):
    topic: str
    as_of: dt.date
    bases: list[BasisOut]
    unverified: list[UnverifiedOut]
    block: str = Field(description='The "Căn cứ …;" lines of the bases in force, the last ending with "."')

    @classmethod
    def from_core(cls, bases: LegalBases) -> BasesResponse:
        return cls(
            topic=bases.topic,
            as_of=bases.as_of,
            bases=[BasisOut.from_core(b) for b in bases.bases],
            unverified=[
                UnverifiedOut(text=u.text, numbers=list(u.numbers), cited_by=u.cited_by) for u in bases.unverified
            ],
            block=bases.block(),
        )


# -- inspection workspace ---------------------------------------------------------------------------------------


class WorkspaceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(
        min_length=1, max_length=500, pattern=_PRINTABLE, description="What is inspected: 'công tác văn thư, lưu trữ'"
    )
    object_name: str = Field(max_length=300, pattern=_PRINTABLE, description="The unit inspected: 'UBND xã Chi Lăng'")
    as_of: dt.date | None = Field(None, description="Texts in force on this date (default: today)")


class CheckItemOut(BaseModel):
    duty: str = Field(description="The duty as the clause states it")
    holder: str
    holder_kind: str
    deadlines: list[str]
    frequency: str
    limits: str = Field(description="Deadlines, amounts and frequency joined, for the checklist column")
    citation: str = Field(description='"khoản 3 Điều 7 Quy chế số 35/2025/QĐ-UBND"')
    path: str
    number: str
    doc_id: str
    chunk_id: str
    heading: str
    clause: str


class DeadlineOut(BaseModel):
    step: str
    found: bool = Field(description="False: the procedure on the shelf states no time limit (a placeholder)")
    values: list[str]
    line: str = Field(description="The line of the plan")
    citation: str


class PlanOut(BaseModel):
    kind: str
    number: str
    filename: str
    placeholders: list[str] = Field(description="Fields of the plan left for the author to fill")
    bases: list[str]


class WorkspaceResponse(BaseModel):
    topic: str
    object_name: str
    as_of: dt.date
    holders: list[str] = Field(description="The kinds of duty-holder the object is (what its checklist covers)")
    bases: BasesResponse
    checklist: list[CheckItemOut]
    deadlines: list[DeadlineOut]
    plan: PlanOut

    @classmethod
    def from_core(cls, workspace: Workspace) -> WorkspaceResponse:
        return cls(
            topic=workspace.topic,
            object_name=workspace.object_name,
            as_of=workspace.as_of,
            holders=list(workspace.holders),
            bases=BasesResponse.from_core(workspace.bases),
            checklist=[
                CheckItemOut(
                    duty=i.duty,
                    holder=i.holder,
                    holder_kind=i.holder_kind,
                    deadlines=list(i.deadlines),
                    frequency=i.frequency,
                    limits=i.limits,
                    citation=i.citation,
                    path=i.path,
                    number=i.number,
                    doc_id=i.doc_id,
                    chunk_id=i.chunk_id,
                    heading=i.heading,
                    clause=i.clause,
                )  # fmt: skip
                for i in workspace.checklist
            ],
            deadlines=[
                DeadlineOut(
                    step=d.step,
                    found=d.found,
                    values=list(d.values),
                    line=d.line(),
                    citation=f"{d.path} {d.doc_label}".strip(),
                )  # fmt: skip
                for d in workspace.deadlines
            ],
            plan=PlanOut(
                kind=workspace.plan.kind.value,
                number=workspace.plan.number,
                filename=workspace.plan.filename,
                placeholders=list(workspace.plan.placeholders),
                bases=list(workspace.plan_request.bases),
            ),
        )


# -- comparison -------------------------------------------------------------------------------------------------


class SegmentOut(BaseModel):
    op: Literal["equal", "insert", "delete"]
    text: str


def _segments(segments: tuple[tuple[str, str], ...]) -> list[SegmentOut]:
    return [SegmentOut(op=op, text=text) for op, text in segments]  # type: ignore[arg-type]


class ClauseChangeOut(BaseModel):
    kind: Literal["added", "removed", "changed", "unchanged"]
    old_label: str
    new_label: str
    old_text: str
    new_text: str
    segments: list[SegmentOut]

    @classmethod
    def from_core(cls, clause: ClauseChange) -> ClauseChangeOut:
        return cls(
            kind=clause.kind, old_label=clause.old_label, new_label=clause.new_label, old_text=clause.old_text,
            new_text=clause.new_text, segments=_segments(clause.segments),
        )  # fmt: skip


class ArticleChangeOut(BaseModel):
    kind: Literal["added", "removed", "changed", "unchanged"]
    old_label: str = Field(description='"Điều 7", "khoản 1 Điều 6"; "" when added')
    new_label: str = Field(description='"" when removed')
    old_title: str
    new_title: str
    old_text: str
    new_text: str
    segments: list[SegmentOut] = Field(description="Word diff: equal+delete spell the old text, equal+insert the new")
    clauses: list[ClauseChangeOut]
    similarity: float
    renumbered: bool
    instruction: str = Field(description="Amending document: the instruction as written")
    source: str = Field(description="Amending document: where the instruction is")
    note: str

    @classmethod
    def from_core(cls, change: ArticleChange) -> ArticleChangeOut:
        return cls(
            kind=change.kind, old_label=change.old_label, new_label=change.new_label, old_title=change.old_title,
            new_title=change.new_title, old_text=change.old_text, new_text=change.new_text,
            segments=_segments(change.segments), clauses=[ClauseChangeOut.from_core(c) for c in change.clauses],
            similarity=change.similarity, renumbered=change.renumbered, instruction=change.instruction,
            source=change.source, note=change.note,
        )  # fmt: skip


class ComparisonOut(BaseModel):
    old_id: str
    new_id: str
    old_number: str
    new_number: str
    old_title: str
    new_title: str
    relation: str | None = Field(description="How the newer document relates to the older (null: not recorded)")
    mode: Literal["articles", "amendment"]
    counts: dict[str, int] = Field(description="Articles added, removed, changed and unchanged")
    changes: list[ArticleChangeOut] = Field(description="The differences (every article with include_unchanged)")
    unparsed: list[str] = Field(description="Amendment mode: sentences read as instructions but not understood")

    @classmethod
    def from_core(cls, comparison: Comparison, *, include_unchanged: bool = False) -> ComparisonOut:
        changes = comparison.changes if include_unchanged else comparison.differences
        return cls(
            old_id=comparison.old_id, new_id=comparison.new_id, old_number=comparison.old_number,
            new_number=comparison.new_number, old_title=comparison.old_title, new_title=comparison.new_title,
            relation=str(comparison.relation.value) if comparison.relation is not None else None,
            mode=comparison.mode,
            counts={k: comparison.count(k) for k in ("added", "removed", "changed", "unchanged")},
            changes=[ArticleChangeOut.from_core(c) for c in changes], unparsed=list(comparison.unparsed),
        )  # fmt: skip


# -- drafts -----------------------------------------------------------------------------------------------------


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: LineText = ""
    title: ShortText = ""


DetailValue = (
    LineText | Annotated[list[LineText], Field(max_length=50)] | Annotated[list[ArticleIn], Field(max_length=50)]
)


class SignatureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    authority: Literal["", "TM.", "KT.", "TL.", "TUQ.", "Q."] = Field("", description="Nhãn thẩm quyền ký")
    on_behalf_of: ShortText = ""
    title: ShortText = ""
    name: ShortText = ""

    def to_core(self) -> Signature:
        return Signature(SignAuthority.parse(self.authority), self.on_behalf_of, self.title, self.name)


class DraftBody(BaseModel):
    """What to draft; every field but ``kind`` may be left out and becomes a visible placeholder."""

    model_config = ConfigDict(extra="forbid")

    kind: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="giay_moi, to_trinh, bao_cao, cong_van, ke_hoach, quyet_dinh (or the Vietnamese name)"
    )
    issuing_body: ShortText = Field("", description='Cơ quan ban hành, "Ủy ban nhân dân tỉnh Lạng Sơn"')
    issuing_abbreviation: Code = Field("", description='"UBND"')
    superior_body: ShortText = ""
    drafting_unit: Code = Field("", description='Abbreviation of the drafting unit, "VP"')
    number: Code = Field("", description='The số alone, "12" (the ký hiệu is built)')
    place: ShortText = Field("", description='Địa danh, "Lạng Sơn"')
    date: dt.date | None = None
    subject: Annotated[str, StringConstraints(max_length=1000, pattern=_PRINTABLE)] = Field("", description="Trích yếu")
    recipients: Lines = Field(default_factory=list, description="Kính gửi (tờ trình, công văn, báo cáo)")
    bases: Lines = Field(default_factory=list, description="The user's own căn cứ lines, put first")
    bases_topic: Annotated[str, StringConstraints(max_length=500)] = Field(
        "", description="A topic whose legal bases, as the caller may see them, become căn cứ lines"
    )
    details: dict[FieldName, DetailValue] = Field(
        default_factory=dict, max_length=12, description="The particulars of the kind (see assistant.drafting.details)"
    )
    signature: SignatureIn | None = Field(None, description="The signature block (empty: placeholders)")
    distribution: Lines = Field(default_factory=list, description="Nơi nhận, without the final “Lưu” line")
    archive_copies: int | None = Field(None, ge=1, le=99)


def draft_details(kind: DraftKind, values: Mapping[str, Any]) -> Details:
    """The particulars of ``kind`` from field names and values (strings, lists of lines, or articles of a
    quyết định); an unknown field is an error naming the fields the kind has."""
    cls = DETAILS_BY_KIND[kind]
    allowed = [f.name for f in dataclasses.fields(cls)]
    unknown = [name for name in values if name not in allowed]
    if unknown:
        raise InvalidDraftRequest(
            f"details.{unknown[0]}", f"{kind.label} không có mục này; các mục có thể điền: {', '.join(allowed)}"
        )
    converted: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, list):
            value = tuple(Article(text=v.text, title=v.title) if isinstance(v, ArticleIn) else v for v in value)
        converted[name] = value
    return cls(**converted)


class DraftOut(BaseModel):
    number: str = Field(description='Số/ký hiệu, "12/GM-UBND" ("…/GM-UBND" before it is numbered)')
    placeholders: list[str] = Field(description="Request fields left as placeholders in the draft")
    filename: str
    bases: list[str] = Field(description="The căn cứ lines the draft carries")
    docx_base64: str

    @classmethod
    def from_core(cls, draft: Draft, bases: tuple[str, ...]) -> DraftOut:
        return cls(
            number=draft.number, placeholders=list(draft.placeholders), filename=draft.filename, bases=list(bases),
            docx_base64=base64.b64encode(draft.content).decode("ascii"),
        )  # fmt: skip
