"""What the UI receives from the API, as frozen dataclasses (the UI imports nothing from ``assistant``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ADMIN_ROLE = "admin"


@dataclass(frozen=True)
class User:
    username: str
    display_name: str = ""
    roles: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> User:
        return cls(
            username=str(body.get("username", "")),
            display_name=str(body.get("display_name") or ""),
            roles=tuple(body.get("roles", ())),
            units=tuple(body.get("units", ())),
        )

    @property
    def is_admin(self) -> bool:
        return ADMIN_ROLE in self.roles

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass(frozen=True)
class Session:
    """A logged-in user (``token`` and ``user`` set) or an anonymous visitor (both None)."""

    token: str | None = None
    user: User | None = None
    expires_at: str = ""

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.is_admin


def token_of(session: Session | None) -> str:
    """The bearer token of a logged-in session; "" for an anonymous visitor or no session."""
    return session.token if session is not None and session.token else ""


@dataclass(frozen=True)
class Readiness:
    ready: bool
    index_version: str | None
    documents: int


@dataclass(frozen=True)
class Citation:
    n: int
    chunk_id: str
    doc_id: str
    title: str
    number: str
    path: str
    page: int | None
    snippet: str
    status: str
    current: bool
    warning: str = ""

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> Citation:
        page = body.get("page")
        return cls(
            n=int(body["n"]), chunk_id=str(body["chunk_id"]), doc_id=str(body["doc_id"]),
            title=str(body.get("title", "")), number=str(body.get("number", "")), path=str(body.get("path", "")),
            page=int(page) if page is not None else None, snippet=str(body.get("snippet", "")),
            status=str(body.get("status", "unknown")), current=bool(body.get("current", True)),
            warning=str(body.get("warning", "")),
        )  # fmt: skip


@dataclass(frozen=True)
class Meta:
    """The ``meta`` event: the index version, the answer's language and evidence, the passages found."""

    index_version: str
    abstained: bool
    language: str = "vi"
    evidence: float = 0.0
    passages: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> Meta:
        return cls(
            index_version=str(body.get("index_version", "")),
            abstained=bool(body.get("abstained", False)),
            language=str(body.get("language", "vi")),
            evidence=float(body.get("evidence", 0.0)),
            passages=tuple(body.get("passages", ())),
        )


@dataclass(frozen=True)
class Delta:
    text: str


@dataclass(frozen=True)
class Citations:
    items: tuple[Citation, ...]


@dataclass(frozen=True)
class Done:
    timings: dict[str, float] = field(default_factory=dict)


StreamEvent = Meta | Delta | Citations | Done


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    number: str
    doc_type: str
    issuer: str
    status: str
    status_label: str
    current: bool
    unit: str
    visibility: str
    issued_date: str = ""
    superseded_by: tuple[str, ...] = ()
    allowed_units: tuple[str, ...] = ()
    allowed_roles: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> Document:
        return cls(
            doc_id=str(body["doc_id"]), title=str(body.get("title", "")), number=str(body.get("number", "")),
            doc_type=str(body.get("doc_type", "")), issuer=str(body.get("issuer", "")),
            status=str(body.get("status", "")), status_label=str(body.get("status_label", "")),
            current=bool(body.get("current", True)), unit=str(body.get("unit", "")),
            visibility=str(body.get("visibility", "")), issued_date=str(body.get("issued_date") or ""),
            superseded_by=tuple(body.get("superseded_by", ())),
            allowed_units=tuple(body.get("allowed_units", ())), allowed_roles=tuple(body.get("allowed_roles", ())),
        )  # fmt: skip


@dataclass(frozen=True)
class EvalRun:
    """An evaluation run an admin started (/v1/eval/runs): its progress, then its figures per configuration."""

    run_id: str
    label: str
    status: str  # queued | running | done | failed
    configs: tuple[str, ...]
    done: int
    total: int
    created: str
    username: str = ""
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)
    misses: tuple[dict[str, Any], ...] = ()
    index_version: str = ""
    error: str = ""

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> EvalRun:
        return cls(
            run_id=str(body["id"]), label=str(body.get("label", "")), status=str(body.get("status", "")),
            configs=tuple(body.get("configs", ())), done=int(body.get("done", 0)), total=int(body.get("total", 0)),
            created=str(body.get("created", "")), username=str(body.get("username", "")),
            metrics={k: dict(v) for k, v in body.get("metrics", {}).items()},
            misses=tuple(body.get("misses", ())), index_version=str(body.get("index_version", "")),
            error=str(body.get("error", "")),
        )  # fmt: skip

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


@dataclass(frozen=True)
class DocumentPart:
    """One chunk of a document's text, in reading order (an article, clause or section)."""

    chunk_id: str
    path: str
    heading_path: tuple[str, ...]
    page: int | None
    text: str


@dataclass(frozen=True)
class DocumentText:
    """A document's metadata and its whole text by parts (GET /v1/documents/{doc_id})."""

    document: Document
    source_format: str
    parts: tuple[DocumentPart, ...]

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> DocumentText:
        doc = body["document"]
        parts = tuple(
            DocumentPart(
                chunk_id=str(c["chunk_id"]),
                path=str(c.get("path", "")),
                heading_path=tuple(str(h) for h in c.get("heading_path", ())),
                page=int(c["page_start"]) if c.get("page_start") is not None else None,
                text=str(c.get("text", "")),
            )  # fmt: skip
            for c in sorted(body.get("chunks", []), key=lambda c: int(c.get("ordinal", 0)))
        )
        return cls(Document.from_api(doc), str(doc.get("source_format", "")), parts)


@dataclass(frozen=True)
class FileError:
    file: str
    reason: str


@dataclass(frozen=True)
class Job:
    job_id: str
    status: str  # queued | running | done | failed
    filename: str
    ingested: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    failed: tuple[FileError, ...] = ()
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> Job:
        return cls(
            job_id=str(body["job_id"]), status=str(body["status"]), filename=str(body.get("filename", "")),
            ingested=tuple(body.get("ingested", ())), replaced=tuple(body.get("replaced", ())),
            failed=tuple(FileError(str(f.get("file", "")), str(f.get("reason", ""))) for f in body.get("failed", ())),
            warnings=tuple(str(w) for w in body.get("warnings", ())),
        )  # fmt: skip

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


@dataclass(frozen=True)
class TrashEntry:
    """A removed document that can still be put back, until ``expires_at``."""

    doc_id: str
    title: str
    number: str
    unit: str
    visibility: str
    removed_by: str
    removed_at: str
    reason: str
    from_version: str
    chunks: int
    expires_at: str

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> TrashEntry:
        text = {k: str(body.get(k) or "") for k in (
            "title", "number", "unit", "visibility", "removed_by", "removed_at", "reason", "from_version",
            "expires_at",
        )}  # fmt: skip
        return cls(doc_id=str(body["doc_id"]), chunks=int(body.get("chunks", 0)), **text)


@dataclass(frozen=True)
class Trash:
    retention_days: int
    entries: tuple[TrashEntry, ...]


@dataclass(frozen=True)
class Restored:
    doc_id: str
    version: str
    chunks: int
    embedded: int


@dataclass(frozen=True)
class IndexVersion:
    version: str
    created: str
    documents: int
    chunks: int
    current: bool
    rolled_back_from: str = ""

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> IndexVersion:
        return cls(
            version=str(body["version"]), created=str(body.get("created", "")),
            documents=int(body.get("documents", 0)), chunks=int(body.get("chunks", 0)),
            current=bool(body.get("current", False)), rolled_back_from=str(body.get("rolled_back_from") or ""),
        )  # fmt: skip


@dataclass(frozen=True)
class FeedbackItem:
    id: int
    username: str
    unit: str
    ts: str
    question: str
    answer: str
    citations: tuple[str, ...]
    rating: str
    comment: str

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> FeedbackItem:
        return cls(
            id=int(body["id"]), username=str(body.get("username", "")), unit=str(body.get("unit", "")),
            ts=str(body.get("ts", "")), question=str(body.get("question", "")), answer=str(body.get("answer", "")),
            citations=tuple(body.get("citations", ())), rating=str(body.get("rating", "")),
            comment=str(body.get("comment", "")),
        )  # fmt: skip


@dataclass(frozen=True)
class SourceFile:
    content: bytes
    headers: dict[str, str]


@dataclass
class Turn:
    """One question of the conversation and its answer as it arrives (mutable while streaming)."""

    question: str
    answer: str = ""
    abstained: bool = False
    citations: tuple[Citation, ...] = ()
    index_version: str = ""
    language: str = "vi"
    pending: bool = True
    error: str = ""

    @property
    def answered(self) -> bool:
        return not self.pending and not self.error

    @property
    def outdated_citations(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if not c.current or c.status in ("expired", "partly_expired"))

    def to_saved(self) -> dict[str, Any]:
        """The turn as /v1/me/conversations keeps it (a finished turn: nothing pending is saved)."""
        return {
            "question": self.question, "answer": self.answer, "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations], "index_version": self.index_version,
            "language": self.language, "error": self.error,
        }  # fmt: skip

    @classmethod
    def from_saved(cls, body: dict[str, Any]) -> Turn:
        return cls(
            question=str(body.get("question", "")), answer=str(body.get("answer", "")),
            abstained=bool(body.get("abstained", False)),
            citations=tuple(Citation.from_api(c) for c in body.get("citations", [])),
            index_version=str(body.get("index_version", "")), language=str(body.get("language", "vi")),
            pending=False, error=str(body.get("error", "")),
        )  # fmt: skip


@dataclass(frozen=True)
class SavedConversation:
    """One of the user's saved conversations, as the history list shows it."""

    id: str
    title: str
    updated: str  # ISO time
    turn_count: int

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> SavedConversation:
        return cls(
            id=str(body["id"]), title=str(body.get("title", "")), updated=str(body.get("updated", "")),
            turn_count=int(body.get("turn_count", 0)),
        )  # fmt: skip


# -- trainer mode (/v1/quiz) ---------------------------------------------------------------------------
TRAINER_ROLES = frozenset({"trainer", ADMIN_ROLE})


def can_train(session: Session | None) -> bool:
    """Whether the session may build and review quiz banks (a trainer or an admin)."""
    return session is not None and session.user is not None and bool(TRAINER_ROLES & set(session.user.roles))


@dataclass(frozen=True)
class QuizItem:
    """One item of a bank with its answers, as a trainer reviews it."""

    item_id: str
    kind: str  # multiple_choice | true_false | fill_blank | matching
    stem: str
    options: tuple[str, ...] = ()
    correct: tuple[int, ...] = ()
    answers: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    explanation: str = ""
    citation: str = ""
    status: str = "pending"  # pending | accepted | rejected
    difficulty: str = ""
    flags: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> QuizItem:
        return cls(
            item_id=str(body["item_id"]), kind=str(body.get("kind", "")), stem=str(body.get("stem", "")),
            options=tuple(str(o) for o in body.get("options", ())),
            correct=tuple(int(i) for i in body.get("correct", ())),
            answers=tuple(str(a) for a in body.get("answers", ())),
            pairs=tuple((str(p.get("left", "")), str(p.get("right", ""))) for p in body.get("pairs", ())),
            explanation=str(body.get("explanation", "")), citation=str(body.get("citation", "")),
            status=str(body.get("status", "pending")), difficulty=str(body.get("difficulty", "")),
            flags=tuple(str(f) for f in body.get("flags", ())),
        )  # fmt: skip


@dataclass(frozen=True)
class QuizBank:
    bank_id: str
    title: str
    topic: str
    owner: str
    version: int
    items: tuple[QuizItem, ...]
    updated_at: str = ""

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> QuizBank:
        return cls(
            bank_id=str(body["bank_id"]), title=str(body.get("title", "")), topic=str(body.get("topic", "")),
            owner=str(body.get("owner", "")), version=int(body.get("version", 1)),
            items=tuple(QuizItem.from_api(i) for i in body.get("items", ())),
            updated_at=str(body.get("updated_at") or ""),
        )  # fmt: skip


@dataclass(frozen=True)
class GeneratedBank:
    """A new bank and what the automatic checks left out."""

    bank: QuizBank
    checked: int
    refused: int
    problems: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BankSummary:
    bank_id: str
    title: str
    topic: str
    owner: str
    version: int
    items: int
    accepted: int
    rejected: int
    updated_at: str = ""

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> BankSummary:
        return cls(
            bank_id=str(body["bank_id"]), title=str(body.get("title", "")), topic=str(body.get("topic", "")),
            owner=str(body.get("owner", "")), version=int(body.get("version", 1)), items=int(body.get("items", 0)),
            accepted=int(body.get("accepted", 0)), rejected=int(body.get("rejected", 0)),
            updated_at=str(body.get("updated_at") or ""),
        )  # fmt: skip


@dataclass(frozen=True)
class BankVersion:
    version: int
    updated_at: str
    editor: str
    note: str

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> BankVersion:
        return cls(
            int(body["version"]), str(body.get("updated_at") or ""), str(body.get("editor", "")),
            str(body.get("note", "")),
        )  # fmt: skip


@dataclass(frozen=True)
class PracticeItem:
    """An item as a learner sees it: shuffled options, no answer."""

    item_id: str
    kind: str
    stem: str
    options: tuple[str, ...] = ()
    lefts: tuple[str, ...] = ()
    rights: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> PracticeItem:
        return cls(
            item_id=str(body["item_id"]), kind=str(body.get("kind", "")), stem=str(body.get("stem", "")),
            options=tuple(body.get("options", ())), lefts=tuple(body.get("lefts", ())),
            rights=tuple(body.get("rights", ())),
        )  # fmt: skip


@dataclass(frozen=True)
class Practice:
    bank_id: str
    title: str
    version: int
    items: tuple[PracticeItem, ...]


@dataclass(frozen=True)
class GradedItem:
    item_id: str
    stem: str
    correct: bool
    right_answer: str
    explanation: str
    citation: str

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> GradedItem:
        return cls(
            str(body["item_id"]), str(body.get("stem", "")), bool(body.get("correct")),
            str(body.get("right_answer", "")), str(body.get("explanation", "")), str(body.get("citation", "")),
        )  # fmt: skip


@dataclass(frozen=True)
class PracticeScore:
    score: int
    total: int
    items: tuple[GradedItem, ...]


@dataclass(frozen=True)
class ItemStat:
    item_id: str
    stem: str
    attempts: int
    wrong: int


@dataclass(frozen=True)
class LessonPoint:
    text: str
    citation: str


@dataclass(frozen=True)
class Lesson:
    title: str
    topic: str
    points: tuple[LessonPoint, ...]


@dataclass(frozen=True)
class DownloadedFile:
    """A file the API sent as an attachment, with the name it suggested."""

    content: bytes
    filename: str
    media_type: str


# -- inspection and drafting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalBasis:
    """One governing document of a topic, with the articles that bear on it."""

    doc_id: str
    number: str
    title: str
    rank_label: str
    status_label: str
    citation: str
    articles: tuple[str, ...] = ()
    superseded: bool = False

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> LegalBasis:
        return cls(
            doc_id=str(body["doc_id"]), number=str(body.get("number") or ""), title=str(body.get("title", "")),
            rank_label=str(body.get("rank_label", "")), status_label=str(body.get("status_label", "")),
            citation=str(body.get("citation", "")),
            articles=tuple(str(a.get("path", "")) for a in body.get("articles", ())),
            superseded=bool(body.get("superseded")),
        )  # fmt: skip


@dataclass(frozen=True)
class LegalBases:
    """The bases of a topic on a date, the "Căn cứ …;" block, and căn cứ lines naming texts not on the shelf."""

    topic: str
    as_of: str
    bases: tuple[LegalBasis, ...]
    block: str
    unverified: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> LegalBases:
        return cls(
            topic=str(body.get("topic", "")), as_of=str(body.get("as_of", "")),
            bases=tuple(LegalBasis.from_api(b) for b in body.get("bases", ())), block=str(body.get("block", "")),
            unverified=tuple(str(u.get("text", "")) for u in body.get("unverified", ())),
        )  # fmt: skip


@dataclass(frozen=True)
class CheckItem:
    """One duty of the inspected unit, from one cited clause."""

    duty: str
    limits: str
    citation: str
    doc_id: str
    number: str

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> CheckItem:
        return cls(
            duty=str(body.get("duty", "")), limits=str(body.get("limits", "")), citation=str(body.get("citation", "")),
            doc_id=str(body.get("doc_id", "")), number=str(body.get("number", "")),
        )  # fmt: skip


@dataclass(frozen=True)
class ProcedureDeadline:
    """A time limit of the inspection procedure (``found`` False: the shelf states none, a placeholder)."""

    step: str
    found: bool
    values: tuple[str, ...]
    line: str
    citation: str

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> ProcedureDeadline:
        return cls(
            step=str(body.get("step", "")), found=bool(body.get("found")),
            values=tuple(str(v) for v in body.get("values", ())), line=str(body.get("line", "")),
            citation=str(body.get("citation", "")),
        )  # fmt: skip


@dataclass(frozen=True)
class InspectionWorkspace:
    """Bases, the object's checklist, the procedure's time limits and the draft plan's fields."""

    topic: str
    object_name: str
    as_of: str
    bases: LegalBases
    checklist: tuple[CheckItem, ...]
    deadlines: tuple[ProcedureDeadline, ...]
    plan_filename: str = ""
    plan_placeholders: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> InspectionWorkspace:
        plan = body.get("plan") or {}
        return cls(
            topic=str(body.get("topic", "")), object_name=str(body.get("object_name", "")),
            as_of=str(body.get("as_of", "")), bases=LegalBases.from_api(body.get("bases") or {}),
            checklist=tuple(CheckItem.from_api(i) for i in body.get("checklist", ())),
            deadlines=tuple(ProcedureDeadline.from_api(d) for d in body.get("deadlines", ())),
            plan_filename=str(plan.get("filename", "")),
            plan_placeholders=tuple(str(p) for p in plan.get("placeholders", ())),
        )  # fmt: skip


@dataclass(frozen=True)
class WordChange:
    """A run of words: "equal", "delete" (only in the older text) or "insert" (only in the newer)."""

    op: str
    text: str


@dataclass(frozen=True)
class ArticleChange:
    kind: str  # added | removed | changed | unchanged
    old_label: str
    new_label: str
    words: tuple[WordChange, ...]
    note: str = ""

    @property
    def label(self) -> str:
        return self.new_label or self.old_label

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> ArticleChange:
        return cls(
            kind=str(body.get("kind", "changed")), old_label=str(body.get("old_label", "")),
            new_label=str(body.get("new_label", "")),
            words=tuple(WordChange(str(s["op"]), str(s["text"])) for s in body.get("segments", ())),
            note=str(body.get("note", "")),
        )  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    """What changed, article by article, from the older document to the newer."""

    old_id: str
    new_id: str
    old_number: str
    new_number: str
    counts: dict[str, int]
    changes: tuple[ArticleChange, ...]

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> Comparison:
        return cls(
            old_id=str(body.get("old_id", "")), new_id=str(body.get("new_id", "")),
            old_number=str(body.get("old_number") or ""), new_number=str(body.get("new_number") or ""),
            counts={str(k): int(v) for k, v in (body.get("counts") or {}).items()},
            changes=tuple(ArticleChange.from_api(c) for c in body.get("changes", ())),
        )  # fmt: skip


@dataclass(frozen=True)
class DraftForm:
    """What the user asks to draft; what is left empty becomes a visible placeholder in the DOCX."""

    kind: str
    issuing_body: str = ""
    issuing_abbreviation: str = ""
    subject: str = ""
    bases_topic: str = ""
    recipients: tuple[str, ...] = ()
    details: dict[str, str | list[str]] = field(default_factory=dict)
    date: str | None = None

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "kind": self.kind, "issuing_body": self.issuing_body, "issuing_abbreviation": self.issuing_abbreviation,
            "subject": self.subject, "bases_topic": self.bases_topic, "recipients": list(self.recipients),
            "details": dict(self.details),
        }  # fmt: skip
        if self.date:
            body["date"] = self.date
        return body


@dataclass(frozen=True)
class Draft:
    """A rendered draft: the DOCX, its số/ký hiệu and the fields left as placeholders."""

    file: DownloadedFile
    number: str
    placeholders: tuple[str, ...]
