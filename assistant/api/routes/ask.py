"""POST /v1/ask and POST /v1/search."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import PrincipalDep, ServiceDep
from assistant.api.schemas import AskRequest, AskResponse, CitationOut, PassageOut, SearchRequest, SearchResponse

router = APIRouter(prefix="/v1", tags=["ask"])


@router.post("/ask", response_model=AskResponse, summary="Answer a question with cited sources")
async def ask(body: AskRequest, service: ServiceDep, principal: PrincipalDep) -> AskResponse:
    filters = body.filters.to_core() if body.filters else None
    result = await run_in_threadpool(service.ask, body.question, principal=principal, filters=filters, top_k=body.top_k)
    answer = result.answer
    return AskResponse(
        answer=answer.text,
        abstained=answer.abstained,
        language=answer.language,
        evidence=round(answer.evidence, 4),
        composer=answer.composer,
        citations=[CitationOut.from_core(c) for c in answer.citations],
        passages=[PassageOut.from_core(p) for p in answer.passages],
        index_version=result.index_version,
        timings={k: round(v, 2) for k, v in result.timings_ms.items()},
    )


@router.post("/search", response_model=SearchResponse, summary="Ranked passages without an answer")
async def search(body: SearchRequest, service: ServiceDep, principal: PrincipalDep) -> SearchResponse:
    filters = body.filters.to_core() if body.filters else None
    result = await run_in_threadpool(
        service.search, body.question, principal=principal, filters=filters, top_k=body.top_k
    )
    return SearchResponse(
        passages=[PassageOut.from_core(p) for p in result.passages],
        index_version=result.index_version,
        timings={k: round(v, 2) for k, v in result.timings_ms.items()},
    )
