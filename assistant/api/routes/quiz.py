"""Trainer mode over HTTP: generate a checked bank, review it, export it, practise it, read per-item results, and
build a short lesson. Trainers (role ``trainer``) and admins build and review; every logged-in user may practise a
bank they may see. A bank is visible only to callers who may see every one of its source documents."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from assistant.accounts.audit import Action
from assistant.accounts.users import UserInfo
from assistant.api.deps import AuditorDep, PrincipalDep, QuizStoreDep, ServiceDep, UserDep, require_user
from assistant.api.quiz_schemas import (
    BankList,
    BankOut,
    BankSummaryOut,
    GenerateRequest,
    GenerateResponse,
    GradedOut,
    ItemStatOut,
    LessonOut,
    LessonRequest,
    PracticeItemOut,
    PracticeOut,
    PracticeResult,
    PracticeSubmit,
    ReviewRequest,
    StatsOut,
    VersionList,
    VersionOut,
)
from assistant.api.quiz_store import QuizStore
from assistant.api.routes.auth import UNAUTHORIZED
from assistant.api.schemas import ErrorResponse
from assistant.errors import DocumentNotFound, InvalidRequest, PermissionDenied
from assistant.quiz.builder import QuizBuilder
from assistant.quiz.export import export_bank, lesson_to_docx
from assistant.quiz.model import QuizBank, QuizItem
from assistant.quiz.practice import Response as Answered
from assistant.quiz.practice import grade_all, practice_items
from assistant.service import AssistantService
from assistant.types import DocumentMeta, Principal

router = APIRouter(prefix="/v1/quiz", tags=["quiz"])
TRAINER_ROLES = frozenset({"trainer", "admin"})
_RESPONSES: dict[int | str, dict[str, Any]] = {
    **UNAUTHORIZED,
    403: {"model": ErrorResponse, "description": "Only for trainers (role 'trainer') or admins"},
    404: {"model": ErrorResponse, "description": "No such bank, or one the caller may not see"},
    409: {"model": ErrorResponse, "description": "The bank changed since the version the caller saw"},
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def require_trainer(user: UserDep) -> UserInfo:
    """A logged-in trainer or admin; 403 for any other account."""
    if not TRAINER_ROLES & set(user.roles):
        raise PermissionDenied("Chức năng này dành cho giảng viên (vai trò 'trainer') hoặc quản trị viên.")
    return user


TrainerDep = Annotated[UserInfo, Depends(require_trainer)]
LearnerDep = Annotated[UserInfo, Depends(require_user)]


def documents_of(service: AssistantService, principal: Principal) -> Any:
    """A lookup of a document as ``principal`` sees it now (None: hidden, or no longer on the shelf)."""

    def lookup(doc_id: str) -> DocumentMeta | None:
        try:
            return service.document(doc_id, principal=principal)[0]
        except DocumentNotFound:
            return None

    return lookup


def _bank(
    store: QuizStore, service: AssistantService, bank_id: str, principal: Principal, version: int | None = None
) -> QuizBank:
    return store.get(bank_id, principal=principal, version=version, documents=documents_of(service, principal))


@router.post("/banks", status_code=201, response_model=GenerateResponse, responses=_RESPONSES,
             summary="Generate a checked, cited bank from the documents the trainer may see and save it")  # fmt: skip
def generate_bank(
    body: GenerateRequest,
    user: TrainerDep,
    principal: PrincipalDep,
    service: ServiceDep,
    store: QuizStoreDep,
    auditor: AuditorDep,
) -> GenerateResponse:
    if not (body.topic.strip() or body.doc_ids or body.doc_types or body.unit):
        raise InvalidRequest("Hãy nêu nguồn để soạn câu hỏi: trường 'topic', 'doc_ids', 'doc_types' hoặc 'unit'.")
    generated = QuizBuilder(service).generate(
        principal,
        doc_ids=tuple(body.doc_ids),
        topic=body.topic.strip(),
        doc_types=tuple(body.doc_types),
        unit=body.unit,
        count=body.count,
        kinds=tuple(body.kinds),
        difficulty=body.difficulty,
        include_not_current=body.include_not_current,
    )
    bank = QuizBank(
        bank_id="",
        title=body.title.strip(),
        topic=body.topic.strip(),
        owner=user.username,
        unit=user.units[0] if user.units else "",
        items=tuple(generated.items),
        doc_ids=tuple(sorted({s.doc_id for item in generated.items for s in item.sources})),
        audience=generated.audience,
    )
    saved = store.create(bank, principal=principal)
    auditor.record(Action.QUIZ_GENERATE, {"bank_id": saved.bank_id, "items": len(saved.items)})
    problems = Counter(problem for check in generated.checks for problem in check.problems)
    return GenerateResponse(
        bank=BankOut.from_core(saved),
        checked=len(generated.checks),
        refused=sum(1 for check in generated.checks if not check.passed),
        problems=dict(problems),
    )


@router.get("/banks", response_model=BankList, responses=UNAUTHORIZED, summary="Banks the caller may see")
def list_banks(user: LearnerDep, principal: PrincipalDep, service: ServiceDep, store: QuizStoreDep) -> BankList:
    summaries = store.list(principal=principal, documents=documents_of(service, principal))
    return BankList(banks=[BankSummaryOut(**dataclasses.asdict(s)) for s in summaries])


@router.get("/banks/{bank_id}", response_model=BankOut, responses=_RESPONSES, summary="A bank with its answers")
def get_bank(
    bank_id: str,
    user: TrainerDep,
    principal: PrincipalDep,
    service: ServiceDep,
    store: QuizStoreDep,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> BankOut:
    return BankOut.from_core(_bank(store, service, bank_id, principal, version))


@router.get("/banks/{bank_id}/versions", response_model=VersionList, responses=_RESPONSES, summary="Saved versions")
def bank_versions(
    bank_id: str, user: TrainerDep, principal: PrincipalDep, service: ServiceDep, store: QuizStoreDep
) -> VersionList:
    rows = store.versions(bank_id, principal=principal, documents=documents_of(service, principal))
    return VersionList(versions=[VersionOut(version=v, updated_at=t, editor=e, note=n) for v, t, e, n in rows])


def _edited(item: QuizItem, body: ReviewRequest) -> QuizItem | None:
    changes: dict[str, Any] = {}
    if body.stem is not None:
        changes["stem"] = body.stem.strip()
    if body.options is not None:
        changes["options"] = tuple(o.strip() for o in body.options)
    if body.correct is not None:
        changes["correct"] = tuple(body.correct)
    if body.answers is not None:
        changes["answers"] = tuple(a.strip() for a in body.answers)
    if body.explanation is not None:
        changes["explanation"] = body.explanation.strip()
    if not changes:
        return None
    edited = dataclasses.replace(item, **changes)
    options = edited.options
    if any(i < 0 or i >= len(options) for i in edited.correct) or (options and len(edited.correct) != 1):
        raise InvalidRequest("Trường 'correct': chọn đúng một phương án trong 'options' (chỉ số từ 0).")
    if len(set(options)) != len(options):
        raise InvalidRequest("Trường 'options': các phương án phải khác nhau.")
    return edited


@router.put("/banks/{bank_id}/items/{item_id}", response_model=BankOut, responses=_RESPONSES,
            summary="Accept, reject or edit one item (saves a new version)")  # fmt: skip
def review_item(
    bank_id: str,
    item_id: str,
    body: ReviewRequest,
    user: TrainerDep,
    principal: PrincipalDep,
    service: ServiceDep,
    store: QuizStoreDep,
    auditor: AuditorDep,
) -> BankOut:
    bank = _bank(store, service, bank_id, principal)
    item = next((i for i in bank.items if i.item_id == item_id), None)
    if item is None:
        raise InvalidRequest(f"Không có câu '{item_id[:40]}' trong bộ câu hỏi này. Tải lại bộ câu hỏi.")
    saved = store.review(
        bank_id, item_id, body.status, principal=principal, edited=_edited(item, body),
        expected_version=body.expected_version,
    )  # fmt: skip
    auditor.record(Action.QUIZ_REVIEW, {"bank_id": bank_id, "item_id": item_id, "status": str(body.status)})
    return BankOut.from_core(saved)


@router.delete("/banks/{bank_id}", status_code=204, response_class=Response, responses=_RESPONSES,
               summary="Delete a bank (its owner or an admin)")  # fmt: skip
def delete_bank(
    bank_id: str, user: TrainerDep, principal: PrincipalDep, service: ServiceDep, store: QuizStoreDep,
    auditor: AuditorDep,
) -> Response:  # fmt: skip
    _bank(store, service, bank_id, principal)
    store.delete(bank_id, principal=principal)
    auditor.record(Action.QUIZ_DELETE, {"bank_id": bank_id})
    return Response(status_code=204)


@router.get(
    "/banks/{bank_id}/export",
    response_class=Response,
    responses={**_RESPONSES, 200: {"content": {DOCX: {}, "application/xml": {}, "text/plain": {}, "text/csv": {}},
                                   "description": "The bank as a file"}},
    summary="Export a bank: docx (test paper), key (answer key), moodle (Moodle XML), gift, csv",
)  # fmt: skip
def export(
    bank_id: str,
    user: TrainerDep,
    principal: PrincipalDep,
    service: ServiceDep,
    store: QuizStoreDep,
    auditor: AuditorDep,
    format: Annotated[str, Query(pattern="^(docx|key|moodle|gift|csv)$")] = "docx",
    version: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    bank = _bank(store, service, bank_id, principal, version)
    content, media_type, suffix = export_bank(bank, format)
    auditor.record(Action.QUIZ_EXPORT, {"bank_id": bank_id, "format": format, "version": bank.version})
    filename = f"bank-{bank.bank_id}-v{bank.version}{suffix}"
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/banks/{bank_id}/practice", response_model=PracticeOut, responses=_RESPONSES,
            summary="A bank to practise: shuffled items without answers")  # fmt: skip
def practice(
    bank_id: str, user: LearnerDep, principal: PrincipalDep, service: ServiceDep, store: QuizStoreDep
) -> PracticeOut:
    bank = _bank(store, service, bank_id, principal)
    items = [PracticeItemOut.from_core(i) for i in practice_items(bank.items)]
    return PracticeOut(bank_id=bank.bank_id, title=bank.title, version=bank.version, items=items)


@router.post("/banks/{bank_id}/practice", response_model=PracticeResult, responses=_RESPONSES,
             summary="Submit answers: the score and the cited explanation of each item")  # fmt: skip
def submit_practice(
    bank_id: str, body: PracticeSubmit, user: LearnerDep, principal: PrincipalDep, service: ServiceDep,
    store: QuizStoreDep,
) -> PracticeResult:  # fmt: skip
    bank = _bank(store, service, bank_id, principal, body.version)
    responses = {k: Answered(choice=v.choice, text=v.text, pairs=dict(v.pairs)) for k, v in body.answers.items()}
    graded = grade_all(bank.items, responses)
    store.record_attempt(bank_id, bank.version, {g.item.item_id: g.correct for g in graded}, principal=principal)
    return PracticeResult(
        score=sum(g.correct for g in graded), total=len(graded), items=[GradedOut.from_core(g) for g in graded]
    )


@router.get("/banks/{bank_id}/stats", response_model=StatsOut, responses=_RESPONSES,
            summary="Per-item results of the unit's learners (anonymous counts)")  # fmt: skip
def stats(
    bank_id: str,
    user: TrainerDep,
    principal: PrincipalDep,
    service: ServiceDep,
    store: QuizStoreDep,
    unit: Annotated[str | None, Query(max_length=64)] = None,
) -> StatsOut:
    bank = _bank(store, service, bank_id, principal)
    stems = {item.item_id: item.stem for item in bank.items}
    rows = store.item_stats(bank_id, principal=principal, unit=unit)
    items = [ItemStatOut(item_id=i, stem=stems.get(i, ""), attempts=a, wrong=w) for i, a, w in rows]
    return StatsOut(bank_id=bank_id, unit=unit or "", items=items)


@router.post(
    "/lessons",
    response_model=LessonOut,
    responses={**UNAUTHORIZED, 200: {"content": {DOCX: {}}, "description": "The lesson (JSON, or DOCX on request)"}},
    summary="A short lesson on a topic: the key rules as cited points, in the documents' order",
)
def lesson(body: LessonRequest, user: LearnerDep, principal: PrincipalDep, service: ServiceDep) -> Any:
    built = QuizBuilder(service).lesson(principal, body.topic.strip(), n=body.points)
    if body.format == "docx":
        return Response(
            lesson_to_docx(built),
            media_type=DOCX,
            headers={"Content-Disposition": 'attachment; filename="bai-hoc.docx"'},
        )
    return LessonOut.from_core(built)
