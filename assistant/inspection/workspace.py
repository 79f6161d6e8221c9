"""The inspection workspace: for a topic and the unit to inspect, on a date — the legal bases, the checklist of
the duties those texts place on the unit, and a draft inspection plan with the procedure's statutory deadlines.

Everything is read through :class:`AssistantService` as the caller sees it: no item comes from a document the
caller may not see or that is not in force on the date asked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from assistant.drafting import Draft, DraftRequest, render_draft
from assistant.errors import InvalidRequest
from assistant.inspection.bases import LegalBases, citation_phrase, legal_bases
from assistant.inspection.checklist import CheckItem, check_items, holders_of
from assistant.inspection.plan import ProcedureDeadline, is_procedure, plan_request, procedure_deadlines
from assistant.service import AssistantService
from assistant.types import Chunk, DocumentMeta, Principal, SearchFilters

__all__ = ["EmptyInspectionObject", "Workspace", "inspection_workspace"]

logger = logging.getLogger(__name__)


class EmptyInspectionObject(InvalidRequest):
    """No object (the unit to inspect) was given."""

    def __init__(self) -> None:
        super().__init__(
            "Trường 'object_name' đang trống: hãy nhập tên đơn vị được thanh tra, kiểm tra (ví dụ 'UBND xã Chi Lăng')."
        )


@dataclass(frozen=True)
class Workspace:
    """The bases, the checklist, the procedure's deadlines and the plan (request and rendered DOCX)."""

    topic: str
    object_name: str
    as_of: dt.date
    holders: tuple[str, ...]  # the duty-holder kinds the object covers (checklist.Holder values)
    bases: LegalBases
    checklist: tuple[CheckItem, ...]
    deadlines: tuple[ProcedureDeadline, ...]
    plan_request: DraftRequest
    plan: Draft

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form: the plan as its number and placeholders (the DOCX is served on its own)."""
        return {
            "topic": self.topic,
            "object_name": self.object_name,
            "as_of": self.as_of.isoformat(),
            "holders": list(self.holders),
            "bases": self.bases.to_dict(),
            "checklist": [
                dataclasses.asdict(item) | {"citation": item.citation, "limits": item.limits} for item in self.checklist
            ],
            "deadlines": [dataclasses.asdict(d) | {"found": d.found, "line": d.line()} for d in self.deadlines],
            "plan": {
                "kind": self.plan.kind.value,
                "number": self.plan.number,
                "filename": self.plan.filename,
                "placeholders": list(self.plan.placeholders),
                "bases": list(self.plan_request.bases),
            },
        }


def inspection_workspace(
    service: AssistantService,
    topic: str,
    object_name: str,
    *,
    principal: Principal,
    as_of: dt.date | None = None,
) -> Workspace:
    """The workspace of inspecting ``object_name`` on ``topic`` on ``as_of`` (default today), as ``principal`` sees
    the shelf: the bases in force, one check item per clause of theirs stating a duty of a body the object is, and
    the kế hoạch thanh tra with the time limits of the procedure document in force (placeholders where none)."""
    object_name = " ".join(object_name.split())
    if not object_name:
        raise EmptyInspectionObject()
    bases = legal_bases(service, topic, principal=principal, as_of=as_of)
    covered = holders_of(object_name)
    items: list[CheckItem] = []
    for basis in bases.in_force:
        if not basis.articles:
            continue  # named only by another basis's căn cứ: not itself on the topic
        doc, doc_chunks = service.document(basis.doc_id, principal=principal)
        if not doc.is_current(bases.as_of):
            continue
        items += check_items(doc, doc_chunks, object_name, covered)
    procedures = [
        d
        for d in service.documents(principal=principal, filters=SearchFilters(in_force_only=True, as_of=bases.as_of))
        if is_procedure(d) and d.is_current(bases.as_of)
    ]
    procedure: DocumentMeta | None = None
    chunks: list[Chunk] = []
    if procedures:
        procedure, chunks = service.document(procedures[0].doc_id, principal=principal)
    deadlines = procedure_deadlines(procedure, chunks)
    base_lines = [f"Căn cứ {b.citation}" for b in bases.in_force]
    if procedure is not None and procedure.doc_id not in {b.doc_id for b in bases.in_force}:
        base_lines.append(f"Căn cứ {citation_phrase(procedure)}")
    request = plan_request(bases.topic, object_name, base_lines, items, deadlines)
    plan = render_draft(request)
    logger.info(
        "inspection workspace: %d bases, %d check items, %d/%d deadlines found",
        len(bases.in_force),
        len(items),
        sum(d.found for d in deadlines),
        len(deadlines),
    )
    return Workspace(
        topic=bases.topic,
        object_name=object_name,
        as_of=bases.as_of,
        holders=tuple(sorted(h.value for h in covered)),
        bases=bases,
        checklist=tuple(items),
        deadlines=deadlines,
        plan_request=request,
        plan=plan,
    )
