"""A typed client of the assistant's HTTP API; every failure becomes an ``ApiError`` a person can act on."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote

import httpx

from ui.models import (
    BankSummary,
    BankVersion,
    Citation,
    Citations,
    Comparison,
    Delta,
    Document,
    DocumentText,
    Done,
    DownloadedFile,
    Draft,
    DraftForm,
    EvalRun,
    FeedbackItem,
    GeneratedBank,
    GradedItem,
    IndexVersion,
    InspectionWorkspace,
    ItemStat,
    Job,
    LegalBases,
    Lesson,
    LessonPoint,
    Meta,
    Practice,
    PracticeItem,
    PracticeScore,
    QuizBank,
    Readiness,
    Restored,
    SavedConversation,
    Session,
    SourceFile,
    StreamEvent,
    Trash,
    TrashEntry,
    Turn,
    User,
)

logger = logging.getLogger(__name__)
MAX_SAVED_BYTES = 200_000  # under the API's default body limit (256 KB)

AuthMode = Literal["open", "login"]
_PASSED_HEADERS = ("content-type", "content-disposition", "content-security-policy", "x-content-type-options")


@dataclass
class ApiError(Exception):
    """``code`` is the API's error code, or ``unavailable`` / ``timeout`` / ``bad_response`` from this client;
    ``message`` is the API's own (Vietnamese) message when it sent one."""

    code: str
    message: str = ""
    status: int = 0
    details: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.message else self.code


def _error_of(response: httpx.Response) -> ApiError:
    try:
        body = json.loads(response.read() or b"{}")
        error = body.get("error", {}) if isinstance(body, dict) else {}
        code, message = str(error.get("code", "")), str(error.get("message", ""))
    except (ValueError, UnicodeDecodeError):
        code, message = "", ""
    return ApiError(code or f"http_{response.status_code}", message, response.status_code)


class ApiClient:
    """Calls the API over ``http`` (an ``httpx.Client`` whose base URL is the API, e.g. a FastAPI TestClient)."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    @classmethod
    def connect(cls, api_url: str, *, timeout: float = 60.0) -> ApiClient:
        return cls(httpx.Client(base_url=api_url, timeout=httpx.Timeout(timeout, connect=5.0)))

    @property
    def base_url(self) -> str:
        return str(self.http.base_url).rstrip("/")

    def close(self) -> None:
        self.http.close()

    # -- plumbing ------------------------------------------------------------------------------------
    @staticmethod
    def _headers(token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}

    def _request(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, path, headers=self._headers(token), **kwargs)
        except httpx.TimeoutException as exc:
            raise ApiError("timeout") from exc
        except httpx.TransportError as exc:
            logger.warning("API at %s unreachable: %s", self.base_url, exc)
            raise ApiError("unavailable") from exc
        if response.status_code >= 400:
            raise _error_of(response)
        return response

    def _json(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
        response = self._request(method, path, token, **kwargs)
        try:
            return response.json()
        except ValueError as exc:
            raise ApiError("bad_response", status=response.status_code) from exc

    # -- health and accounts ---------------------------------------------------------------------------
    def readiness(self) -> Readiness:
        try:
            response = self.http.get("/readyz")
        except httpx.TransportError as exc:
            raise ApiError("unavailable") from exc
        body = response.json()
        return Readiness(bool(body.get("ready")), body.get("index_version"), int(body.get("documents", 0)))

    def auth_mode(self) -> AuthMode:
        """``open`` when the API answers anonymous callers (public documents only), else ``login``."""
        try:
            self._request("GET", "/v1/documents", params={"limit": 1})
        except ApiError as exc:
            if exc.status == 401:
                return "login"
            raise
        return "open"

    def login(self, username: str, password: str) -> Session:
        body = self._json("POST", "/v1/auth/login", json={"username": username, "password": password})
        return Session(token=body["token"], user=User.from_api(body["user"]), expires_at=body.get("expires_at", ""))

    def logout(self, token: str) -> None:
        self._request("POST", "/v1/auth/logout", token)

    def me(self, token: str) -> User:
        return User.from_api(self._json("GET", "/v1/me", token))

    # -- questions -------------------------------------------------------------------------------------
    def ask_stream(
        self,
        question: str,
        *,
        token: str | None = None,
        history: Sequence[str] = (),
        doc_types: Sequence[str] = (),
        in_force_only: bool = False,
        as_of: dt.date | None = None,
    ) -> Iterator[StreamEvent]:
        """The events of POST /v1/ask/stream as they arrive: Meta, Delta…, the citations, Done."""
        body: dict[str, Any] = {"question": question, "history": list(history)[-10:]}
        if doc_types or in_force_only or as_of:
            body["filters"] = {"doc_types": list(doc_types), "in_force_only": in_force_only}
            if as_of:
                body["filters"]["as_of"] = as_of.isoformat()
        try:
            with self.http.stream("POST", "/v1/ask/stream", json=body, headers=self._headers(token)) as response:
                if response.status_code >= 400:
                    raise _error_of(response)
                yield from _parse_events(response.iter_lines())
        except httpx.TimeoutException as exc:
            raise ApiError("timeout") from exc
        except httpx.TransportError as exc:
            raise ApiError("unavailable") from exc

    # -- documents -------------------------------------------------------------------------------------
    def documents(self, token: str | None = None, *, limit: int = 1000) -> list[Document]:
        body = self._json("GET", "/v1/documents", token, params={"limit": limit})
        return [Document.from_api(d) for d in body.get("documents", [])]

    def document_text(self, doc_id: str, token: str | None = None) -> DocumentText:
        return DocumentText.from_api(self._json("GET", f"/v1/documents/{quote(doc_id, safe='')}", token))

    def source(self, doc_id: str, token: str | None = None) -> SourceFile:
        response = self._request("GET", f"/v1/documents/{quote(doc_id, safe='')}/source", token)
        headers = {k.lower(): v for k, v in response.headers.items() if k.lower() in _PASSED_HEADERS}
        return SourceFile(content=response.content, headers=headers)

    def upload(self, token: str, filename: str, data: bytes, metadata: dict[str, Any]) -> str:
        """Queue an upload; returns the ingest job id. ``metadata`` holds the optional form fields."""
        form = {k: v for k, v in metadata.items() if v not in ("", None, [], ())}
        files = {"file": (filename, data, "application/octet-stream")}
        return str(self._json("POST", "/v1/documents", token, data=form, files=files)["job_id"])

    def job(self, token: str, job_id: str) -> Job:
        return Job.from_api(self._json("GET", f"/v1/ingest/jobs/{quote(job_id, safe='')}", token))

    def remove(self, token: str, doc_id: str, *, reason: str = "") -> list[str]:
        """Move a document to the trash (restorable for the trash retention period); the ids removed."""
        params = {"reason": reason} if reason else None
        path = f"/v1/documents/{quote(doc_id, safe='')}"
        return list(self._json("DELETE", path, token, params=params).get("removed", []))

    # -- undo, rollback and backup (admins) ------------------------------------------------------------------
    def trash(self, token: str) -> Trash:
        body = self._json("GET", "/v1/trash", token)
        entries = tuple(TrashEntry.from_api(e) for e in body.get("entries", []))
        return Trash(int(body.get("retention_days", 0)), entries)

    def restore(self, token: str, doc_id: str) -> Restored:
        """Put a removed document back; the new index version and how many chunks had to be embedded again."""
        body = self._json("POST", f"/v1/trash/{quote(doc_id, safe='')}/restore", token)
        return Restored(str(body["restored"]), str(body["version"]), int(body["chunks"]), int(body["embedded"]))

    def purge_trash(self, token: str) -> list[str]:
        """Delete the trash entries past retention; their document ids."""
        return [str(d) for d in self._json("POST", "/v1/trash/purge", token).get("purged", [])]

    def index_versions(self, token: str) -> tuple[int, list[IndexVersion]]:
        """How many versions are kept, and the kept versions (oldest first, as the API lists them)."""
        body = self._json("GET", "/v1/index/versions", token)
        return int(body.get("keep", 0)), [IndexVersion.from_api(v) for v in body.get("versions", [])]

    def rollback(self, token: str, version: str) -> str:
        """Publish ``version`` again; the new current version (a copy of it)."""
        return str(self._json("POST", "/v1/index/rollback", token, json={"version": version})["version"])

    def backup(self, token: str) -> DownloadedFile:
        """The backup archive (.tar.gz) of the store, current index, originals and settings."""
        return _download(self._request("POST", "/v1/backup", token), "tro-ly-sao-luu.tar.gz")

    # -- feedback --------------------------------------------------------------------------------------
    # -- evaluation runs (admins) ---------------------------------------------------------------------
    def start_eval(
        self, token: str, *, questions_jsonl: str = "", split: str | None = None, limit: int | None = None,
        configs: Sequence[str] = ("hybrid",),
    ) -> EvalRun:  # fmt: skip
        """Start an evaluation of the served shelf: its own questions, or ``questions_jsonl`` when given."""
        body: dict[str, Any] = {"question_set": "upload" if questions_jsonl else "shelf", "configs": list(configs)}
        if questions_jsonl:
            body["questions_jsonl"] = questions_jsonl
        if split:
            body["split"] = split
        if limit:
            body["limit"] = limit
        return EvalRun.from_api(self._json("POST", "/v1/eval/runs", token, json=body))

    def eval_run(self, token: str, run_id: str) -> EvalRun:
        return EvalRun.from_api(self._json("GET", f"/v1/eval/runs/{quote(run_id, safe='')}", token))

    def eval_runs(self, token: str, *, limit: int = 20) -> list[EvalRun]:
        body = self._json("GET", "/v1/eval/runs", token, params={"limit": limit})
        return [EvalRun.from_api(r) for r in body.get("runs", [])]

    # -- saved conversations -------------------------------------------------------------------------
    def conversations(self, token: str, *, limit: int = 20) -> list[SavedConversation]:
        body = self._json("GET", "/v1/me/conversations", token, params={"limit": limit})
        return [SavedConversation.from_api(c) for c in body.get("conversations", [])]

    def conversation(self, token: str, conversation_id: str) -> list[Turn]:
        body = self._json("GET", f"/v1/me/conversations/{quote(conversation_id, safe='')}", token)
        return [Turn.from_saved(turn) for turn in body.get("turns", [])]

    def save_conversation(self, token: str, conversation_id: str | None, turns: Sequence[Turn]) -> str:
        """Save the finished turns (a new conversation when ``conversation_id`` is None); the conversation's id."""
        saved = [turn.to_saved() for turn in turns if not turn.pending][-100:]
        while len(saved) > 1 and len(json.dumps({"turns": saved}, ensure_ascii=False).encode()) > MAX_SAVED_BYTES:
            saved.pop(0)  # the API takes bodies of ASSISTANT_MAX_BODY_KB (256): a long conversation keeps its end
        body = {"turns": saved}
        if conversation_id is None:
            return str(self._json("POST", "/v1/me/conversations", token, json=body)["id"])
        path = f"/v1/me/conversations/{quote(conversation_id, safe='')}"
        return str(self._json("PUT", path, token, json=body)["id"])

    def send_feedback(
        self,
        token: str,
        *,
        question: str,
        answer: str,
        citations: Sequence[str],
        rating: Literal["up", "down"],
        comment: str = "",
        index_version: str = "",
    ) -> int:
        body = {
            "question": question, "answer": answer, "citations": list(citations)[:50], "rating": rating,
            "comment": comment, "index_version": index_version,
        }  # fmt: skip
        return int(self._json("POST", "/v1/feedback", token, json=body)["id"])

    def feedback(self, token: str, *, limit: int = 100) -> list[FeedbackItem]:
        body = self._json("GET", "/v1/feedback", token, params={"limit": limit})
        return [FeedbackItem.from_api(i) for i in body.get("items", [])]

    def export_feedback(self, token: str, ids: Sequence[int]) -> bytes:
        """The selected feedback as a question set in the project's JSONL format."""
        params = {"ids": ",".join(str(i) for i in ids)}
        return self._request("GET", "/v1/feedback/export", token, params=params).content

    # -- trainer mode ------------------------------------------------------------------------------------
    def generate_bank(
        self, token: str, *, title: str, topic: str, count: int = 20, kinds: Sequence[str] = (),
        difficulty: str | None = None,
    ) -> GeneratedBank:  # fmt: skip
        """Generate a checked, cited bank on ``topic`` and save it (trainers and admins)."""
        body: dict[str, Any] = {"title": title, "topic": topic, "count": count, "difficulty": difficulty or None}
        if kinds:
            body["kinds"] = list(kinds)
        out = self._json("POST", "/v1/quiz/banks", token, json=body)
        problems = {str(k): int(v) for k, v in out.get("problems", {}).items()}
        return GeneratedBank(QuizBank.from_api(out["bank"]), int(out["checked"]), int(out["refused"]), problems)

    def banks(self, token: str) -> list[BankSummary]:
        return [BankSummary.from_api(b) for b in self._json("GET", "/v1/quiz/banks", token).get("banks", [])]

    def bank(self, token: str, bank_id: str, *, version: int | None = None) -> QuizBank:
        params = {"version": version} if version else None
        return QuizBank.from_api(self._json("GET", _bank_path(bank_id), token, params=params))

    def review_item(
        self, token: str, bank_id: str, item_id: str, *, status: str, expected_version: int,
        stem: str | None = None, options: Sequence[str] | None = None, correct: Sequence[int] | None = None,
        answers: Sequence[str] | None = None, explanation: str | None = None,
    ) -> QuizBank:  # fmt: skip
        """Accept, reject or edit one item; the saved bank (a new version). A stale ``expected_version`` is an
        ``ApiError`` with status 409."""
        edits = {"stem": stem, "options": options, "correct": correct, "answers": answers, "explanation": explanation}
        body: dict[str, Any] = {"status": status, "expected_version": expected_version}
        body.update({k: list(v) if isinstance(v, list | tuple) else v for k, v in edits.items() if v is not None})
        path = f"{_bank_path(bank_id)}/items/{quote(item_id, safe='')}"
        return QuizBank.from_api(self._json("PUT", path, token, json=body))

    def bank_versions(self, token: str, bank_id: str) -> list[BankVersion]:
        rows = self._json("GET", f"{_bank_path(bank_id)}/versions", token).get("versions", [])
        return [BankVersion.from_api(v) for v in rows]

    def delete_bank(self, token: str, bank_id: str) -> None:
        self._request("DELETE", _bank_path(bank_id), token)

    def export_bank(self, token: str, bank_id: str, fmt: str) -> DownloadedFile:
        """The bank as a file: ``docx`` (test paper), ``key`` (answer key), ``moodle``, ``gift`` or ``csv``."""
        response = self._request("GET", f"{_bank_path(bank_id)}/export", token, params={"format": fmt})
        return _download(response, f"bank-{bank_id}.{fmt}")

    def practice(self, token: str, bank_id: str) -> Practice:
        body = self._json("GET", f"{_bank_path(bank_id)}/practice", token)
        items = tuple(PracticeItem.from_api(i) for i in body.get("items", []))
        return Practice(str(body["bank_id"]), str(body.get("title", "")), int(body["version"]), items)

    def submit_practice(
        self, token: str, bank_id: str, version: int, answers: dict[str, dict[str, Any]]
    ) -> PracticeScore:
        """Grade ``answers`` (item id → ``{"choice"|"text"|"pairs": …}``): the score and each item's right answer."""
        body = self._json(
            "POST", f"{_bank_path(bank_id)}/practice", token, json={"version": version, "answers": answers}
        )
        items = tuple(GradedItem.from_api(i) for i in body.get("items", []))
        return PracticeScore(int(body["score"]), int(body["total"]), items)

    def bank_stats(self, token: str, bank_id: str) -> list[ItemStat]:
        rows = self._json("GET", f"{_bank_path(bank_id)}/stats", token).get("items", [])
        return [ItemStat(str(r["item_id"]), str(r.get("stem", "")), int(r["attempts"]), int(r["wrong"])) for r in rows]

    def lesson(self, token: str, topic: str, *, points: int = 5) -> Lesson:
        body = self._json("POST", "/v1/quiz/lessons", token, json={"topic": topic, "points": points})
        cited = tuple(LessonPoint(str(p["text"]), str(p.get("citation", ""))) for p in body.get("points", []))
        return Lesson(str(body.get("title", "")), str(body.get("topic", "")), cited)

    def lesson_docx(self, token: str, topic: str, *, points: int = 5) -> DownloadedFile:
        body = {"topic": topic, "points": points, "format": "docx"}
        return _download(self._request("POST", "/v1/quiz/lessons", token, json=body), "bai-hoc.docx")

    # -- inspection and drafting ---------------------------------------------------------------------------
    def legal_bases(self, token: str | None, topic: str, *, as_of: str | None = None) -> LegalBases:
        """The bases of ``topic`` in force on ``as_of`` (ISO date; today when None), with the căn cứ block."""
        body = {"topic": topic, **({"as_of": as_of} if as_of else {})}
        return LegalBases.from_api(self._json("POST", "/v1/inspection/bases", token, json=body))

    def workspace(
        self, token: str | None, topic: str, object_name: str, *, as_of: str | None = None
    ) -> InspectionWorkspace:
        """The inspection workspace: bases, the object's checklist, the procedure's deadlines, the plan's fields."""
        body = _workspace(topic, object_name, as_of)
        return InspectionWorkspace.from_api(self._json("POST", "/v1/inspection/workspace", token, json=body))

    def workspace_docx(
        self, token: str | None, topic: str, object_name: str, fmt: Literal["checklist", "plan"], *,
        as_of: str | None = None,
    ) -> DownloadedFile:  # fmt: skip
        """``fmt`` "checklist" (bảng kiểm) or "plan" (kế hoạch thanh tra) as DOCX."""
        body = _workspace(topic, object_name, as_of)
        response = self._request("POST", "/v1/inspection/workspace", token, params={"format": fmt}, json=body)
        return _download(response, f"{fmt}.docx")

    def changes(self, token: str | None, doc_id: str, *, against: str | None = None) -> Comparison:
        """What changed between ``doc_id`` and the document amending or replacing it (or ``against``)."""
        params = {"against": against} if against else {}
        path = f"/v1/documents/{quote(doc_id, safe='')}/changes"
        return Comparison.from_api(self._json("GET", path, token, params=params))

    def changes_docx(self, token: str | None, doc_id: str, *, against: str | None = None) -> DownloadedFile:
        params = {"format": "docx", **({"against": against} if against else {})}
        response = self._request("GET", f"/v1/documents/{quote(doc_id, safe='')}/changes", token, params=params)
        return _download(response, f"so-sanh-{doc_id}.docx")

    def draft(self, token: str | None, form: DraftForm) -> Draft:
        """The DOCX of a draft, its số/ký hiệu and the fields left as placeholders."""
        response = self._request("POST", "/v1/drafts", token, json=form.to_api())
        placeholders = tuple(p for p in response.headers.get("x-draft-placeholders", "").split(",") if p)
        number = unquote(response.headers.get("x-draft-number", ""))
        return Draft(_download(response, "du-thao.docx"), number, placeholders)


def _workspace(topic: str, object_name: str, as_of: str | None) -> dict[str, str]:
    return {"topic": topic, "object_name": object_name, **({"as_of": as_of} if as_of else {})}


def _bank_path(bank_id: str) -> str:
    return f"/v1/quiz/banks/{quote(bank_id, safe='')}"


_FILENAME = re.compile(r'filename="?([^";]+)"?')


_FILENAME_STAR = re.compile(r"filename\*=UTF-8''([^;]+)", re.IGNORECASE)


def _download(response: httpx.Response, fallback: str) -> DownloadedFile:
    disposition = response.headers.get("content-disposition", "")
    star, found = _FILENAME_STAR.search(disposition), _FILENAME.search(disposition)
    name = Path(unquote(star.group(1))).name if star else Path(found.group(1)).name if found else fallback
    return DownloadedFile(response.content, name or fallback, response.headers.get("content-type", ""))


def _parse_events(lines: Iterator[str]) -> Iterator[StreamEvent]:
    event, data = "", ""
    for line in lines:
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data += line[5:].strip()
        elif not line.strip() and event:
            yield _event(event, data)
            event, data = "", ""
    if event:
        yield _event(event, data)


def _event(name: str, data: str) -> StreamEvent:
    try:
        payload = json.loads(data or "{}")
    except ValueError as exc:
        raise ApiError("bad_response", f"sự kiện '{name}' không phải JSON") from exc
    if name == "meta":
        return Meta.from_api(payload)
    if name == "delta":
        return Delta(str(payload.get("text", "")))
    if name == "citations":
        return Citations(tuple(Citation.from_api(c) for c in payload.get("citations", [])))
    if name == "done":
        return Done({k: float(v) for k, v in payload.get("timings", {}).items()})
    raise ApiError("bad_response", f"sự kiện lạ '{name}'")
