"""Request and response schemas of /v1/eval/runs (evaluation runs an admin starts over the served shelf)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.api.eval_jobs import EvalJobInfo

MAX_QUESTIONS_BYTES = 2_000_000


class EvalRunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_set: Literal["shelf", "upload"] = Field(
        "shelf", description="'shelf': the sample shelf's own questions; 'upload': the JSONL in questions_jsonl"
    )
    questions_jsonl: str = Field(
        "",
        max_length=MAX_QUESTIONS_BYTES,
        description="Project-format question lines (id, question, gold_doc_ids, …), e.g. a feedback export",
    )
    split: Literal["dev", "test"] | None = Field(None, description="Only the questions of this split")
    limit: int | None = Field(None, ge=1, le=2000, description="The first N questions")
    configs: list[str] = Field(
        default_factory=lambda: ["hybrid"], min_length=1, max_length=4, description="Retrieval configurations"
    )


class EvalRunOut(BaseModel):
    id: str
    username: str
    label: str
    status: Literal["queued", "running", "done", "failed"]
    configs: list[str]
    done: int = Field(description="Questions asked so far, over every configuration")
    total: int
    created: dt.datetime
    finished: dt.datetime | None
    metrics: dict[str, dict[str, float]] = Field(default_factory=dict, description="Headline figures per config")
    misses: list[dict[str, Any]] = Field(default_factory=list, description="What the first config got wrong")
    index_version: str = ""
    error: str = ""

    @classmethod
    def from_core(cls, job: EvalJobInfo) -> EvalRunOut:
        r = job.result
        return cls(
            id=job.id, username=job.username, label=job.label, status=job.status,  # type: ignore[arg-type]
            configs=list(job.configs), done=job.done, total=job.total, created=job.created, finished=job.finished,
            metrics=r.get("metrics", {}), misses=r.get("misses", []), index_version=r.get("index_version", ""),
            error=r.get("error", ""),
        )  # fmt: skip


class EvalRunList(BaseModel):
    runs: list[EvalRunOut]
