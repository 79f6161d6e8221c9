"""Căn cứ pháp lý: the documents and articles that govern a topic (or a draft's subject) on a chosen date, in legal
rank, rendered as a "Căn cứ …;" block ready to paste into a draft.

Everything is read through :meth:`AssistantService.search` and :meth:`AssistantService.documents` as the caller
sees them, so a basis never comes from a document the caller may not see.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.errors import InvalidRequest
from assistant.inspection.legal_rank import LegalRank, document_kind, legal_date, legal_rank
from assistant.service import AssistantService
from assistant.text.normalize import fold_diacritics
from assistant.text.numbers import mentioned_numbers, number_key
from assistant.types import Chunk, DocumentMeta, Passage, Principal, SearchFilters, outline_label

__all__ = [
    "DEFAULT_DEPTH",
    "DEFAULT_LIMIT",
    "BasisArticle",
    "CitedBasis",
    "EmptyTopic",
    "LegalBasis",
    "LegalBases",
    "citation_phrase",
    "legal_bases",
    "render_block",
]

DEFAULT_DEPTH = 10  # a document bears on the topic only if its best passage is among this many ranked passages
DEFAULT_LIMIT = 12  # at most this many bases in force (the most relevant, then put in legal rank)

# A căn cứ line of a document's header that names a document ("Căn cứ Nghị định số …"), not "Căn cứ chức năng…".
_CITED_LINE = re.compile(
    r"^Căn cứ\s+((?:Hiến pháp|Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết|Thông tư|Quyết định|Chỉ thị|Kế hoạch"
    r"|Quy chế|Quy định|Hướng dẫn|Công văn|Văn bản)\b.*)$"
)
# Connectives a title may already start with once its type word is removed ("Nghị quyết quy định mức thu…").
_CONNECTIVES = ("ve ", "ban hanh ", "cong bo ", "phe duyet ", "quy dinh ", "huong dan ", "sua doi ", "bai bo ")
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")  # "(bản tóm tắt mẫu)", "(nội bộ)", "(năm 2021)"


class EmptyTopic(InvalidRequest):
    """No topic was given."""

    def __init__(self) -> None:
        super().__init__("Trường 'topic' đang trống: hãy nhập vấn đề hoặc trích yếu của dự thảo cần tìm căn cứ.")


@dataclass(frozen=True)
class BasisArticle:
    """An article (or a plan's numbered item) of a basis that bears on the topic."""

    path: str  # "Điều 7", "khoản 2 mục II — …"
    chunk_id: str
    heading: str = ""


@dataclass(frozen=True)
class LegalBasis:
    """One document that governs the topic, with the articles that bear on it and its căn cứ phrase."""

    doc_id: str
    number: str
    title: str
    doc_type: str
    issuer: str
    issued_date: dt.date | None
    effective_date: dt.date | None
    status: str  # Validity value
    status_label: str  # "còn hiệu lực", …
    rank: int  # LegalRank value: lower is higher in rank
    rank_label: str
    citation: str  # "Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư"
    articles: tuple[BasisArticle, ...] = ()
    superseded: bool = False  # not in force on the date asked (shown only on request, struck through)
    superseded_by: tuple[str, ...] = ()
    cited_by: tuple[str, ...] = ()  # số hiệu of on-topic documents whose own căn cứ name this one


@dataclass(frozen=True)
class CitedBasis:
    """A căn cứ line of an on-topic document naming a text not on the shelf (or not visible): its validity cannot
    be checked here, so it is offered for the drafter to verify, never put in the block."""

    text: str  # as the document writes it, without "Căn cứ" and the final punctuation
    numbers: tuple[str, ...]  # keys of the số hiệu it names (assistant.text.numbers.number_key)
    cited_by: str  # số hiệu of the document that cites it


@dataclass(frozen=True)
class LegalBases:
    """The bases of ``topic`` on ``as_of``, in legal rank (superseded ones only when asked for)."""

    topic: str
    as_of: dt.date
    bases: tuple[LegalBasis, ...]
    unverified: tuple[CitedBasis, ...] = ()

    @property
    def in_force(self) -> tuple[LegalBasis, ...]:
        return tuple(b for b in self.bases if not b.superseded)

    def block(self) -> str:
        """The "Căn cứ …;" lines of the bases in force, the last ending with "."."""
        return render_block(self.in_force)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (dates as ISO strings)."""
        return _jsonable(dataclasses.asdict(self)) | {"block": self.block()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def render_block(bases: Sequence[LegalBasis]) -> str:
    """One "Căn cứ <phrase>;" line per basis, the last ending with "." (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
    lines = [f"Căn cứ {b.citation};" for b in bases]
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    return "\n".join(lines)


def citation_phrase(doc: DocumentMeta) -> str:
    """How a căn cứ line names ``doc``: kind, số hiệu, date, issuer and subject — "Nghị định số 30/2020/NĐ-CP ngày
    05 tháng 3 năm 2020 của Chính phủ về công tác văn thư"; a Quy chế issued with a decision is cited through the
    decision ("Quyết định số 35/2025/QĐ-UBND ngày … của Ủy ban nhân dân tỉnh Lạng Sơn ban hành Quy chế …"); a law
    by its name and date ("Luật Hộ tịch ngày 20 tháng 11 năm 2014")."""
    title = doc.title.strip()
    while _TRAILING_NOTE.search(title):
        title = _TRAILING_NOTE.sub("", title)
    date = f" {legal_date(doc.issued_date)}" if doc.issued_date else ""
    if legal_rank(doc) in (LegalRank.CONSTITUTION, LegalRank.LAW):
        number = f" số {doc.number}" if doc.number and doc.number not in title else ""
        return f"{title}{number}{date}"
    kind = document_kind(doc)
    issuer = f" của {doc.issuer}" if doc.issuer else ""
    if fold_diacritics(kind) != fold_diacritics(doc.doc_type) and doc.doc_type:
        subject = f"ban hành {title}"  # the decision that issued a Quy chế, Quy định, Kế hoạch…
    else:
        subject = _subject(title, kind)
    head = f"{kind} số {doc.number}" if doc.number else kind
    return " ".join(part for part in (f"{head}{date}{issuer}", subject) if part)


def _subject(title: str, kind: str) -> str:
    """The title without its leading type word, introduced by "về" unless it starts with a connective."""
    rest = title
    if fold_diacritics(title).startswith(fold_diacritics(kind) + " "):
        rest = title[len(kind) :].strip()
    folded = fold_diacritics(rest)
    if folded.startswith("cua "):  # "Nghị quyết của Ban Thường vụ Tỉnh ủy về …": the issuer is said already
        at = folded.find(" ve ")
        rest, folded = (rest[at + 1 :], folded[at + 1 :]) if at >= 0 else ("", "")
    if not rest:
        return ""
    if folded.startswith(_CONNECTIVES):
        return rest[:1].lower() + rest[1:]
    return f"về {rest[:1].lower() + rest[1:]}"


# -- finding the bases ------------------------------------------------------------------------------------------


def _relevance(passage: Passage) -> float:
    return passage.scores.get("ranker", passage.scores.get("fused", passage.score))


def _close(best: Passage, passage: Passage, closeness: float) -> bool:
    """Whether ``passage`` scores close to ``best``: the learned scores' softmax ratio, else the fused ratio."""
    if "ranker" in best.scores and "ranker" in passage.scores:
        return math.exp(passage.scores["ranker"] - best.scores["ranker"]) >= closeness
    top = _relevance(best)
    return top > 0 and _relevance(passage) / top >= closeness


def _on_topic(passages: Sequence[Passage], closeness: float) -> dict[str, list[Passage]]:
    """Passages by document, for documents whose best passage (among ``passages``, the top-N ranked) scores close
    to the best of all; documents in order of their best passage."""
    if not passages:
        return {}
    best = max(passages, key=_relevance)
    grouped: dict[str, list[Passage]] = {}
    for passage in sorted(passages, key=lambda p: -_relevance(p)):
        grouped.setdefault(passage.document.doc_id, []).append(passage)
    return {doc_id: group for doc_id, group in grouped.items() if _close(best, group[0], closeness)}


def _articles(passages: Sequence[Passage]) -> tuple[BasisArticle, ...]:
    found: dict[str, BasisArticle] = {}
    for passage in sorted(passages, key=lambda p: p.chunk.ordinal):
        chunk: Chunk = passage.chunk
        if not (chunk.article or outline_label(chunk.heading_path)):
            continue  # the header or an unnumbered part: no article to cite
        path = chunk.path_label
        found.setdefault(path, BasisArticle(path, chunk.chunk_id, chunk.heading))
    return tuple(found.values())


def cited_lines(chunks: Sequence[Chunk]) -> list[str]:
    """The căn cứ lines of a document's header (the chunks before its first article), without "Căn cứ" and the
    closing punctuation; a line that goes on to introduce the body ("…, Thanh tra tỉnh hướng dẫn … như sau:") is
    cut at its last comma."""
    out: list[str] = []
    for chunk in chunks:
        if chunk.article or outline_label(chunk.heading_path):
            break
        for line in chunk.text.splitlines():
            m = _CITED_LINE.match(line.strip())
            if m is None:
                continue
            text = m.group(1).rstrip(" ;.")
            if text.endswith("như sau:") or text.endswith("như sau"):
                text = text.rsplit(",", 1)[0] if "," in text else ""
            if text:
                out.append(text.strip())
    return out


def _basis(
    doc: DocumentMeta, as_of: dt.date | None, passages: Sequence[Passage] = (), cited_by: tuple[str, ...] = ()
) -> LegalBasis:
    rank = legal_rank(doc)
    return LegalBasis(
        doc_id=doc.doc_id,
        number=doc.number,
        title=doc.title,
        doc_type=doc.doc_type,
        issuer=doc.issuer,
        issued_date=doc.issued_date,
        effective_date=doc.effective_date,
        status=doc.status.value,
        status_label=doc.status.label_vi,
        rank=int(rank),
        rank_label=rank.label_vi,
        citation=citation_phrase(doc),
        articles=_articles(passages),
        superseded=not doc.is_current(as_of),
        superseded_by=doc.superseded_by,
        cited_by=cited_by,
    )


def _in_rank_order(bases: Sequence[LegalBasis]) -> tuple[LegalBasis, ...]:
    """Higher rank first; within a rank the older first, as căn cứ blocks are written (a law before the law that
    amends it, a decree before the one amending it: each later text is read against the earlier)."""
    return tuple(sorted(bases, key=lambda b: (b.rank, b.issued_date or dt.date.max, b.number)))


def legal_bases(
    service: AssistantService,
    topic: str,
    *,
    principal: Principal,
    as_of: dt.date | None = None,
    include_superseded: bool = False,
    limit: int = DEFAULT_LIMIT,
    depth: int = DEFAULT_DEPTH,
    closeness: float | None = None,
) -> LegalBases:
    """The documents (and their articles) that govern ``topic`` and are in force on ``as_of`` (default: today, by
    each document's recorded validity), among those ``principal`` may see, in legal rank.

    A document bears on the topic when its best passage is among the ``depth`` best-ranked passages and scores
    within ``closeness`` of the best one (default: the composer's ``support_documents`` setting, the share at
    which another document may support an answer). The on-topic documents' own căn cứ lines add the documents
    they name when those are on the shelf and visible (``cited_by``), and are listed as ``unverified`` when not.
    Documents without a số hiệu cannot be cited and are left out. With ``include_superseded``, documents replaced
    or expired on that date that would have been on topic are returned too, marked ``superseded``.
    """
    topic = topic.strip()
    if not topic:
        raise EmptyTopic()
    if limit <= 0 or depth <= 0:
        raise ValueError(f"limit and depth must be > 0, got {limit}, {depth}")
    close = service.settings.composer.support_documents if closeness is None else closeness
    result = service.search(
        topic, principal=principal, filters=SearchFilters(in_force_only=True, as_of=as_of), top_k=depth
    )
    frame = result.query.time_frame
    as_of = frame.on if frame is not None and frame.on is not None else as_of  # the topic may set it: "năm 2023"
    day = as_of or dt.date.today()
    chosen = {doc_id: group for doc_id, group in _on_topic(result.passages, close).items() if group[0].document.number}
    chosen = dict(list(chosen.items())[:limit])
    visible = {d.doc_id: d for d in service.documents(principal=principal)}
    by_number: dict[str, DocumentMeta] = {}
    for doc in visible.values():
        if doc.number:
            by_number.setdefault(number_key(doc.number), doc)
    bases: dict[str, LegalBasis] = {}
    cited: dict[str, list[str]] = {}
    unverified: list[CitedBasis] = []
    for doc_id, group in chosen.items():
        doc = group[0].document
        bases[doc_id] = _basis(doc, as_of, group)
        _, chunks = service.document(doc_id, principal=principal)
        for line in cited_lines(chunks):
            keys = tuple(mentioned_numbers(line))
            named = [by_number[k] for k in keys if k in by_number]
            for other in named:
                cited.setdefault(other.doc_id, []).append(doc.number)
            if not named:
                unverified.append(CitedBasis(line, keys, doc.number))
    for doc_id, citers in cited.items():
        doc = visible[doc_id]
        if doc_id in bases:
            bases[doc_id] = dataclasses.replace(bases[doc_id], cited_by=tuple(dict.fromkeys(citers)))
        elif doc.is_current(as_of) or include_superseded:
            bases[doc_id] = _basis(doc, as_of, cited_by=tuple(dict.fromkeys(citers)))
    if include_superseded:
        everything = service.search(topic, principal=principal, filters=SearchFilters(as_of=as_of), top_k=depth)
        for doc_id, group in _on_topic(everything.passages, close).items():
            doc = group[0].document
            if doc_id not in bases and doc.number and not doc.is_current(as_of):
                bases[doc_id] = _basis(doc, as_of, group)
    return LegalBases(topic, day, _in_rank_order(list(bases.values())), tuple(unverified))
