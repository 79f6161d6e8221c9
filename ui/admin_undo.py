"""Admin tab "Khôi phục": the trash (restore a removed document, purge expired entries), the kept index versions
(roll back to one) and the backup download."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from ui.client import ApiClient, ApiError
from ui.labels import Labels
from ui.models import IndexVersion, Session, TrashEntry, token_of
from ui.strings import error_text, t


def _when(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


def trash_table(entries: list[TrashEntry] | tuple[TrashEntry, ...], lang: str) -> dict[str, Any]:
    headers = t(lang, "undo.trash_columns").split("|")
    rows = [
        [e.doc_id, e.title, e.number, e.removed_by, _when(e.removed_at), e.reason, _when(e.expires_at)] for e in entries
    ]
    return {"headers": headers, "data": rows or [[""] * len(headers)]}


def versions_table(versions: list[IndexVersion], lang: str) -> dict[str, Any]:
    headers = t(lang, "undo.version_columns").split("|")
    rows = [
        [v.version, _when(v.created), v.documents, v.chunks, t(lang, "undo.current") if v.current else "",
         v.rolled_back_from]
        for v in reversed(versions)  # newest first
    ]  # fmt: skip
    return {"headers": headers, "data": rows or [[""] * len(headers)]}


def _size(count: int) -> str:
    return f"{count / 1_048_576:.1f} MB" if count >= 1_048_576 else f"{count / 1024:.0f} KB"


class RecoveryTab:
    """Undo for admins: everything goes through the API's admin routes."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self.backup_dir = Path(tempfile.mkdtemp(prefix="tro-ly-backup-"))

    def build(self, labels: Labels, lang: str) -> None:
        with gr.Row():
            self.refresh = labels.add(
                gr.Button(size="sm", scale=0, min_width=160, elem_id="tl-undo-refresh"), value="undo.refresh"
            )
            self.message = gr.Markdown(elem_id="tl-undo-message")
        labels.add(gr.Markdown(elem_classes="tl-subheading"), value="undo.trash")
        self.trash_note = gr.Markdown(elem_id="tl-trash-note")
        self.trash = gr.Dataframe(
            value=trash_table([], lang), interactive=False, wrap=True, max_height=300, elem_id="tl-trash-table"
        )
        with gr.Row(equal_height=True):
            self.entry = labels.add(
                gr.Dropdown(choices=[], scale=3, min_width=240, elem_id="tl-trash-select"), label="undo.trash_select"
            )
            self.restore = labels.add(
                gr.Button(variant="primary", size="sm", scale=1, elem_id="tl-trash-restore"), value="undo.restore"
            )
        with gr.Row(equal_height=True):
            self.purge_confirm = labels.add(
                gr.Checkbox(scale=3, elem_id="tl-purge-confirm"), label="undo.purge_confirm"
            )
            self.purge = labels.add(
                gr.Button(variant="stop", size="sm", scale=1, elem_id="tl-trash-purge"), value="undo.purge"
            )
        labels.add(gr.Markdown(elem_classes="tl-subheading"), value="undo.versions")
        self.versions_note = gr.Markdown(elem_id="tl-versions-note")
        self.versions = gr.Dataframe(
            value=versions_table([], lang), interactive=False, wrap=True, max_height=300, elem_id="tl-versions-table"
        )
        with gr.Row(equal_height=True):
            self.version = labels.add(
                gr.Dropdown(choices=[], scale=3, min_width=240, elem_id="tl-version-select"),
                label="undo.version_select",
            )
            self.rollback_confirm = labels.add(
                gr.Checkbox(scale=2, elem_id="tl-rollback-confirm"), label="undo.rollback_confirm"
            )
            self.rollback = labels.add(
                gr.Button(variant="stop", size="sm", scale=1, elem_id="tl-rollback"), value="undo.rollback"
            )
        labels.add(gr.Markdown(elem_classes="tl-subheading"), value="undo.backup")
        with gr.Row(equal_height=True):
            self.backup = labels.add(gr.Button(scale=1, elem_id="tl-backup"), value="undo.backup_button")
            self.backup_file = labels.add(
                gr.File(interactive=False, scale=3, elem_id="tl-backup-file"), label="undo.backup_file"
            )

    @property
    def listing(self) -> list[Any]:
        """The outputs of ``load``, in order."""
        return [self.trash, self.trash_note, self.entry, self.versions, self.versions_note, self.version, self.message]

    def wire(self, session: gr.State, lang: gr.State) -> None:
        self.refresh.click(self.load, [session, lang], self.listing)
        self.restore.click(self.restore_entry, [self.entry, session, lang], self.listing)
        self.purge.click(self.purge_trash, [self.purge_confirm, session, lang], [*self.listing, self.purge_confirm])
        self.rollback.click(
            self.roll_back, [self.version, self.rollback_confirm, session, lang], [*self.listing, self.rollback_confirm]
        )
        self.backup.click(self.download_backup, [session, lang], [self.backup_file, self.message])

    # -- handlers ----------------------------------------------------------------------------------
    def _error(self, lang: str, exc: ApiError) -> str:
        return f"⚠ {error_text(lang, exc.code, exc.message, api_url=self.client.base_url)}"

    def load(self, session: Session | None, lang: str, note: str = "") -> tuple[Any, ...]:
        """The trash and the index versions, with ``note`` (the outcome of an action) as the message."""
        token = token_of(session)
        try:
            trash = self.client.trash(token)
            keep, versions = self.client.index_versions(token)
        except ApiError as exc:
            return (*(gr.update(),) * 6, " ".join(part for part in (note, self._error(lang, exc)) if part))
        entries = [(f"{e.doc_id} — {e.number or e.title[:50]}", e.doc_id) for e in trash.entries]
        current = next((v.version for v in versions if v.current), "—")
        older = [(f"{v.version} ({_when(v.created)})", v.version) for v in reversed(versions) if not v.current]
        return (
            trash_table(trash.entries, lang), t(lang, "undo.trash_note", days=trash.retention_days,
                                                count=len(trash.entries)),
            gr.update(choices=entries, value=None), versions_table(versions, lang),
            t(lang, "undo.versions_note", keep=keep, current=current), gr.update(choices=older, value=None), note,
        )  # fmt: skip

    def _refused(self, key: str, lang: str, extra: int = 0) -> tuple[Any, ...]:
        return (*(gr.update(),) * 6, f"⚠ {t(lang, key)}", *(gr.update(),) * extra)

    def restore_entry(self, doc_id: str | None, session: Session | None, lang: str) -> tuple[Any, ...]:
        if not doc_id:
            return self._refused("undo.pick_entry", lang)
        try:
            done = self.client.restore(token_of(session), doc_id)
        except ApiError as exc:
            return self.load(session, lang, note=self._error(lang, exc))
        note = f"✓ {t(lang, 'undo.restored', doc_id=done.doc_id, version=done.version, chunks=done.chunks)} " + (
            t(lang, "undo.embedded", count=done.embedded) if done.embedded else t(lang, "undo.not_embedded")
        )
        return self.load(session, lang, note=note)

    def purge_trash(self, confirmed: bool, session: Session | None, lang: str) -> tuple[Any, ...]:
        if not confirmed:
            return self._refused("undo.confirm_needed", lang, extra=1)
        try:
            purged = self.client.purge_trash(token_of(session))
        except ApiError as exc:
            return *self.load(session, lang, note=self._error(lang, exc)), False
        note = t(lang, "undo.purged", count=len(purged), ids=", ".join(purged)) if purged else ""
        return *self.load(session, lang, note=f"✓ {note or t(lang, 'undo.purged_none')}"), False

    def roll_back(self, version: str | None, confirmed: bool, session: Session | None, lang: str) -> tuple[Any, ...]:
        if not version:
            return self._refused("undo.pick_version", lang, extra=1)
        if not confirmed:
            return self._refused("undo.confirm_needed", lang, extra=1)
        try:
            new = self.client.rollback(token_of(session), version)
        except ApiError as exc:
            return *self.load(session, lang, note=self._error(lang, exc)), False
        return *self.load(session, lang, note=f"✓ {t(lang, 'undo.rolled_back', source=version, version=new)}"), False

    def download_backup(self, session: Session | None, lang: str) -> tuple[Any, str]:
        try:
            archive = self.client.backup(token_of(session))
        except ApiError as exc:
            return None, self._error(lang, exc)
        path = Path(tempfile.mkdtemp(dir=self.backup_dir)) / (Path(archive.filename).name or "tro-ly-sao-luu.tar.gz")
        path.write_bytes(archive.content)
        return str(path), f"✓ {t(lang, 'undo.backup_done', name=path.name, size=_size(len(archive.content)))}"
