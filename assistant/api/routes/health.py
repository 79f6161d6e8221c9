"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assistant.api.deps import ServiceDep
from assistant.api.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is up")
def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}}, summary="Index loaded")
def readyz(service: ServiceDep) -> Readiness | JSONResponse:
    info = service.index_info()
    if info is None:
        body = Readiness(ready=False, index_version=None, documents=0, chunks=0, embedder=service.embedder.name)
        return JSONResponse(body.model_dump(), status_code=503)
    return Readiness(
        ready=True,
        index_version=info.version,
        documents=info.documents,
        chunks=info.chunks,
        embedder=service.embedder.name,
    )
