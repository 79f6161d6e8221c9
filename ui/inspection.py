"""The inspection tab ("Thanh tra"): legal bases of a topic on a date, the inspection workspace (checklist
and plan as Word files), what changed between a document and the one amending or replacing it, and official drafts.
Every request goes through the API with the caller's token, so nothing comes from a document they may not see."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from ui.client import ApiClient, ApiError
from ui.labels import Labels
from ui.models import Comparison, DownloadedFile, DraftForm, InspectionWorkspace, LegalBases, Session, token_of
from ui.strings import error_text, t

DRAFT_KINDS = ("giay_moi", "to_trinh", "bao_cao", "cong_van", "ke_hoach", "quyet_dinh")
_MARK = {"delete": "del", "insert": "ins"}


def parse_day(text: str | None) -> str | None:
    """An ISO date from "2025-06-01" or "01/06/2025"; None for an empty field; ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValueError(text)


def bases_markdown(found: LegalBases, lang: str) -> str:
    """The bases as a list (superseded ones struck through), the căn cứ block to copy, and the căn cứ lines that
    name texts not on the shelf (to verify)."""
    lines = []
    for basis in found.bases:
        text = f"**{basis.number or basis.title}** — {basis.title} ({basis.rank_label})"
        text += f" · {', '.join(basis.articles)}" if basis.articles else ""
        lines.append(f"- ~~{text}~~ *{basis.status_label}*" if basis.superseded else f"- {text}")
    if not lines:
        return t(lang, "insp.no_bases")
    out = "\n".join(lines)
    if found.block:
        out += f"\n\n{t(lang, 'insp.block')}\n\n```text\n{found.block}\n```"
    if found.unverified:
        out += f"\n\n{t(lang, 'insp.unverified')}\n\n" + "\n".join(f"- {line}" for line in found.unverified)
    return out


def checklist_markdown(found: InspectionWorkspace, lang: str) -> str:
    """The checklist as a table (STT, duty, deadline, citation) and the procedure's time limits."""
    rows = [t(lang, "insp.checklist_head"), "|---|---|---|---|"]
    for n, item in enumerate(found.checklist, start=1):
        cells = (str(n), item.duty, item.limits, item.citation)
        rows.append("| " + " | ".join(" ".join(c.replace("|", "/").split()) for c in cells) + " |")
    deadlines = [f"- {d.line}" for d in found.deadlines]
    parts = [t(lang, "insp.checks", count=len(found.checklist), name=found.object_name)]
    parts.append("\n".join(rows) if len(rows) > 2 else t(lang, "insp.no_checks"))
    if deadlines:
        parts += [t(lang, "insp.deadlines"), "\n".join(deadlines)]
    return "\n\n".join(parts)


def changes_html(comparison: Comparison, lang: str) -> str:
    """Each changed article with deleted words struck and inserted words underlined."""
    head = t(lang, "insp.changes_head", old=comparison.old_number or comparison.old_id,
             new=comparison.new_number or comparison.new_id)  # fmt: skip
    out = [f"<p><strong>{escape(head)}</strong></p>"]
    for change in comparison.changes:
        words = "".join(
            f"<{_MARK[w.op]}>{escape(w.text)}</{_MARK[w.op]}>" if w.op in _MARK else escape(w.text)
            for w in change.words
        )
        kind = t(lang, f"insp.kind_{change.kind}")
        title = f"<p><strong>{escape(change.label)}</strong> — {escape(kind)}</p>"
        out.append(f'<div class="tl-change">{title}<p>{words}</p></div>')
    if len(out) == 1:
        out.append(f"<p>{escape(t(lang, 'insp.no_changes'))}</p>")
    return "\n".join(out)


def details_of(text: str | None) -> dict[str, str | list[str]]:
    """ "key=value" lines as the draft's details; a key given again makes a list of lines."""
    details: dict[str, str | list[str]] = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            continue
        key = key.strip()
        if key in details:
            previous = details[key]
            details[key] = [*previous, value.strip()] if isinstance(previous, list) else [previous, value.strip()]
        else:
            details[key] = value.strip()
    return details


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class InspectionTab:
    """Built inside the app's ``gr.Tabs``; shown to everyone signed in (the API decides what each may see) and
    emptied when the user changes."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self.out_dir = Path(tempfile.mkdtemp(prefix="tro-ly-thanh-tra-"))

    def build(self, labels: Labels, lang: str) -> None:
        tab = gr.Tab(id="inspection", visible=False, elem_id="tl-tab-inspection")
        with labels.add(tab, label="insp.tab") as self.tab:
            with labels.add(gr.Accordion(open=True, elem_id="tl-insp-bases-box"), label="insp.bases_title"):
                with gr.Row(equal_height=True):
                    self.topic = labels.add(gr.Textbox(scale=4, elem_id="tl-insp-topic"), label="insp.topic",
                                            placeholder="insp.topic_hint")  # fmt: skip
                    self.as_of = labels.add(gr.Textbox(scale=1, min_width=140, elem_id="tl-insp-as-of"),
                                            label="insp.as_of", placeholder="insp.as_of_hint")  # fmt: skip
                    self.bases_button = labels.add(gr.Button(variant="primary", scale=1, elem_id="tl-insp-bases"),
                                                   value="insp.bases_button")  # fmt: skip
                self.bases_out = gr.Markdown(elem_id="tl-insp-bases-out")
            with labels.add(gr.Accordion(open=False, elem_id="tl-insp-ws-box"), label="insp.ws_title"):
                with gr.Row(equal_height=True):
                    self.object_name = labels.add(gr.Textbox(scale=3, elem_id="tl-insp-object"),
                                                  label="insp.object", placeholder="insp.object_hint")  # fmt: skip
                    self.ws_button = labels.add(gr.Button(variant="primary", scale=1, elem_id="tl-insp-ws"),
                                                value="insp.ws_button")  # fmt: skip
                self.ws_out = gr.Markdown(elem_id="tl-insp-ws-out")
                with gr.Row():
                    self.checklist_file = labels.add(gr.File(interactive=False, elem_id="tl-insp-checklist-file"),
                                                     label="insp.checklist_file")  # fmt: skip
                    self.plan_file = labels.add(gr.File(interactive=False, elem_id="tl-insp-plan-file"),
                                                label="insp.plan_file")  # fmt: skip
            with labels.add(gr.Accordion(open=False, elem_id="tl-insp-changes-box"), label="insp.changes_title"):
                with gr.Row(equal_height=True):
                    self.doc = labels.add(gr.Dropdown(choices=[], scale=3, elem_id="tl-insp-doc"), label="insp.doc")
                    self.against = labels.add(gr.Dropdown(choices=[], scale=3, elem_id="tl-insp-against"),
                                              label="insp.against")  # fmt: skip
                    self.changes_button = labels.add(
                        gr.Button(variant="primary", scale=1, elem_id="tl-insp-changes"), value="insp.changes_button"
                    )
                self.changes_out = gr.HTML(elem_id="tl-insp-changes-out")
                self.changes_file = labels.add(gr.File(interactive=False, elem_id="tl-insp-changes-file"),
                                               label="insp.changes_file")  # fmt: skip
            with labels.add(gr.Accordion(open=False, elem_id="tl-insp-draft-box"), label="insp.draft_title"):
                with gr.Row():
                    kinds = [(t(lang, f"insp.draft_kind.{kind}"), kind) for kind in DRAFT_KINDS]
                    self.kind = labels.add(gr.Dropdown(choices=kinds, value="giay_moi", scale=1,
                                                       elem_id="tl-draft-kind"), label="insp.kind")  # fmt: skip
                    self.issuing_body = labels.add(gr.Textbox(scale=2, elem_id="tl-draft-body"),
                                                   label="insp.issuing_body")  # fmt: skip
                    self.abbreviation = labels.add(gr.Textbox(scale=1, elem_id="tl-draft-abbr"),
                                                   label="insp.abbreviation")  # fmt: skip
                self.subject = labels.add(gr.Textbox(elem_id="tl-draft-subject"), label="insp.subject")
                self.bases_topic = labels.add(gr.Textbox(elem_id="tl-draft-bases-topic"), label="insp.bases_topic")
                with gr.Row():
                    self.recipients = labels.add(gr.Textbox(lines=2, elem_id="tl-draft-recipients"),
                                                 label="insp.recipients")  # fmt: skip
                    self.details = labels.add(gr.Textbox(lines=3, elem_id="tl-draft-details"),
                                              label="insp.details", placeholder="insp.details_hint")  # fmt: skip
                self.draft_button = labels.add(gr.Button(variant="primary", elem_id="tl-draft-make"),
                                               value="insp.draft_button")  # fmt: skip
                self.draft_message = gr.Markdown(elem_id="tl-draft-message")
                self.draft_file = labels.add(
                    gr.File(interactive=False, elem_id="tl-draft-file"), label="insp.draft_file"
                )

    def wire(self, session: gr.State, lang: gr.State) -> None:
        self.tab.select(self.documents_update, [session], [self.doc, self.against])
        self.bases_button.click(self.bases, [self.topic, self.as_of, session, lang], self.bases_out)
        self.ws_button.click(
            self.workspace, [self.topic, self.object_name, self.as_of, session, lang],
            [self.ws_out, self.checklist_file, self.plan_file],
        )  # fmt: skip
        self.changes_button.click(
            self.compare, [self.doc, self.against, session, lang], [self.changes_out, self.changes_file]
        )
        self.draft_button.click(
            self.make_draft,
            [self.kind, self.issuing_body, self.abbreviation, self.subject, self.bases_topic, self.recipients,
             self.details, self.as_of, session, lang],
            [self.draft_message, self.draft_file],
        )  # fmt: skip

    def reset_targets(self) -> list[Any]:
        return [
            self.tab, self.topic, self.as_of, self.bases_out, self.object_name, self.ws_out, self.checklist_file,
            self.plan_file, self.doc, self.against, self.changes_out, self.changes_file, self.subject,
            self.bases_topic, self.recipients, self.details, self.draft_message, self.draft_file,
        ]  # fmt: skip

    def reset(self, session: Session | None, lang: str) -> tuple[Any, ...]:
        """Show the tab to signed-in users, with nothing left of a previous user (their topics, results, files)."""
        signed_in = bool(token_of(session))
        no_docs = gr.update(choices=[], value=None)
        return (
            gr.update(visible=signed_in), "", "", "", "", "", None, None, no_docs, no_docs, "", None, "", "", "", "",
            "", None,
        )  # fmt: skip

    def documents_update(self, session: Session | None) -> tuple[Any, Any]:
        """The document pickers filled with what the caller may see."""
        try:
            docs = self.client.documents(token_of(session))
        except ApiError:
            docs = []
        choices = [(f"{d.number or d.doc_id} — {d.title[:60]}", d.doc_id) for d in docs]
        return gr.update(choices=choices, value=None), gr.update(choices=choices, value=None)

    # -- handlers ----------------------------------------------------------------------------------
    def _error(self, lang: str, exc: ApiError) -> str:
        return f"⚠ {error_text(lang, exc.code, exc.message, api_url=self.client.base_url)}"

    def _save(self, downloaded: DownloadedFile) -> str:
        path = Path(tempfile.mkdtemp(dir=self.out_dir)) / (Path(downloaded.filename).name or "tep.docx")
        path.write_bytes(downloaded.content)
        return str(path)

    def bases(self, topic: str, as_of: str, session: Session | None, lang: str) -> str:
        if not (topic or "").strip():
            return f"⚠ {t(lang, 'insp.topic_needed')}"
        try:
            day = parse_day(as_of)
            return bases_markdown(self.client.legal_bases(token_of(session), topic.strip(), as_of=day), lang)
        except ValueError:
            return f"⚠ {t(lang, 'insp.bad_date', value=as_of)}"
        except ApiError as exc:
            return self._error(lang, exc)

    def workspace(
        self, topic: str, object_name: str, as_of: str, session: Session | None, lang: str
    ) -> tuple[str, str | None, str | None]:
        if not (topic or "").strip() or not (object_name or "").strip():
            return f"⚠ {t(lang, 'insp.ws_needed')}", None, None
        token = token_of(session)
        try:
            day = parse_day(as_of)
            body = self.client.workspace(token, topic.strip(), object_name.strip(), as_of=day)
            checklist = self.client.workspace_docx(token, topic.strip(), object_name.strip(), "checklist", as_of=day)
            plan = self.client.workspace_docx(token, topic.strip(), object_name.strip(), "plan", as_of=day)
        except ValueError:
            return f"⚠ {t(lang, 'insp.bad_date', value=as_of)}", None, None
        except ApiError as exc:
            return self._error(lang, exc), None, None
        return checklist_markdown(body, lang), self._save(checklist), self._save(plan)

    def compare(self, doc_id: str | None, against: str | None, session: Session | None, lang: str) -> tuple[str, Any]:
        if not doc_id:
            return f"<p>⚠ {escape(t(lang, 'insp.doc_needed'))}</p>", None
        token = token_of(session)
        try:
            body = self.client.changes(token, doc_id, against=against or None)
            docx = self.client.changes_docx(token, doc_id, against=against or None)
        except ApiError as exc:
            return f"<p>{escape(self._error(lang, exc))}</p>", None
        return changes_html(body, lang), self._save(docx)

    def make_draft(
        self, kind: str, issuing_body: str, abbreviation: str, subject: str, bases_topic: str, recipients: str,
        details: str, as_of: str, session: Session | None, lang: str,
    ) -> tuple[str, Any]:  # fmt: skip
        try:
            form = DraftForm(
                kind=kind or "giay_moi", issuing_body=(issuing_body or "").strip(),
                issuing_abbreviation=(abbreviation or "").strip(), subject=(subject or "").strip(),
                bases_topic=(bases_topic or "").strip(), recipients=tuple(_lines(recipients)),
                details=details_of(details), date=parse_day(as_of),
            )  # fmt: skip
            draft = self.client.draft(token_of(session), form)
        except ValueError:
            return f"⚠ {t(lang, 'insp.bad_date', value=as_of)}", None
        except ApiError as exc:
            return self._error(lang, exc), None
        message = f"✓ {t(lang, 'insp.drafted', number=draft.number, name=draft.file.filename)}"
        if draft.placeholders:
            message += "\n\n" + t(lang, "insp.placeholders", fields=", ".join(draft.placeholders))
        return message, self._save(draft.file)


__all__: Sequence[str] = ("DRAFT_KINDS", "InspectionTab", "bases_markdown", "changes_html", "checklist_markdown",
                          "details_of", "parse_day")  # fmt: skip
