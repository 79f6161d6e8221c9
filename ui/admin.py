"""Admin tabs: the documents (list, upload with metadata and live ingest progress, re-ingest, remove) and the
staff feedback (list, export of chosen items as evaluation questions)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from ui.client import ApiClient, ApiError
from ui.labels import Labels
from ui.models import Document, FeedbackItem, Job, Session
from ui.strings import error_text, t

ROLES = ("staff", "trainer", "inspector", "evaluator", "admin")  # the API's roles (assistant.accounts.models)
STATUSES = ("còn hiệu lực", "hết hiệu lực một phần", "hết hiệu lực toàn bộ", "chưa có hiệu lực")
VISIBILITIES = ("public", "unit", "restricted")
_STATUS_OF_CODE = dict(zip(("in_force", "partly_expired", "expired", "not_yet_in_force"), STATUSES, strict=True))


def visibility_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"vis.{v}"), v) for v in VISIBILITIES]


def _audience(doc: Document, lang: str) -> str:
    """The visibility and, for a restricted document, who may see it: "hạn chế: TTT, inspector"."""
    label = t(lang, f"vis.{doc.visibility}") if doc.visibility in VISIBILITIES else doc.visibility
    named = [*doc.allowed_units, *doc.allowed_roles]
    return f"{label}: {', '.join(named)}" if doc.visibility == "restricted" and named else label


def documents_table(docs: list[Document], lang: str) -> dict[str, Any]:
    headers = t(lang, "docs.columns").split("|")
    rows = [
        [d.doc_id, d.number, d.title, d.doc_type, d.unit, _audience(d, lang),
         d.status_label + ("" if d.current else " ⚠")]
        for d in docs
    ]  # fmt: skip
    return {"headers": headers, "data": rows or [[""] * len(headers)]}


@dataclass
class _FileRow:
    name: str
    state: str  # queued | running | done | failed | rejected | timeout
    job_id: str = ""
    detail: list[str] = field(default_factory=list)


def progress_html(rows: list[_FileRow], lang: str, timeout: float = 0.0) -> str:
    if not rows:
        return ""
    items = []
    for row in rows:
        label = t(lang, "job.timeout", seconds=timeout) if row.state == "timeout" else t(lang, f"job.{row.state}")
        details = "".join(f"<li>{escape(d)}</li>" for d in row.detail)
        items.append(
            f'<li class="tl-job tl-job-{row.state}"><strong>{escape(row.name)}</strong> — '
            f'<span class="tl-job-state">{escape(label)}</span>{f"<ul>{details}</ul>" if details else ""}</li>'
        )
    return f'<div class="tl-progress" aria-live="polite"><ul>{"".join(items)}</ul></div>'


def _apply_job(row: _FileRow, job: Job, lang: str) -> None:
    row.state = job.status if job.status in ("queued", "running", "done", "failed") else row.state
    row.detail = [f"{f.file}: {f.reason}" for f in job.failed]
    if job.ingested:
        row.detail.append(t(lang, "job.ingested", ids=", ".join(job.ingested)))
    if job.replaced:
        row.detail.append(t(lang, "job.replaced", ids=", ".join(job.replaced)))
    if job.status == "done" and not (job.ingested or job.replaced):
        row.detail.append(t(lang, "job.unchanged"))
    row.detail.extend(t(lang, "job.warning", text=w) for w in job.warnings)


class DocumentsTab:
    def __init__(self, client: ApiClient, *, poll_seconds: float, timeout_seconds: float) -> None:
        self.client = client
        self.poll_seconds = poll_seconds
        self.timeout_seconds = timeout_seconds

    def build(self, labels: Labels, lang: str) -> None:
        self.docs = gr.State([])
        with gr.Row():
            self.refresh = labels.add(
                gr.Button(size="sm", scale=0, min_width=200, elem_id="tl-docs-refresh"), value="docs.refresh"
            )
            self.message = gr.Markdown(elem_id="tl-docs-message")
        self.table = gr.Dataframe(
            value=documents_table([], lang), interactive=False, wrap=True, max_height=360, elem_id="tl-docs-table"
        )
        with gr.Row(equal_height=True):
            self.select = labels.add(
                gr.Dropdown(choices=[], scale=3, min_width=240, elem_id="tl-docs-select"), label="docs.select"
            )
            self.reason = labels.add(gr.Textbox(scale=3, min_width=240, elem_id="tl-docs-reason"), label="docs.reason")
            self.confirm = labels.add(gr.Checkbox(scale=2, elem_id="tl-docs-confirm"), label="docs.confirm")
            self.remove = labels.add(
                gr.Button(variant="stop", size="sm", scale=1, elem_id="tl-docs-remove"), value="docs.remove"
            )
        labels.add(gr.Markdown(elem_classes="tl-subheading"), value="docs.upload")
        labels.add(gr.Markdown(t(lang, "docs.reingest_help")), value="docs.reingest_help")
        self.files = labels.add(
            gr.File(file_count="multiple", type="filepath", elem_id="tl-upload-files"), label="docs.files"
        )
        with gr.Row():
            self.doc_id = labels.add(gr.Textbox(min_width=200, elem_id="tl-up-doc-id"), label="docs.doc_id")
            self.title = labels.add(gr.Textbox(min_width=200, elem_id="tl-up-title"), label="docs.title")
            self.number = labels.add(gr.Textbox(min_width=160, elem_id="tl-up-number"), label="docs.number")
        with gr.Row():
            self.doc_type = labels.add(
                gr.Dropdown(choices=[], allow_custom_value=True, min_width=160, elem_id="tl-up-type"),
                label="docs.doc_type",
            )
            self.status = labels.add(
                gr.Dropdown(choices=["", *STATUSES], value="", min_width=160, elem_id="tl-up-status"),
                label="docs.status",
            )
            self.unit = labels.add(gr.Textbox(min_width=140, elem_id="tl-up-unit"), label="docs.unit")
        with gr.Row():
            self.visibility = labels.add(
                gr.Radio(choices=visibility_choices(lang), value="public", elem_id="tl-up-visibility"),
                label="docs.visibility",
            )
            self.allowed_units = labels.add(gr.Textbox(min_width=200), label="docs.allowed_units")
            self.allowed_roles = labels.add(
                gr.CheckboxGroup(choices=[(t(lang, f"role.{r}"), r) for r in ROLES]), label="docs.allowed_roles"
            )
        self.submit = labels.add(gr.Button(variant="primary", elem_id="tl-upload"), value="docs.submit")
        self.progress = gr.HTML(elem_id="tl-progress")

    def wire(self, session: gr.State, lang: gr.State) -> None:
        listing = [self.table, self.docs, self.select, self.doc_type, self.message]
        self.refresh.click(self.load, [session, lang], listing)
        self.select.input(
            self.prefill,
            [self.select, self.docs],
            [
                self.doc_id, self.title, self.number, self.doc_type, self.status, self.unit, self.visibility,
                self.allowed_units, self.allowed_roles,
            ],
        )  # fmt: skip
        self.remove.click(
            self.delete, [self.select, self.reason, self.confirm, session, lang], [*listing, self.confirm, self.reason]
        )
        form = [
            self.files, self.doc_id, self.title, self.number, self.doc_type, self.status, self.unit, self.visibility,
            self.allowed_units, self.allowed_roles,
        ]  # fmt: skip
        self.submit.click(self.upload, [*form, session, lang], [self.progress, *listing, self.files])

    # -- handlers ----------------------------------------------------------------------------------
    def load(self, session: Session | None, lang: str, note: str = "") -> tuple[Any, ...]:
        token = session.token if session else None
        try:
            docs = self.client.documents(token)
        except ApiError as exc:
            message = f"⚠ {error_text(lang, exc.code, exc.message, api_url=self.client.base_url)}"
            return gr.update(), gr.update(), gr.update(), gr.update(), message
        types = sorted({d.doc_type for d in docs if d.doc_type})
        choices = [(f"{d.doc_id} — {d.number or d.title[:50]}", d.doc_id) for d in docs]
        message = " ".join(part for part in (note, t(lang, "docs.count", count=len(docs))) if part)
        return (
            documents_table(docs, lang), docs, gr.update(choices=choices, value=None), gr.update(choices=types),
            message,
        )  # fmt: skip

    def prefill(self, doc_id: str | None, docs: list[Document]) -> tuple[Any, ...]:
        doc = next((d for d in docs if d.doc_id == doc_id), None)
        if doc is None:
            return tuple(gr.update() for _ in range(9))
        status = _STATUS_OF_CODE.get(doc.status, "")
        visibility = doc.visibility if doc.visibility in VISIBILITIES else "public"
        return (
            doc.doc_id, doc.title, doc.number, doc.doc_type, status, doc.unit, visibility,
            ", ".join(doc.allowed_units), list(doc.allowed_roles),
        )  # fmt: skip

    def delete(
        self, doc_id: str | None, reason: str, confirmed: bool, session: Session | None, lang: str
    ) -> tuple[Any, ...]:
        """Move the chosen document to the trash: a reason and the confirmation box are required."""
        unchanged = (gr.update(),) * 4
        for missing, key in ((not doc_id, "docs.pick_first"), (not (reason or "").strip(), "docs.reason_needed"),
                             (not confirmed, "docs.confirm_needed")):  # fmt: skip
            if missing:
                return *unchanged, f"⚠ {t(lang, key)}", gr.update(), gr.update()
        token = session.token if session and session.token else ""
        try:
            removed = self.client.remove(token, doc_id or "", reason=reason.strip())
        except ApiError as exc:
            message = f"⚠ {error_text(lang, exc.code, exc.message, api_url=self.client.base_url)}"
            return *unchanged, message, False, gr.update()
        note = f"✓ {t(lang, 'docs.removed', ids=', '.join(removed))}"
        try:
            note += " " + t(lang, "docs.removed_days", days=self.client.trash(token).retention_days)
        except ApiError:
            pass  # the removal worked; only the reminder of the retention period is missing
        return *self.load(session, lang, note=note), False, ""

    def upload(
        self, files: list[str] | None, doc_id: str, title: str, number: str, doc_type: str | None, status: str | None,
        unit: str, visibility: str | None, allowed_units: str, allowed_roles: list[str] | None,
        session: Session | None, lang: str,
    ) -> Iterator[tuple[Any, ...]]:  # fmt: skip
        """Upload each file, then poll the ingest jobs and show every state change and per-file error."""
        keep = (gr.update(),) * 5
        if not files:
            yield f'<p class="tl-warning">⚠ {escape(t(lang, "docs.no_files"))}</p>', *keep, gr.update()
            return
        token = session.token if session and session.token else ""
        metadata = {
            "doc_id": doc_id.strip() if len(files) == 1 else "", "title": title.strip(), "number": number.strip(),
            "doc_type": (doc_type or "").strip(), "status": status or "", "unit": unit.strip(),
            "visibility": visibility or "", "allowed_units": allowed_units.strip(),
            "allowed_roles": ",".join(allowed_roles or ()),
        }  # fmt: skip
        rows = [_FileRow(Path(f).name, "queued") for f in files]
        for row, path in zip(rows, files, strict=True):
            try:
                row.job_id = self.client.upload(token, row.name, Path(path).read_bytes(), metadata)
            except ApiError as exc:
                row.state = "rejected"
                row.detail = [error_text(lang, exc.code, exc.message, api_url=self.client.base_url)]
            except OSError as exc:
                row.state, row.detail = "rejected", [str(exc)]
            yield progress_html(rows, lang), *keep, gr.update()
        deadline = time.monotonic() + self.timeout_seconds
        while any(row.state in ("queued", "running") for row in rows):
            if time.monotonic() > deadline:
                for row in rows:
                    row.state = "timeout" if row.state in ("queued", "running") else row.state
                break
            time.sleep(self.poll_seconds)
            for row in rows:
                if row.state in ("queued", "running"):
                    try:
                        _apply_job(row, self.client.job(token, row.job_id), lang)
                    except ApiError as exc:
                        row.detail = [error_text(lang, exc.code, exc.message, api_url=self.client.base_url)]
            yield progress_html(rows, lang), *keep, gr.update()
        yield progress_html(rows, lang, self.timeout_seconds), *self.load(session, lang), None


def feedback_table(items: list[FeedbackItem], lang: str) -> dict[str, Any]:
    headers = t(lang, "fbadmin.columns").split("|")
    rows = [
        [i.id, i.ts[:16].replace("T", " "), i.username, i.unit, t(lang, f"chat.rate_{i.rating}"), i.question,
         i.answer[:300], ", ".join(i.citations), i.comment]
        for i in items
    ]  # fmt: skip
    return {"headers": headers, "data": rows or [[""] * len(headers)]}


class FeedbackTab:
    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self.export_dir = Path(tempfile.mkdtemp(prefix="tro-ly-feedback-"))

    def build(self, labels: Labels, lang: str) -> None:
        with gr.Row():
            self.refresh = labels.add(
                gr.Button(size="sm", scale=0, min_width=200, elem_id="tl-fb-refresh"), value="fbadmin.refresh"
            )
            self.message = gr.Markdown(elem_id="tl-fbadmin-message")
        self.table = gr.Dataframe(
            value=feedback_table([], lang), interactive=False, wrap=True, max_height=360, elem_id="tl-fb-table"
        )
        self.select = labels.add(gr.CheckboxGroup(choices=[], elem_id="tl-fb-select"), label="fbadmin.select")
        self.export = labels.add(gr.Button(variant="primary", elem_id="tl-fb-export"), value="fbadmin.export")
        self.file = labels.add(gr.File(interactive=False, elem_id="tl-fb-file"), label="fbadmin.file")

    def wire(self, session: gr.State, lang: gr.State) -> None:
        self.refresh.click(self.load, [session, lang], [self.table, self.select, self.message])
        self.export.click(self.export_items, [self.select, session, lang], [self.file, self.message])

    def load(self, session: Session | None, lang: str) -> tuple[Any, ...]:
        try:
            items = self.client.feedback(session.token if session and session.token else "")
        except ApiError as exc:
            return (
                gr.update(),
                gr.update(),
                f"⚠ {error_text(lang, exc.code, exc.message, api_url=self.client.base_url)}",
            )
        choices = [(f"#{i.id} {'+' if i.rating == 'up' else '−'} {i.question[:70]}", i.id) for i in items]
        note = "" if items else t(lang, "fbadmin.empty")
        return feedback_table(items, lang), gr.update(choices=choices, value=[]), note

    def export_items(self, ids: list[int] | None, session: Session | None, lang: str) -> tuple[Any, str]:
        if not ids:
            return None, f"⚠ {t(lang, 'fbadmin.pick_first')}"
        try:
            data = self.client.export_feedback(session.token if session and session.token else "", ids)
        except ApiError as exc:
            return None, f"⚠ {error_text(lang, exc.code, exc.message, api_url=self.client.base_url)}"
        folder = Path(tempfile.mkdtemp(dir=self.export_dir))
        path = folder / "feedback-questions.jsonl"
        path.write_bytes(data)
        count = sum(1 for line in data.splitlines() if line.strip())
        return str(path), f"✓ {t(lang, 'fbadmin.exported', count=count)}"
