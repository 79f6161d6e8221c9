"""The checklist of an inspection: the duties the governing texts place on the inspected unit, one check item per
clause that states a duty of a body the unit is ("UBND xã Chi Lăng" is a commune People's Committee, a cơ quan, and
an đối tượng thanh tra), with the deadline, amount or frequency the clause states.

Nothing is invented: every item's ``duty`` is a verbatim piece of the clause it cites, and every clause comes from
a document in force on the date asked that the caller may see (the documents are read through the service).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.quiz.facts import Clause, clauses, extract_facts, find_values, pieces
from assistant.quiz.model import Fact, FactKind
from assistant.text.normalize import fold_diacritics, nfc
from assistant.types import Chunk, DocumentMeta

__all__ = ["CheckItem", "Holder", "check_items", "holders_of"]


class Holder(StrEnum):
    """The kinds of body a duty is addressed to."""

    GENERIC = "generic"  # "cơ quan, đơn vị", "Thủ trưởng cơ quan", "văn thư", "cán bộ, công chức": every unit
    INSPECTED = "inspected"  # "đối tượng thanh tra": whatever unit is inspected
    COMMUNE = "commune"  # UBND cấp xã, xã, phường
    DISTRICT = "district"  # UBND cấp huyện (before 1/7/2025)
    PROVINCE = "province"  # UBND tỉnh, Văn phòng UBND tỉnh, Chủ tịch UBND tỉnh
    DEPARTMENT = "department"  # a sở (any, or the one named: see ``CheckItem.holder_name``)
    INSPECTORATE = "inspectorate"  # Thanh tra, Đoàn thanh tra, Trưởng đoàn: the inspector, never the inspected
    OTHER = "other"  # a body named that is none of the above (Ban Chỉ đạo, Bộ, Chính phủ…)


# Folded patterns, most specific first; each is searched in the words before a clause's duty marker.
_I = re.IGNORECASE
_HOLDERS: tuple[tuple[Holder, re.Pattern[str]], ...] = (
    (Holder.INSPECTED, re.compile(r"\bdoi tuong (?:thanh tra|kiem tra)\b", _I)),
    (Holder.INSPECTORATE, re.compile(
        r"\b(?:(?:thanh vien |truong |pho truong )?doan (?:thanh tra|kiem tra)|truong doan|chanh thanh tra"
        r"|thanh tra (?:tinh|huyen|so|chinh phu)|phong nghiep vu|nguoi ra quyet dinh|nguoi giam sat)\b", _I)),
    (Holder.COMMUNE, re.compile(
        r"\b(?:ubnd|uy ban nhan dan|chu tich ubnd|chu tich uy ban nhan dan) (?:cac )?(?:xa|phuong|cap xa|thi tran)\b"
        r"|\bcong chuc (?:cap )?xa\b", _I)),
    (Holder.DISTRICT, re.compile(r"\b(?:ubnd|uy ban nhan dan) (?:cac )?(?:huyen|cap huyen)\b", _I)),
    (Holder.PROVINCE, re.compile(
        r"\b(?:ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan) tinh\b|\bvan phong (?:ubnd|uy ban nhan dan) tinh\b", _I)),
    (Holder.DEPARTMENT, re.compile(r"\b(?:[Cc]ac so\b|[Ss]o, ban, nganh|So(?: [A-Za-z]+){1,8})")),
    (Holder.OTHER, re.compile(
        r"\b(?:[Bb]an [Cc]hi dao|[Tt]inh uy|[Cc]ap uy|[Bb]o [Cc]hinh tri|[Cc]hinh phu|Bo [A-Z][a-z]+|[Cc]ong an"
        r"|[Kk]ho bac|[Tt]rung tam)\b")),
    (Holder.GENERIC, re.compile(
        r"\b(?:co quan|don vi|thu truong|nguoi dung dau|van thu|lanh dao|can bo|cong chuc|vien chuc"
        r"|quan tri don vi|nguoi xu ly|nguoi lao dong)\b", _I)),
)  # fmt: skip

# Words that make a clause a duty (folded). A clause in a "Trách nhiệm …"/"Nhiệm vụ …" article is one throughout.
_DUTY = re.compile(
    r"\b(?:phai|co trach nhiem|chiu trach nhiem|khong duoc|nghiem cam|bat buoc|cham nhat|trong thoi han|khong qua"
    r"|dinh ky|hang (?:ngay|tuan|thang|quy|nam)|truoc ngay|ngay trong ngay|ngay khi|ngay sau khi)\b"
)
_FREQUENCY = re.compile(
    r"\b(?:dinh ky(?: (?:hang )?(?:tuan|thang|quy|nam|[0-9]+ thang))?|hang (?:ngay|tuan|thang|quy|nam))\b"
)
_RESPONSIBILITY_TITLE = re.compile(r"^(?:trach nhiem|nhiem vu)(?: cua| thi hanh|,|$)")
_HOLDER_IN_TITLE = re.compile(r"^(?:trach nhiem|nhiem vu(?:, quyen han)?) cua (.+)$")
_NO_DUTY_TITLE = re.compile(r"^(?:giai thich tu ngu|pham vi dieu chinh|doi tuong ap dung|can cu)")
_SCOPE_TITLE = re.compile(r"doi tuong ap dung|pham vi ap dung")
_SCOPE_GENERIC = re.compile(r"\b(?:co quan, don vi|cac co quan|can bo, cong chuc)\b", re.IGNORECASE)
_CONDITION_LEAD = re.compile(r"^(?:khi|truong hop|neu|doi voi)\b")
_VALUE_KINDS = (FactKind.DURATION, FactKind.DATE, FactKind.AMOUNT)


@dataclass(frozen=True)
class CheckItem:
    """One thing to check: a duty of the inspected unit as a clause states it, with where it is written."""

    duty: str  # verbatim from the clause: subject + verb phrase (the pieces that state the duty)
    holder: str  # who the duty is addressed to, as written ("Văn thư cơ quan", "các cơ quan, đơn vị"; "" passive)
    holder_kind: str  # Holder value
    deadlines: tuple[str, ...]  # durations, dates and amounts the duty states, verbatim ("05 ngày làm việc")
    frequency: str  # "hằng quý", "định kỳ" (verbatim) or ""
    path: str  # "khoản 3 Điều 7"
    number: str  # số hiệu of the document
    doc_id: str
    doc_label: str  # "Quy chế số 35/2025/QĐ-UBND"
    chunk_id: str
    heading: str  # the article's title: "Phân phối, xử lý văn bản đến"
    clause: str  # the whole clause, for reading the duty in context
    result: str = ""  # "Đạt" / "Không đạt", filled by the inspector
    note: str = ""

    @property
    def citation(self) -> str:
        """ "khoản 3 Điều 7 Quy chế số 35/2025/QĐ-UBND"."""
        return f"{self.path} {self.doc_label}".strip()

    @property
    def limits(self) -> str:
        """The deadline/amount/frequency column: values joined with "; "."""
        return "; ".join((*self.deadlines, self.frequency) if self.frequency else self.deadlines)


def _fold(text: str) -> str:
    """``text`` without diacritics, case kept, one character per character of the NFC text."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", nfc(text)) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D")


def _classify(folded: str) -> tuple[Holder, int, int] | None:
    """The first holder named in ``folded``, with its span; the more specific kinds win at the same position."""
    best: tuple[Holder, int, int] | None = None
    for kind, pattern in _HOLDERS:
        match = pattern.search(folded)
        if match is not None and (best is None or match.start() < best[1]):
            best = (kind, match.start(), match.end())
    return best


def holders_of(object_name: str) -> frozenset[Holder]:
    """The kinds of duty holder ``object_name`` covers: every unit is a generic body and the inspected one; "UBND
    xã Chi Lăng" is also a commune People's Committee, "Sở Xây dựng" a sở."""
    folded = fold_diacritics(nfc(object_name)).lower()
    kinds = {Holder.GENERIC, Holder.INSPECTED}
    if re.search(r"\b(?:xa|phuong|thi tran)\b", folded):
        kinds.add(Holder.COMMUNE)
    elif re.search(r"\bhuyen\b", folded):
        kinds.add(Holder.DISTRICT)
    elif re.search(r"^(?:ubnd|uy ban nhan dan|van phong (?:ubnd|uy ban nhan dan)) tinh\b", folded):
        kinds.add(Holder.PROVINCE)
    elif re.search(r"^so\b", folded):
        kinds.add(Holder.DEPARTMENT)
    return frozenset(kinds)


def _applies(kind: Holder, named: str, object_name: str, covered: frozenset[Holder]) -> bool:
    if kind is Holder.DEPARTMENT and named.startswith("so ") and not named.startswith("so, ban"):
        return named.startswith(fold_diacritics(nfc(object_name)).lower().strip())  # only the sở named
    return kind in covered


def document_scope(chunks: Sequence[Chunk], doc: DocumentMeta) -> frozenset[Holder] | None:
    """The holder kinds a document's "Đối tượng áp dụng" names; None when it has no such article (it applies to
    whoever it addresses)."""
    found: set[Holder] = set()
    stated = False
    for chunk in chunks:
        for clause in clauses(chunk, doc):
            title = fold_diacritics(clause.title).lower()
            folded = fold_diacritics(clause.text).lower()
            if not (_SCOPE_TITLE.search(title) or folded.startswith("ap dung doi voi")):
                continue
            stated = True
            text = _fold(clause.text)
            for kind, pattern in _HOLDERS:
                if kind is not Holder.GENERIC and pattern.search(text):
                    found.add(kind)
            if _SCOPE_GENERIC.search(text):
                found.add(Holder.GENERIC)
    return frozenset(found) if stated else None


def _span_holder(piece: str) -> tuple[Holder, str, int] | None:
    """Who ``piece`` addresses: the first body named before its duty marker (after a leading "Khi …," condition)."""
    folded = _fold(piece)
    if len(folded) != len(piece):
        return None
    marker = _DUTY.search(folded.lower())
    end = marker.start() if marker else len(folded)
    start = 0
    if _CONDITION_LEAD.match(folded.lower()):
        start = folded.rfind(",", 0, end) + 1
    found = _classify(folded[start:end])
    if found is None:
        return None
    kind, s, e = found
    named = piece[start + s : start + e]
    agency = next((v for k, v in find_values(named) if k is FactKind.AGENCY), "")
    return kind, agency if agency and named.startswith(agency) else named, start + s


def _duty_pieces(clause: Clause) -> list[str]:
    responsibility = bool(_RESPONSIBILITY_TITLE.match(fold_diacritics(clause.title).lower()))
    return [p for p in pieces(clause.text) if responsibility or _DUTY.search(fold_diacritics(p).lower())]


def _clause_facts(facts: Iterable[Fact], clause: Clause, duty: str) -> tuple[str, ...]:
    values = [
        f.value
        for f in facts
        if f.kind in _VALUE_KINDS and f.source.path == clause.source.path and f.sentence in duty and f.value in duty
    ]
    return tuple(dict.fromkeys(values))


def check_items(
    doc: DocumentMeta, chunks: Sequence[Chunk], object_name: str, covered: frozenset[Holder]
) -> list[CheckItem]:
    """The check items ``doc`` gives for a unit of the ``covered`` holder kinds: one per clause stating a duty
    addressed to such a unit (a duty stated without a holder counts when the document applies to the unit)."""
    scope = document_scope(chunks, doc)
    doc_applies = scope is None or bool(scope & covered) or bool(scope & {Holder.GENERIC})
    label = f"{doc.doc_type} số {doc.number}" if doc.number and doc.doc_type else doc.number or doc.title
    items: list[CheckItem] = []
    for chunk in chunks:
        facts: list[Fact] | None = None
        for clause in clauses(chunk, doc):
            title = fold_diacritics(clause.title).lower()
            if _NO_DUTY_TITLE.match(title):
                continue
            title_holder = _HOLDER_IN_TITLE.match(title)
            kept: list[tuple[str, str, Holder]] = []
            for piece in _duty_pieces(clause):
                spanned = _span_holder(piece)
                found = (spanned[0], spanned[1]) if spanned is not None else None
                if title_holder is not None and (spanned is None or spanned[2] > 0):  # "Trách nhiệm của Sở …"
                    start = len(clause.title) - len(title_holder.group(1))
                    kind_span = _classify(_fold(clause.title)[start:])
                    found = (kind_span[0], clause.title[start:].strip()) if kind_span else found
                if found is None:
                    if doc_applies:
                        kept.append((piece, "", Holder.GENERIC))
                    continue
                kind, named = found
                passes = _applies(kind, fold_diacritics(named).lower(), object_name, covered)
                if passes and (kind in (Holder.GENERIC,) and not doc_applies):
                    passes = False
                if passes:
                    kept.append((piece, named, kind))
            if not kept:
                continue
            first, last = kept[0][0], kept[-1][0]
            start = clause.text.find(first)
            end = clause.text.find(last, start) + len(last)
            duty = clause.text[start:end].strip()
            if facts is None:
                facts = extract_facts(chunk, doc)
            frequency = _FREQUENCY.search(fold_diacritics(duty).lower())
            named = next((n for _, n, _ in kept if n), "")
            items.append(
                CheckItem(
                    duty=duty,
                    holder=named,
                    holder_kind=kept[0][2].value,
                    deadlines=_clause_facts(facts, clause, duty),
                    frequency=duty[frequency.start() : frequency.end()] if frequency else "",
                    path=clause.source.path,
                    number=doc.number,
                    doc_id=doc.doc_id,
                    doc_label=label,
                    chunk_id=chunk.chunk_id,
                    heading=clause.title,
                    clause=clause.text,
                )
            )
    return items
