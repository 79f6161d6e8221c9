"""Inspection and drafting over HTTP: the legal bases of a topic, what changed between a document and the one that
amends or replaces it, and official drafts as Word documents.

Any caller of /v1/ask may use them (a logged-in user; anonymous only when the service allows anonymous callers).
Everything is read as the caller sees it: a basis, a compared document or a draft's căn cứ line never comes from a
document the caller may not see, and a hidden document is reported exactly like a missing one (404).

Routes:

- ``POST /v1/inspection/bases`` → the bases (JSON), or with ``?format=text`` the "Căn cứ …" block as text/plain;
- ``POST /v1/inspection/workspace`` → for a topic and the unit inspected: the bases, the checklist of the unit's
  duties (each cited, with its deadline or amount) and the kế hoạch thanh tra with the procedure's time limits
  (JSON); ``?format=checklist`` the checklist as DOCX, ``?format=plan`` the plan as DOCX;
- ``GET /v1/documents/{doc_id}/changes`` → the comparison with the document it replaces or amends (or the one
  replacing or amending it), or with ``?against=OTHER_ID`` with that document; ``?format=docx`` downloads it as a
  Word table;
- ``POST /v1/drafts`` → the DOCX, its số/ký hiệu in ``X-Draft-Number`` (percent-encoded UTF-8) and the fields left
  as placeholders in ``X-Draft-Placeholders`` (comma-separated); ``?format=json`` returns them with the DOCX in base64.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import PlainTextResponse, Response

from assistant.accounts.audit import Action
from assistant.api.deps import AuditorDep, PrincipalDep, ServiceDep
from assistant.api.inspection_schemas import (
    BasesRequest,
    BasesResponse,
    ComparisonOut,
    DraftBody,
    DraftOut,
    WorkspaceRequest,
    WorkspaceResponse,
    draft_details,
)
from assistant.api.routes.auth import UNAUTHORIZED
from assistant.api.schemas import ErrorResponse
from assistant.drafting import DraftKind, DraftRequest, Signature, render_draft
from assistant.inspection.bases import legal_bases
from assistant.inspection.checklist_docx import checklist_docx
from assistant.inspection.compare import compare_documents, compare_with_related
from assistant.inspection.compare_docx import comparison_to_docx
from assistant.inspection.workspace import inspection_workspace
from assistant.service import AssistantService
from assistant.types import Principal

router = APIRouter(tags=["inspection"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **UNAUTHORIZED,
    404: {"model": ErrorResponse, "description": "No such document, or one the caller may not see"},
}
DocId = Annotated[str, Path(min_length=1, max_length=200)]


@router.post(
    "/v1/inspection/bases",
    response_model=BasesResponse,
    responses={**UNAUTHORIZED, 200: {"content": {"text/plain": {}}, "description": "The bases (or the block as text)"}},
    summary="The documents and articles that govern a topic on a date, in legal rank, with the căn cứ block",
)
def bases(
    body: BasesRequest,
    principal: PrincipalDep,
    service: ServiceDep,
    auditor: AuditorDep,
    format: Annotated[str, Query(pattern="^(json|text)$")] = "json",
) -> Any:
    found = legal_bases(
        service, body.topic, principal=principal, as_of=body.as_of, include_superseded=body.include_superseded,
        limit=body.limit,
    )  # fmt: skip
    auditor.record(Action.INSPECTION_BASES, {"topic": body.topic, "doc_ids": [b.doc_id for b in found.bases]})
    if format == "text":
        return PlainTextResponse(found.block())
    return BasesResponse.from_core(found)


@router.post(
    "/v1/inspection/workspace",
    response_model=WorkspaceResponse,
    responses={
        **UNAUTHORIZED,
        200: {"content": {DOCX: {}}, "description": "The workspace (JSON), the checklist or the plan (DOCX)"},
    },
    summary="Inspection workspace: bases, the checklist of the object's duties, the plan with statutory deadlines",
)
def workspace(
    body: WorkspaceRequest,
    principal: PrincipalDep,
    service: ServiceDep,
    auditor: AuditorDep,
    format: Annotated[str, Query(pattern="^(json|checklist|plan)$")] = "json",
) -> Any:
    found = inspection_workspace(service, body.topic, body.object_name, principal=principal, as_of=body.as_of)
    auditor.record(
        Action.INSPECTION_WORKSPACE,
        {"topic": body.topic, "object_name": found.object_name, "checks": len(found.checklist), "format": format},
    )
    if format == "checklist":
        content = checklist_docx(found.checklist, topic=found.topic, object_name=found.object_name, as_of=found.as_of)
        return _attachment(content, f"bang-kiem-{found.as_of.isoformat()}.docx")
    if format == "plan":
        return _attachment(found.plan.content, found.plan.filename)
    return WorkspaceResponse.from_core(found)


def _attachment(content: bytes, filename: str) -> Response:
    encoded = quote(filename, safe="")
    return Response(
        content, media_type=DOCX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{encoded}"}
    )


@router.get(
    "/v1/documents/{doc_id}/changes",
    response_model=ComparisonOut,
    responses={**_NOT_FOUND, 200: {"content": {DOCX: {}}, "description": "The comparison (JSON, or DOCX)"}},
    summary="What changed between a document and the one it replaces or amends (or another named document)",
)
def changes(
    doc_id: DocId,
    principal: PrincipalDep,
    service: ServiceDep,
    auditor: AuditorDep,
    against: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    format: Annotated[str, Query(pattern="^(json|docx)$")] = "json",
    include_unchanged: bool = False,
) -> Any:
    if against is None:
        comparison = compare_with_related(service, doc_id, principal=principal)
    else:
        comparison = compare_documents(service, doc_id, against, principal=principal)
    auditor.record(
        Action.DOCUMENT_COMPARE, {"old_id": comparison.old_id, "new_id": comparison.new_id, "format": format}
    )
    if format == "docx":
        filename = quote(f"so-sanh-{comparison.old_id}-{comparison.new_id}.docx", safe="")
        return Response(
            comparison_to_docx(comparison, include_unchanged=include_unchanged),
            media_type=DOCX,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
        )
    return ComparisonOut.from_core(comparison, include_unchanged=include_unchanged)


def draft_bases(
    service: AssistantService, principal: Principal, body: DraftBody, today: dt.date | None = None
) -> tuple[str, ...]:
    """The draft's căn cứ lines: the user's own lines first, then the bases of ``bases_topic`` in force on the
    draft's date (else today) among the documents ``principal`` may see, in legal rank; repeated lines once."""
    lines = list(body.bases)
    if body.bases_topic.strip():
        found = legal_bases(service, body.bases_topic, principal=principal, as_of=body.date or today)
        lines.extend(f"Căn cứ {basis.citation}" for basis in found.in_force)
    return tuple(dict.fromkeys(line.strip() for line in lines if line.strip()))


@router.post(
    "/v1/drafts",
    response_model=DraftOut,
    responses={
        **UNAUTHORIZED,
        200: {
            "content": {DOCX: {}},
            "description": "The DOCX (headers X-Draft-Number, percent-encoded, and X-Draft-Placeholders), "
            "or JSON with ?format=json",
        },
    },
    summary="Draft a giấy mời, tờ trình, báo cáo, công văn, kế hoạch or quyết định (Nghị định 30/2020/NĐ-CP)",
)
def draft(
    body: DraftBody,
    principal: PrincipalDep,
    service: ServiceDep,
    auditor: AuditorDep,
    format: Annotated[str, Query(pattern="^(docx|json)$")] = "docx",
) -> Any:
    kind = DraftKind.parse(body.kind)
    lines = draft_bases(service, principal, body)
    request = DraftRequest(
        kind=kind, issuing_body=body.issuing_body, issuing_abbreviation=body.issuing_abbreviation,
        superior_body=body.superior_body, drafting_unit=body.drafting_unit, number=body.number, place=body.place,
        date=body.date, subject=body.subject, recipients=tuple(body.recipients), bases=lines,
        details=draft_details(kind, body.details), distribution=tuple(body.distribution),
        signature=body.signature.to_core() if body.signature else Signature(), archive_copies=body.archive_copies,
    )  # fmt: skip
    rendered = render_draft(request)
    auditor.record(
        Action.DRAFT_RENDER,
        {"kind": rendered.kind.value, "number": rendered.number, "bases_topic": body.bases_topic, "bases": len(lines)},
    )
    if format == "json":
        return DraftOut.from_core(rendered, lines)
    return Response(
        rendered.content,
        media_type=DOCX,
        headers={
            "Content-Disposition": f'attachment; filename="{rendered.filename}"',
            "X-Draft-Number": quote(rendered.number, safe="/"),
            "X-Draft-Placeholders": ",".join(rendered.placeholders),
        },
    )
