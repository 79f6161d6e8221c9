"""GET /v1/documents, /v1/documents/{doc_id} and the stored source file."""

from __future__ import annotations

import mimetypes
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from assistant.accounts.audit import Action
from assistant.api.deps import AuditorDep, PrincipalDep, ServiceDep
from assistant.api.schemas import ChunkOut, DocumentDetail, DocumentList, DocumentOut, ErrorResponse
from assistant.types import SearchFilters

router = APIRouter(prefix="/v1/documents", tags=["documents"])
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No such document (or not visible to the caller)"}
}


@router.get("", response_model=DocumentList, summary="Documents visible to the caller")
def list_documents(
    service: ServiceDep,
    principal: PrincipalDep,
    doc_type: Annotated[list[str] | None, Query(description="Loại văn bản")] = None,
    in_force_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DocumentList:
    filters = SearchFilters(doc_types=tuple(doc_type or ()), in_force_only=in_force_only)
    docs = service.documents(principal=principal, filters=filters)
    return DocumentList(
        total=len(docs),
        documents=[DocumentOut.from_core(d) for d in docs[offset : offset + limit]],
        index_version=service.index_version(),
    )


@router.get("/{doc_id}", response_model=DocumentDetail, responses=_NOT_FOUND, summary="Metadata and chunks")
def get_document(doc_id: str, service: ServiceDep, principal: PrincipalDep, auditor: AuditorDep) -> DocumentDetail:
    doc, chunks = service.document(doc_id, principal=principal)
    auditor.record(Action.DOCUMENT_VIEW, {"doc_id": doc.doc_id})
    return DocumentDetail(document=DocumentOut.from_core(doc), chunks=[ChunkOut.from_core(c) for c in chunks])


@router.get(
    "/{doc_id}/source",
    response_class=FileResponse,
    responses={**_NOT_FOUND, 200: {"content": {"application/octet-stream": {}}}},
    summary="The original file (append #page=N to open a PDF at a page)",
)
def get_source(doc_id: str, service: ServiceDep, principal: PrincipalDep, auditor: AuditorDep) -> FileResponse:
    doc, path = service.source_file(doc_id, principal=principal)
    auditor.record(Action.DOCUMENT_DOWNLOAD, {"doc_id": doc.doc_id})
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    filename = f"{doc.doc_id}{path.suffix}"
    return FileResponse(path, media_type=media_type, filename=filename, content_disposition_type="inline")
