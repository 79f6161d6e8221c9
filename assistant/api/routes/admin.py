"""Admin document management: POST /v1/documents (upload), GET /v1/ingest/jobs/{id}, DELETE /v1/documents/{id}
(to the trash); undo and rollback: GET /v1/trash, POST /v1/trash/{id}/restore, POST /v1/trash/purge,
GET /v1/index/versions, POST /v1/index/rollback; POST /v1/backup (a download of the whole installation)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from assistant.accounts.audit import Action
from assistant.accounts.backup import create_backup
from assistant.api.account_schemas import JobOut, RemoveResponse, UploadAccepted
from assistant.api.admin_schemas import (
    RollbackRequest,
    RollbackResponse,
    TrashEntryOut,
    TrashList,
    TrashPurged,
    TrashRestored,
    VersionList,
    VersionOut,
)
from assistant.api.deps import AccountsDep, AdminDep, ServiceDep, SettingsDep, client_address
from assistant.api.errors import JobNotFound
from assistant.api.ingest_jobs import IngestRunner
from assistant.api.routes.auth import UNAUTHORIZED
from assistant.api.schemas import ErrorResponse
from assistant.api.uploads import (
    UploadMetadata,
    access_vocabulary,
    check_upload,
    sanitize_filename,
    store_upload,
)
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
    visibility: Annotated[str, Form(max_length=20, description="public, unit or restricted")] = "",
    allowed_units: Annotated[list[str] | None, Form(description="Unit codes (repeat or comma-separate)")] = None,
    allowed_roles: Annotated[list[str] | None, Form(description="Roles (repeat or comma-separate)")] = None,
    issued: Annotated[str, Form(max_length=20, description="Date of issue, YYYY-MM-DD or DD/MM/YYYY")] = "",
    effective: Annotated[str, Form(max_length=20, description="In force from, YYYY-MM-DD or DD/MM/YYYY")] = "",
    expires: Annotated[str, Form(max_length=20, description="In force until, YYYY-MM-DD or DD/MM/YYYY")] = "",
) -> UploadAccepted:
    name = sanitize_filename(file.filename or "")
    data = await file.read(settings.max_file_bytes + 1)
    meta = UploadMetadata(
        doc_id=doc_id.strip(), title=title.strip(), number=number.strip(), doc_type=doc_type.strip(),
        status=status.strip(), unit=unit.strip(), visibility=visibility.strip(), allowed_units=_split(allowed_units),
        allowed_roles=_split(allowed_roles), issued=issued.strip(), effective=effective.strip(),
        expires=expires.strip(),
    )  # fmt: skip
    stored = service.stored_document(meta.doc_id or default_doc_id(name))
    if stored is not None:  # a new version of a document already on the shelf
        meta = meta.keeping(stored)
    job_id = runner.new_job_id()
    try:
        check_upload(name, data, max_bytes=settings.max_file_bytes, size=file.size)
        meta.validate(name, access_vocabulary(accounts.tree))
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
def remove_document(
    doc_id: str,
    admin: AdminDep,
    runner: RunnerDep,
    reason: Annotated[str, Query(max_length=500, description="Why (kept in the trash and the audit log)")] = "",
) -> RemoveResponse:
    result = runner.remove(doc_id, username=admin.username, reason=reason.strip())
    return RemoveResponse(removed=result["removed"], version=result["version"])


@router.get("/trash", response_model=TrashList, responses=_ADMIN, summary="Removed documents that can be restored")
def list_trash(admin: AdminDep, runner: RunnerDep, settings: SettingsDep) -> TrashList:
    entries = [TrashEntryOut.from_core(e) for e in runner.trash().entries()]
    return TrashList(retention_days=settings.trash_retention_days, entries=entries)


_RESTORE: dict[int | str, dict[str, Any]] = {
    **_NOT_FOUND,
    422: {"model": ErrorResponse, "description": "The document is in the index again"},
}


@router.post(
    "/trash/{doc_id}/restore",
    response_model=TrashRestored,
    responses=_RESTORE,
    summary="Put a removed document back (its newest trash entry); publishes a new index version",
)
def restore_from_trash(doc_id: str, admin: AdminDep, runner: RunnerDep) -> TrashRestored:
    return TrashRestored(**runner.restore(doc_id[:128], username=admin.username))


@router.post("/trash/purge", response_model=TrashPurged, responses=_ADMIN, summary="Delete entries past retention")
def purge_trash(admin: AdminDep, runner: RunnerDep) -> TrashPurged:
    return TrashPurged(purged=runner.purge_trash(username=admin.username))


@router.get("/index/versions", response_model=VersionList, responses=_ADMIN, summary="Kept index versions")
def list_versions(admin: AdminDep, runner: RunnerDep) -> VersionList:
    store = runner.versions()
    return VersionList(keep=store.keep, versions=[VersionOut.from_core(v) for v in store.versions()])


@router.post(
    "/index/rollback",
    response_model=RollbackResponse,
    responses={**_ADMIN, 422: {"model": ErrorResponse, "description": "Unknown or current version"}},
    summary="Publish a kept index version again (servers swap to it)",
)
def rollback_index(body: RollbackRequest, admin: AdminDep, runner: RunnerDep) -> RollbackResponse:
    return RollbackResponse(**runner.rollback(body.version, username=admin.username))


@router.post(
    "/backup",
    response_class=FileResponse,
    responses={**_ADMIN, 200: {"content": {"application/gzip": {}}, "description": "The backup archive"}},
    summary="Download a backup of the store, the current index, the originals and the settings (no secrets)",
)
async def download_backup(admin: AdminDep, settings: SettingsDep, accounts: AccountsDep) -> FileResponse:
    folder = Path(tempfile.mkdtemp(prefix="assistant-backup-"))
    try:
        summary = await run_in_threadpool(create_backup, settings, folder / "backup.tar.gz", database=accounts.db)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    detail = {"via": "api", "bytes": summary.bytes, "index_version": summary.index_version, "tables": summary.tables}
    accounts.audit.record(admin.username, Action.BACKUP, detail)
    name = f"tro-ly-sao-luu-{summary.manifest['created'][:19].replace(':', '')}.tar.gz"
    return FileResponse(
        summary.path,
        media_type="application/gzip",
        filename=name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
