"""POST /v1/feedback (any logged-in user), GET /v1/feedback and GET /v1/feedback/export (admins)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from assistant.accounts.audit import Action
from assistant.api.account_schemas import FeedbackCreated, FeedbackList, FeedbackOut, FeedbackRequest
from assistant.api.deps import AdminDep, AuditorDep, FeedbackDep, ServiceDep, UserDep
from assistant.api.feedback_store import to_question
from assistant.api.routes.auth import UNAUTHORIZED
from assistant.api.schemas import ErrorResponse
from assistant.errors import InvalidRequest

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])
_ADMIN: dict[int | str, dict[str, Any]] = {
    **UNAUTHORIZED,
    403: {"model": ErrorResponse, "description": "Only for admins"},
}
MAX_EXPORT = 1000


@router.post("", status_code=201, response_model=FeedbackCreated, responses=UNAUTHORIZED, summary="Rate an answer")
def add_feedback(body: FeedbackRequest, user: UserDep, feedback: FeedbackDep) -> FeedbackCreated:
    feedback_id = feedback.add(
        username=user.username,
        unit=user.units[0] if user.units else "",
        question=body.question,
        answer=body.answer,
        citations=body.citations,
        rating=body.rating,
        comment=body.comment,
        index_version=body.index_version,
    )
    return FeedbackCreated(id=feedback_id)


@router.get("", response_model=FeedbackList, responses=_ADMIN, summary="Recent feedback (admin)")
def list_feedback(
    admin: AdminDep,
    feedback: FeedbackDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> FeedbackList:
    return FeedbackList(items=[FeedbackOut.from_core(i) for i in feedback.recent(limit=limit, offset=offset)])


def _parse_ids(ids: str) -> list[int]:
    try:
        parsed = [int(part) for part in ids.split(",") if part.strip()]
    except ValueError:
        raise InvalidRequest("Tham số 'ids' phải là các số cách nhau bởi dấu phẩy, ví dụ ids=1,2,3.") from None
    if len(parsed) > MAX_EXPORT or any(i < 1 or i > 2**62 for i in parsed):
        raise InvalidRequest(f"Tham số 'ids': tối đa {MAX_EXPORT} mã, mỗi mã là số nguyên dương.")
    return parsed


@router.get(
    "/export",
    response_class=Response,
    responses={**_ADMIN, 200: {"content": {"application/x-ndjson": {}}, "description": "Question-set JSONL"}},
    summary="Feedback as a question set (project JSONL format) for evaluators (admin)",
)
def export_feedback(
    admin: AdminDep,
    feedback: FeedbackDep,
    service: ServiceDep,
    auditor: AuditorDep,
    ids: Annotated[str, Query(max_length=20000, description="Comma-separated feedback ids; empty: the latest")] = "",
) -> Response:
    wanted = _parse_ids(ids)
    items = feedback.get_many(wanted) if wanted else feedback.recent(limit=MAX_EXPORT)
    lines = [json.dumps(to_question(item, service.document_of_chunk), ensure_ascii=False) for item in items]
    auditor.record(Action.FEEDBACK_EXPORT, {"ids": [item.id for item in items]})
    body = "".join(line + "\n" for line in lines)
    return Response(
        body,
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="feedback-questions.jsonl"'},
    )
