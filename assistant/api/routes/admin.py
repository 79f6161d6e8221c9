"""Admin document management: POST /v1/documents (upload), GET /v1/ingest/jobs/{id}, DELETE /v1/documents/{id}."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from assistant.accounts.audit import Action
from assistant.api.account_schemas import JobOut, RemoveResponse, UploadAccepted
from assistant.api.deps import AccountsDep, AdminDep, ServiceDep, SettingsDep, client_address
from assistant.api.errors import JobNotFound
from assistant.api.ingest_jobs import IngestRunner
from assistant.api.routes.auth import UNAUTHORIZED
from assistant.api.schemas import ErrorResponse
from assistant.api.uploads import UploadMetadata, check_upload, sanitize_filename, store_upload
from assistant.errors import AssistantError
from ingest.metadata import default_doc_id

router = APIRouter(prefix="/v1", tags=["admin"])


def get_runner(request: Request) -> IngestRunner:
    runner: IngestRunner = request.app.state.ingest_runner
    return runner


RunnerDep = Annotated[IngestRunner, Depends(get_runner)]
_ADMIN: dict[int | str, dict[str, Any]] = {
    **UNAUTHORIZED,
    403: {"model": ErrorResponse, "description": "Only for admins"},
}
_UPLOAD: dict[int | str, dict[str, Any]] = {
    **_ADMIN,
    413: {"model": ErrorResponse, "description": "File over max_file_mb"},
    415: {"model": ErrorResponse, "description": "Unsupported type, or an executable"},
    422: {"model": ErrorResponse, "description": "Empty file, zip bomb, or invalid metadata"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {**_ADMIN, 404: {"model": ErrorResponse, "description": "No such id"}}


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


@router.post(
    "/documents",
    status_code=202,
    response_model=UploadAccepted,
    responses=_UPLOAD,
    summary="Upload a document (admin); ingested in the background",
)
async def upload_document(
    request: Request,
    admin: AdminDep,
    settings: SettingsDep,
    accounts: AccountsDep,
    runner: RunnerDep,
    service: ServiceDep,
    file: Annotated[UploadFile, File(description="PDF, DOCX, HTML, Markdown or TXT")],
    doc_id: Annotated[str, Form(max_length=128)] = "",
    title: Annotated[str, Form(max_length=500)] = "",
    number: Annotated[str, Form(max_length=100)] = "",
    doc_type: Annotated[str, Form(max_length=100)] = "",
    status: Annotated[str, Form(max_length=50)] = "",
    unit: Annotated[str, Form(max_length=64)] = "",
    visibility: Annotated[Literal["", "public", "unit", "restricted"], Form()] = "",
    allowed_units: Annotated[list[str] | None, Form(description="Unit codes (repeat or comma-separate)")] = None,
    allowed_roles: Annotated[list[str] | None, Form(description="Roles (repeat or comma-separate)")] = None,
) -> UploadAccepted:
    name = sanitize_filename(file.filename or "")
    data = await file.read(settings.max_file_bytes + 1)
    meta = UploadMetadata(
        doc_id=doc_id.strip(), title=title.strip(), number=number.strip(), doc_type=doc_type.strip(),
        status=status.strip(), unit=unit.strip(), visibility=visibility, allowed_units=_split(allowed_units),
        allowed_roles=_split(allowed_roles),
    )  # fmt: skip
    stored = service.stored_document(meta.doc_id or default_doc_id(name))
    if stored is not None:  # a new version of a document already on the shelf
        meta = meta.keeping(stored)
    job_id = runner.new_job_id()
    try:
        check_upload(name, data, max_bytes=settings.max_file_bytes, size=file.size)
        meta.validate(accounts.tree)
        path = await run_in_threadpool(store_upload, runner.job_folder(job_id), name, data, meta)
    except AssistantError as exc:
        detail = {"file": name, "status": "rejected", "reason": str(exc), "client": client_address(request)}
        accounts.audit.record(admin.username, Action.DOCUMENT_UPLOAD, detail)
        raise
    await run_in_threadpool(runner.submit, job_id, path, username=admin.username)
    return UploadAccepted(job_id=job_id, status="queued", status_url=f"/v1/ingest/jobs/{job_id}")


@router.get("/ingest/jobs/{job_id}", response_model=JobOut, responses=_NOT_FOUND, summary="Status of an upload")
def get_job(job_id: str, admin: AdminDep, runner: RunnerDep) -> JobOut:
    job = runner.jobs.get(job_id[:64])
    if job is None:
        raise JobNotFound(job_id)
    return JobOut.from_core(job)


@router.delete(
    "/documents/{doc_id}", response_model=RemoveResponse, responses=_NOT_FOUND, summary="Remove a document (admin)"
)
def remove_document(doc_id: str, admin: AdminDep, runner: RunnerDep) -> RemoveResponse:
    result = runner.remove(doc_id, username=admin.username)
    return RemoveResponse(removed=result["removed"], version=result["version"])
