"""POST /v1/ask and POST /v1/search."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from assistant.accounts.audit import Action
from assistant.api.deps import Auditor, AuditorDep, ObserverDep, PrincipalDep, ServiceDep
from assistant.api.observability import AnswerObserver
from assistant.api.schemas import AskRequest, AskResponse, CitationOut, PassageOut, SearchRequest, SearchResponse
from assistant.service import AskResult, AssistantService
from assistant.types import Passage, Principal

router = APIRouter(prefix="/v1", tags=["ask"])


def _passage_out(passage: Passage, principal: Principal) -> PassageOut:
    """Raw BM25 scores depend on corpus-wide term statistics, hidden documents included: only admins get them."""
    out = PassageOut.from_core(passage)
    if not principal.is_admin:
        out.scores = {k: v for k, v in out.scores.items() if k != "bm25"}
    return out


async def answer_and_audit(
    body: AskRequest, service: AssistantService, principal: Principal, auditor: Auditor, observer: AnswerObserver
) -> AskResult:
    """Answer ``body`` (with its conversation context), record the question and cited documents, count it."""
    filters = body.filters.to_core() if body.filters else None
    result = await run_in_threadpool(
        service.ask, body.question, principal=principal, history=body.history, filters=filters, top_k=body.top_k
    )
    answer = result.answer
    cited = list(dict.fromkeys(c.doc_id for c in answer.citations))
    detail = {"question": body.question, "cited_doc_ids": cited, "abstained": answer.abstained}
    await run_in_threadpool(auditor.record, Action.ASK, {**detail, "index_version": result.index_version})
    observer.observe(body.question, result)
    return result


@router.post("/ask", response_model=AskResponse, summary="Answer a question with cited sources")
async def ask(
    body: AskRequest, service: ServiceDep, principal: PrincipalDep, auditor: AuditorDep, observer: ObserverDep
) -> AskResponse:
    result = await answer_and_audit(body, service, principal, auditor, observer)
    answer = result.answer
    return AskResponse(
        answer=answer.text,
        abstained=answer.abstained,
        language=answer.language,
        evidence=round(answer.evidence, 4),
        threshold=round(result.evidence.threshold, 4),
        follow_up=result.query.is_follow_up,
        composer=answer.composer,
        citations=[CitationOut.from_core(c) for c in answer.citations],
        passages=[_passage_out(p, principal) for p in answer.passages],
        index_version=result.index_version,
        timings={k: round(v, 2) for k, v in result.timings_ms.items()},
    )


@router.post("/search", response_model=SearchResponse, summary="Ranked passages without an answer")
async def search(
    body: SearchRequest, service: ServiceDep, principal: PrincipalDep, auditor: AuditorDep
) -> SearchResponse:
    filters = body.filters.to_core() if body.filters else None
    result = await run_in_threadpool(
        service.search, body.question, principal=principal, filters=filters, top_k=body.top_k
    )
    returned = list(dict.fromkeys(p.document.doc_id for p in result.passages))
    await run_in_threadpool(auditor.record, Action.SEARCH, {"question": body.question, "doc_ids": returned})
    return SearchResponse(
        passages=[_passage_out(p, principal) for p in result.passages],
        index_version=result.index_version,
        timings={k: round(v, 2) for k, v in result.timings_ms.items()},
    )
