"""The browser UI: ``build_app(settings)`` gives the Gradio Blocks, ``create_server(settings)`` the ASGI app that
serves it beside the source-link proxy, and ``main()`` runs that with uvicorn. An HTTP client of the API only."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI

from ui.admin import DocumentsTab, FeedbackTab
from ui.admin_undo import RecoveryTab
from ui.chat import ChatTab
from ui.client import ApiClient, ApiError
from ui.evaluation import EvalTab
from ui.gradio_strings import gradio_i18n, labels_head
from ui.inspection import InspectionTab
from ui.labels import Labels
from ui.models import Session
from ui.practice import PracticeTab
from ui.quiz import TrainerTab
from ui.settings import UiSettings
from ui.sources import SourceLinks, source_router
from ui.strings import LANGUAGES, error_text, t

logger = logging.getLogger(__name__)

CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
THEME = gr.themes.Soft(
    primary_hue="blue",
    neutral_hue="slate",
    font=["system-ui", "Segoe UI", "Roboto", "DejaVu Sans", "sans-serif"],
    font_mono=["ui-monospace", "DejaVu Sans Mono", "monospace"],
)


@dataclass
class Ui:
    """The parts of a built app that the server (and tests) need."""

    blocks: gr.Blocks
    client: ApiClient
    links: SourceLinks


def _who(session: Session | None, lang: str) -> str:
    if session is None:
        return ""
    if session.user is None:
        return t(lang, "login.signed_in_anonymous")
    user = session.user
    return t(
        lang,
        "login.signed_in",
        name=user.name,
        units=", ".join(user.units) or "—",
        roles=", ".join(t(lang, f"role.{r}") for r in user.roles),
    )


def build_ui(settings: UiSettings, client: ApiClient | None = None) -> Ui:
    """The Blocks app over ``client`` (default: a client of ``settings.api_url``)."""
    client = client or ApiClient.connect(settings.api_url, timeout=settings.request_timeout_seconds)
    links = SourceLinks(settings.source_link_minutes * 60)
    chat = ChatTab(client, links)
    documents = DocumentsTab(
        client, poll_seconds=settings.job_poll_seconds, timeout_seconds=settings.job_timeout_seconds
    )
    feedback = FeedbackTab(client)
    recovery = RecoveryTab(client)
    evaluation = EvalTab(client, poll_seconds=settings.job_poll_seconds, timeout_seconds=settings.eval_timeout_seconds)
    trainer, learner = TrainerTab(client), PracticeTab(client)
    inspection = InspectionTab(client)
    labels = Labels(settings.language)
    lang0 = settings.language

    with gr.Blocks(title=t(lang0, "app.title"), analytics_enabled=False) as blocks:
        lang = gr.State(lang0)
        session = gr.State(None)
        with gr.Row(elem_id="tl-header", equal_height=True):
            heading = gr.Markdown(
                f"# {t(lang0, 'app.title')}\n{t(lang0, 'app.subtitle')}", min_width=280, elem_id="tl-title"
            )
            language = gr.Radio(
                choices=list(LANGUAGES), value=next(k for k, v in LANGUAGES.items() if v == lang0),
                label=t(lang0, "lang.label"), show_label=False, container=False, min_width=240, scale=0,
                elem_id="tl-language",
            )  # fmt: skip
        with gr.Column(elem_id="tl-login") as login_box:
            banner = gr.Markdown(t(lang0, "login.checking"), elem_id="tl-banner")
            with gr.Group():
                username = labels.add(gr.Textbox(elem_id="tl-username", autofocus=True), label="login.username")
                password = labels.add(gr.Textbox(type="password", elem_id="tl-password"), label="login.password")
            with gr.Row():
                login = labels.add(gr.Button(variant="primary", elem_id="tl-login-button"), value="login.submit")
                anonymous = labels.add(gr.Button(visible=False, elem_id="tl-anonymous"), value="login.anonymous")
                retry = labels.add(gr.Button(size="sm", elem_id="tl-retry"), value="login.retry")
        with gr.Column(visible=False, elem_id="tl-main") as main:
            with gr.Row(equal_height=True):
                who = gr.Markdown(elem_id="tl-who")
                logout = labels.add(
                    gr.Button(size="sm", scale=0, min_width=120, elem_id="tl-logout"), value="login.logout"
                )
            with gr.Tabs(elem_id="tl-tabs"):
                with labels.add(gr.Tab(id="chat", elem_id="tl-tab-chat"), label="chat.tab"):
                    view = chat.build(labels, lang0)
                learner.build(labels, lang0)
                trainer.build(labels, lang0)
                inspection.build(labels, lang0)
                with labels.add(
                    gr.Tab(id="documents", visible=False, elem_id="tl-tab-docs"), label="docs.tab"
                ) as docs_tab:
                    documents.build(labels, lang0)
                with labels.add(
                    gr.Tab(id="feedback", visible=False, elem_id="tl-tab-fb"), label="fbadmin.tab"
                ) as fb_tab:
                    feedback.build(labels, lang0)
                with labels.add(
                    gr.Tab(id="recovery", visible=False, elem_id="tl-tab-undo"), label="undo.tab"
                ) as undo_tab:
                    recovery.build(labels, lang0)
                with labels.add(
                    gr.Tab(id="evaluation", visible=False, elem_id="tl-tab-eval"), label="eval.tab"
                ) as eval_tab:
                    evaluation.build(labels, lang0)

        chat.wire(session, lang)
        documents.wire(session, lang)
        feedback.wire(session, lang)
        recovery.wire(session, lang)
        evaluation.wire(session, lang)
        trainer.wire(session, lang)
        learner.wire(session, lang)
        inspection.wire(session, lang)
        tab_targets = [*trainer.reset_targets(), *learner.reset_targets(), *inspection.reset_targets()]

        def probe(lang_value: str) -> tuple[Any, ...]:
            try:
                mode = client.auth_mode()
            except ApiError as exc:
                return f"⚠ {error_text(lang_value, exc.code, exc.message, api_url=client.base_url)}", gr.update(
                    visible=False
                )
            if mode == "open":
                return t(lang_value, "login.anonymous_note"), gr.update(visible=True)
            return t(lang_value, "login.required"), gr.update(visible=False)

        blocks.load(probe, [lang], [banner, anonymous])
        retry.click(probe, [lang], [banner, anonymous])

        enter_outputs = [
            session, login_box, main, who, docs_tab, fb_tab, undo_tab, eval_tab, banner, password, view.doc_types,
            *chat.reset_targets(), *tab_targets,
        ]  # fmt: skip
        banner_at, password_at = enter_outputs.index(banner), enter_outputs.index(password)

        def enter(new_session: Session, lang_value: str) -> tuple[Any, ...]:
            try:
                types = sorted({d.doc_type for d in client.documents(new_session.token) if d.doc_type})
            except ApiError:
                types = []
            admin = gr.update(visible=new_session.is_admin)
            return (
                new_session, gr.update(visible=False), gr.update(visible=True), _who(new_session, lang_value), admin,
                admin, admin, admin, "", "", gr.update(choices=types, value=[]),
                *chat.restore(lang_value, new_session),
                *trainer.reset(new_session, lang_value), *learner.reset(new_session, lang_value),
                *inspection.reset(new_session, lang_value),
            )  # fmt: skip

        def refuse(message: str, clear_password: bool = False) -> tuple[Any, ...]:
            out: list[Any] = [gr.update()] * len(enter_outputs)
            out[banner_at] = f"⚠ {message}"
            if clear_password:
                out[password_at] = ""
            return tuple(out)

        def sign_in(name: str, secret: str, lang_value: str) -> tuple[Any, ...]:
            if not (name or "").strip() or not secret:
                return refuse(t(lang_value, "login.empty"))
            try:
                new_session = client.login(name.strip(), secret)
            except ApiError as exc:
                message = exc.message if exc.code == "unauthorized" and exc.message else ""
                return refuse(message or error_text(lang_value, exc.code, exc.message, api_url=client.base_url), True)
            return enter(new_session, lang_value)

        login.click(sign_in, [username, password, lang], enter_outputs)
        password.submit(sign_in, [username, password, lang], enter_outputs)
        anonymous.click(lambda lang_value: enter(Session(), lang_value), [lang], enter_outputs)

        def sign_out(current: Session | None, lang_value: str) -> tuple[Any, ...]:
            if current is not None and current.token:
                try:
                    client.logout(current.token)
                except ApiError as exc:
                    logger.info("logout failed: %s", exc)
            hidden = gr.update(visible=False)
            return (
                None, gr.update(visible=True), hidden, "", hidden, hidden, hidden, hidden,
                t(lang_value, "login.logged_out"),
                *chat.reset(lang_value), *trainer.reset(None, lang_value), *learner.reset(None, lang_value),
                *inspection.reset(None, lang_value),
            )  # fmt: skip

        sign_out_outputs = [
            session, login_box, main, who, docs_tab, fb_tab, undo_tab, eval_tab, banner, *chat.reset_targets(),
            *tab_targets,
        ]  # fmt: skip
        logout.click(sign_out, [session, lang], sign_out_outputs).then(probe, [lang], [banner, anonymous])
        docs_tab.select(documents.load, [session, lang], [documents.table, documents.docs, documents.select,
                                                           documents.doc_type, documents.message])  # fmt: skip
        fb_tab.select(feedback.load, [session, lang], [feedback.table, feedback.select, feedback.message])
        undo_tab.select(recovery.load, [session, lang], recovery.listing)
        eval_tab.select(evaluation.load, [session, lang], evaluation.runs)

        def switch(choice: str, current: Session | None, turns: list[Any], selected: str | None) -> tuple[Any, ...]:
            new = LANGUAGES.get(choice, "vi")
            title = f"# {t(new, 'app.title')}\n{t(new, 'app.subtitle')}"
            relabel = chat.relabel(turns, selected, current, new)
            chat_parts = [
                relabel[c] for c in (view.transcript, view.panel, view.starters, view.fb_rating, view.fb_info)
            ]
            return (new, title, gr.update(label=t(new, "lang.label")), _who(current, new), *chat_parts,
                    *labels.updates(new))  # fmt: skip

        language.change(
            switch,
            [language, session, view.turns, view.selected],
            [lang, heading, language, who, view.transcript, view.panel, view.starters, view.fb_rating, view.fb_info,
             *labels.components],
        )  # fmt: skip
    return Ui(blocks, client, links)


def build_app(settings: UiSettings | None = None, client: ApiClient | None = None) -> gr.Blocks:
    """The Gradio Blocks of the UI (without the source-link proxy: use ``create_server`` to serve it)."""
    return build_ui(settings or UiSettings(), client).blocks


def create_server(settings: UiSettings | None = None, client: ApiClient | None = None) -> FastAPI:
    """The ASGI app: ``/source/{doc_id}`` (the source-link proxy) and the Gradio app at ``/``."""
    settings = settings or UiSettings()
    ui = build_ui(settings, client)
    server = FastAPI(title="Trợ lý công chức số — giao diện", docs_url=None, redoc_url=None, openapi_url=None)
    server.include_router(source_router(ui.client, ui.links))
    server.state.source_links = ui.links

    @server.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return gr.mount_gradio_app(
        server, ui.blocks, path="/", footer_links=[], ssr_mode=False, theme=THEME, css=CSS, show_error=False,
        mcp_server=False, i18n=gradio_i18n(), head=labels_head(),
    )  # fmt: skip


def serve(**overrides: Any) -> None:
    """Serve the UI with ``UiSettings`` (``ASSISTANT_UI_*``), fields given in ``overrides`` taking precedence."""
    import uvicorn

    try:
        settings = UiSettings(**{k: v for k, v in overrides.items() if v is not None})
    except ValueError as exc:  # pydantic's ValidationError
        raise SystemExit(f"Cấu hình giao diện (ASSISTANT_UI_*) không hợp lệ: {exc}") from exc
    logger.info("UI on http://%s:%d, API at %s", settings.host, settings.port, settings.api_url)
    uvicorn.run(create_server(settings), host=settings.host, port=settings.port, log_level="warning")


def main() -> None:
    """``python -m ui.app``: serve on ``ASSISTANT_UI_HOST:ASSISTANT_UI_PORT`` (default 127.0.0.1:7860)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    serve()


if __name__ == "__main__":
    main()
