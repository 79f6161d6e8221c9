"""/v1/eval/runs: an admin asks a question set of the served shelf in the background and follows its progress.

The question set is the sample shelf's own (``Settings.eval_questions_dir``) or project-format JSONL sent with the
request (a feedback export, or the unit's own questions). A bad line is refused before anything runs, naming the
line and field.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam

from assistant.accounts.audit import Action
from assistant.api.deps import AdminDep, AuditorDep, SettingsDep
from assistant.api.errors import JobNotFound
from assistant.api.eval_jobs import EvalRunner
from assistant.api.eval_schemas import EvalRunList, EvalRunOut, EvalRunRequest
from assistant.api.routes.auth import UNAUTHORIZED
from assistant.api.schemas import ErrorResponse
from assistant.errors import InvalidRequest
from assistant.settings import Settings
from eval.datasets import DatasetError, EvalQuestion, read_question_file, select_split
from eval.runner import CONFIGS

router = APIRouter(prefix="/v1/eval/runs", tags=["evaluation"])
_ADMIN: dict[int | str, dict[str, Any]] = {
    **UNAUTHORIZED,
    403: {"model": ErrorResponse, "description": "Only for admins"},
}
RunId = Annotated[str, PathParam(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]


def get_eval_runner(request: Request) -> EvalRunner:
    runner: EvalRunner = request.app.state.eval_runner
    return runner


RunnerDep = Annotated[EvalRunner, Depends(get_eval_runner)]


def _questions(body: EvalRunRequest, settings: Settings) -> tuple[list[EvalQuestion], str]:
    """The questions to ask and a label for the run; InvalidRequest naming the field, file and line when bad."""
    try:
        if body.question_set == "upload":
            if not body.questions_jsonl.strip():
                raise InvalidRequest(
                    "Trường 'questions_jsonl' trống: gửi các dòng JSONL câu hỏi khi question_set=upload."
                )
            with tempfile.TemporaryDirectory(prefix="eval-upload-") as folder:
                file = Path(folder) / "questions_jsonl"
                file.write_text(body.questions_jsonl, encoding="utf-8")
                try:
                    questions = read_question_file(file)
                except DatasetError as exc:
                    raise InvalidRequest(str(exc).replace(f"{folder}/", "")) from None
            where, label = Path("questions_jsonl"), "tải lên"
        else:
            seen: dict[str, str] = {}
            files = sorted(settings.eval_questions_dir.glob("*.jsonl"))
            if not files:
                raise InvalidRequest(
                    f"Không có bộ câu hỏi của kho mẫu trong {settings.eval_questions_dir}; "
                    "đặt ASSISTANT_EVAL_QUESTIONS_DIR hoặc dùng question_set=upload."
                )
            questions = [q for f in files for q in read_question_file(f, seen)]
            where, label = settings.eval_questions_dir, "kho mẫu"
        chosen = list(select_split(questions, body.split, where))
    except DatasetError as exc:
        raise InvalidRequest(str(exc)) from None
    if body.limit:
        chosen = chosen[: body.limit]
    label = f"{label} · {body.split or 'mọi phần'} · {len(chosen)} câu"
    return chosen, label


@router.post("", status_code=202, response_model=EvalRunOut, responses=_ADMIN, summary="Start an evaluation (admin)")
def start_run(
    body: EvalRunRequest, admin: AdminDep, settings: SettingsDep, runner: RunnerDep, auditor: AuditorDep
) -> EvalRunOut:
    unknown = [c for c in body.configs if c not in CONFIGS]
    if unknown:
        raise InvalidRequest(f"Trường 'configs': không có cấu hình {unknown}; chọn trong {', '.join(CONFIGS)}.")
    questions, label = _questions(body, settings)
    job, _ = runner.submit(questions, list(dict.fromkeys(body.configs)), username=admin.username, label=label)
    auditor.record(Action.EVAL_RUN, {"run_id": job.id, "questions": len(questions), "configs": list(job.configs)})
    return EvalRunOut.from_core(job)


@router.get("", response_model=EvalRunList, responses=_ADMIN, summary="Recent evaluations (admin)")
def list_runs(admin: AdminDep, runner: RunnerDep, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> EvalRunList:
    return EvalRunList(runs=[EvalRunOut.from_core(job) for job in runner.store.recent(limit=limit)])


@router.get(
    "/{run_id}",
    response_model=EvalRunOut,
    responses={**_ADMIN, 404: {"model": ErrorResponse, "description": "No such run"}},
    summary="One evaluation: progress, then figures (admin)",
)
def get_run(run_id: RunId, admin: AdminDep, runner: RunnerDep) -> EvalRunOut:
    job = runner.store.get(run_id)
    if job is None:
        raise JobNotFound(run_id)
    return EvalRunOut.from_core(job)
