"""The staff chat: ask, watch the answer stream in, open citations in the side panel, copy, rate."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from typing import Any

import gradio as gr

from ui.citations import citation_label, copy_text, render_panel, render_transcript
from ui.client import ApiClient, ApiError
from ui.labels import Labels
from ui.models import Citation, Citations, Delta, Meta, SavedConversation, Session, Turn
from ui.sources import SourceLinks
from ui.starters import starters_for
from ui.strings import error_text, short_time, t

logger = logging.getLogger(__name__)

HISTORY_TURNS = 3
# Event delegation on the component's root: it survives every re-render of the conversation. After a re-render
# (an answer, or a saved conversation reopened) the newest question is scrolled to the top of the conversation box.
TRANSCRIPT_JS = """
watch('value', () => {
  // Later, not now: at sign-in the conversation is drawn while its tab is still hidden (no layout yet).
  setTimeout(() => {
    const box = element.querySelector('.tl-transcript');
    const last = box && box.querySelector('article.tl-turn:last-of-type');
    if (last) { box.scrollTop = last.offsetTop - 8; }
  }, 150);
});
element.addEventListener('click', (event) => {
  const cite = event.target.closest('button.tl-cite');
  if (cite) {
    trigger('click', {kind: 'cite', turn: Number(cite.dataset.turn), n: Number(cite.dataset.n)});
    const panel = document.getElementById('tl-panel');  // on a phone the panel is below the conversation
    if (panel && window.innerWidth < 720) { setTimeout(() => panel.scrollIntoView({behavior: 'smooth'}), 250); }
    return;
  }
  const rate = event.target.closest('button.tl-rate');
  if (rate) { trigger('click', {kind: 'rate', turn: Number(rate.dataset.turn), rating: rate.dataset.rating}); return; }
  const copy = event.target.closest('button.tl-copy');
  if (!copy) { return; }
  const text = copy.parentElement.querySelector('textarea.tl-copy-text').value;
  const done = () => { copy.classList.add('tl-copied'); copy.lastChild.textContent = ' ' + copy.dataset.done; };
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done); return; }
  const area = document.createElement('textarea');  // plain-HTTP pages have no clipboard API
  area.value = text; area.style.position = 'fixed'; area.style.opacity = '0';
  document.body.appendChild(area); area.select(); document.execCommand('copy'); area.remove(); done();
});
"""
STARTERS_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button.tl-starter');
  if (button) { trigger('click', {question: button.dataset.q}); }
});
"""


_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_as_of(text: str | None) -> dt.date | None:
    """The "in force on" date typed as day/month/year (or ISO); None when empty; ValueError when unreadable."""
    if not (text or "").strip():
        return None
    if match := _DATE.match(text or ""):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.match(text or ""):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(text)
    return dt.date(year, month, day)  # ValueError for 31/02/2025


def past_choices(saved: list[SavedConversation], lang: str) -> list[tuple[str, str]]:
    """The history list: when it was last saved, the first question and how many questions it holds."""
    return [(f"{short_time(c.updated)} · {c.title} · {t(lang, 'chat.turns', n=c.turn_count)}", c.id) for c in saved]


def rating_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, "chat.rate_up"), "up"), (t(lang, "chat.rate_down"), "down")]


def starters_html(session: Session | None, lang: str) -> str:
    units = session.user.units if session and session.user else ()
    buttons = "".join(
        f'<button type="button" class="tl-starter" data-q="{escape(q, quote=True)}">{escape(q)}</button>'
        for q in starters_for(units, lang)
    )
    return f'<div class="tl-starters"><p>{escape(t(lang, "chat.starters"))}</p>{buttons}</div>'


def citation_choices(turns: list[Turn], turn_index: int | None) -> list[tuple[str, str]]:
    if turn_index is None or not 0 <= turn_index < len(turns):
        return []
    return [(f"{citation_label(c)} — {c.title[:60]}", f"{turn_index}:{c.n}") for c in turns[turn_index].citations]


def _citation(turns: list[Turn], key: str | None) -> Citation | None:
    if not key or ":" not in key:
        return None
    turn, n = (int(part) for part in key.split(":", 1))
    if not 0 <= turn < len(turns):
        return None
    return next((c for c in turns[turn].citations if c.n == n), None)


@dataclass
class ChatView:
    starters: gr.HTML
    transcript: gr.HTML
    question: gr.Textbox
    ask: gr.Button
    new: gr.Button
    doc_types: gr.Dropdown
    in_force: gr.Checkbox
    as_of: gr.Textbox
    past: gr.Dropdown
    notice: gr.Markdown
    copy: gr.Textbox
    cite_choice: gr.Dropdown
    panel: gr.HTML
    fb_info: gr.Markdown
    fb_rating: gr.Radio
    fb_comment: gr.Textbox
    fb_send: gr.Button
    fb_status: gr.Markdown
    turns: gr.State
    selected: gr.State
    fb_target: gr.State
    conversation: gr.State  # the saved conversation's id; None until its first answer is saved


class ChatTab:
    def __init__(self, client: ApiClient, links: SourceLinks) -> None:
        self.client = client
        self.links = links

    # -- layout ------------------------------------------------------------------------------------
    def build(self, labels: Labels, lang: str) -> ChatView:
        with gr.Row(equal_height=False, elem_id="tl-chat"):
            with gr.Column(scale=3, min_width=300):
                starters = gr.HTML(starters_html(None, lang), js_on_load=STARTERS_JS, elem_id="tl-starters")
                transcript = gr.HTML(render_transcript([], lang), js_on_load=TRANSCRIPT_JS, elem_id="tl-transcript")
                with gr.Row(elem_id="tl-ask-row"):
                    question = labels.add(
                        gr.Textbox(lines=1, max_lines=6, scale=5, min_width=200, elem_id="tl-question"),
                        label="chat.question",
                        placeholder="chat.placeholder",
                    )
                    with gr.Column(scale=1, min_width=120):
                        ask = labels.add(gr.Button(variant="primary", elem_id="tl-ask"), value="chat.ask")
                        new = labels.add(gr.Button(size="sm", elem_id="tl-new"), value="chat.new")
                notice = gr.Markdown(elem_id="tl-notice")
                with gr.Row(elem_id="tl-filters"):
                    doc_types = labels.add(
                        gr.Dropdown(choices=[], multiselect=True, min_width=200, elem_id="tl-doc-types"),
                        label="chat.doc_types",
                        info="chat.doc_types_info",
                    )
                    in_force = labels.add(gr.Checkbox(elem_id="tl-in-force"), label="chat.in_force")
                    as_of = labels.add(
                        gr.Textbox(max_lines=1, max_length=20, min_width=160, elem_id="tl-as-of"),
                        label="chat.as_of",
                        placeholder="chat.as_of_placeholder",
                        info="chat.as_of_info",
                    )
                past = labels.add(
                    gr.Dropdown(choices=[], value=None, elem_id="tl-past"), label="chat.past", info="chat.past_info"
                )
                with labels.add(gr.Accordion(open=False, elem_id="tl-copy-box"), label="chat.copy"):
                    copy = gr.Textbox(
                        lines=3, max_lines=12, interactive=False, buttons=["copy"], show_label=False, elem_id="tl-copy"
                    )
            with gr.Column(scale=2, min_width=280, elem_id="tl-side"):
                cite_choice = labels.add(gr.Dropdown(choices=[], elem_id="tl-cite-choice"), label="cite.choose")
                panel = gr.HTML(render_panel(None, lang), elem_id="tl-panel")
                with gr.Group(elem_id="tl-feedback"):
                    fb_info = gr.Markdown(
                        f"**{t(lang, 'fb.heading')}** — {t(lang, 'fb.none')}", padding=True, elem_id="tl-fb-info"
                    )
                    fb_rating = labels.add(
                        gr.Radio(choices=rating_choices(lang), elem_id="tl-fb-rating"), label="fb.rating"
                    )
                    fb_comment = labels.add(
                        gr.Textbox(lines=2, max_length=2000, elem_id="tl-fb-comment"),
                        label="fb.comment",
                        placeholder="fb.comment_placeholder",
                    )
                    fb_send = labels.add(gr.Button(size="sm", elem_id="tl-fb-send"), value="fb.send")
                fb_status = gr.Markdown(elem_id="tl-fb-status")
        self.view = ChatView(
            starters, transcript, question, ask, new, doc_types, in_force, as_of, past, notice, copy, cite_choice,
            panel, fb_info, fb_rating, fb_comment, fb_send, fb_status, gr.State([]), gr.State(None), gr.State(None),
            gr.State(None),
        )  # fmt: skip
        return self.view

    # -- events ------------------------------------------------------------------------------------
    def wire(self, session: gr.State, lang: gr.State) -> None:
        v = self.view
        ask_inputs = [v.question, v.doc_types, v.in_force, v.as_of, v.turns, v.conversation, session, lang]
        ask_outputs = [
            v.transcript, v.turns, v.question, v.notice, v.copy, v.cite_choice, v.ask, v.starters, v.conversation,
            v.past,
        ]  # fmt: skip
        v.ask.click(self.ask, ask_inputs, ask_outputs, show_progress="hidden")
        v.question.submit(self.ask, ask_inputs, ask_outputs, show_progress="hidden")
        v.starters.click(self.starter_question, None, v.question).then(
            self.ask, ask_inputs, ask_outputs, show_progress="hidden"
        )
        v.new.click(self.reset, [lang, session], self.reset_targets())
        v.past.input(self.open_saved, [v.past, lang, session], self.reset_targets())
        v.transcript.click(
            self.on_transcript,
            [v.turns, v.selected, v.fb_target, session, lang],
            [v.panel, v.cite_choice, v.selected, v.fb_target, v.fb_info, v.fb_rating, v.fb_status],
        )
        v.cite_choice.input(self.choose_citation, [v.cite_choice, v.turns, session, lang], [v.panel, v.selected])
        v.fb_send.click(
            self.send_feedback,
            [v.fb_target, v.fb_rating, v.fb_comment, v.turns, session, lang],
            [v.fb_status, v.fb_comment],
        )

    def ask(
        self, question: str, doc_types: list[str] | None, in_force: bool, as_of_text: str, turns: list[Turn],
        conversation: str | None, session: Session | None, lang: str,
    ) -> Iterator[dict[Any, Any]]:  # fmt: skip
        """Stream one answer into the conversation (a generator: Gradio sends each yield to the browser), then
        save the conversation for a signed-in user."""
        v = self.view
        question = (question or "").strip()
        if not question:
            yield {v.notice: f"⚠ {t(lang, 'chat.empty_question')}"}
            return
        try:
            as_of = parse_as_of(as_of_text)
        except ValueError:
            yield {v.notice: f"⚠ {t(lang, 'chat.as_of_bad', value=(as_of_text or '').strip()[:20])}"}
            return
        history = [turn.question for turn in turns if turn.answered][-HISTORY_TURNS:]
        turn = Turn(question=question)
        turns = [*turns, turn]
        index = len(turns) - 1
        yield {
            v.transcript: render_transcript(turns, lang), v.turns: turns, v.question: "", v.notice: "",
            v.ask: gr.update(interactive=False), v.starters: gr.update(visible=False),
        }  # fmt: skip
        token = session.token if session else None
        try:
            for event in self.client.ask_stream(
                question,
                token=token,
                history=history,
                doc_types=doc_types or (),
                in_force_only=bool(in_force),
                as_of=as_of,
            ):
                if isinstance(event, Meta):
                    turn.abstained, turn.index_version, turn.language = (
                        event.abstained, event.index_version, event.language
                    )  # fmt: skip
                elif isinstance(event, Delta):
                    turn.answer += event.text
                    yield {v.transcript: render_transcript(turns, lang)}
                elif isinstance(event, Citations):
                    turn.citations = event.items
        except ApiError as exc:
            turn.error = error_text(lang, exc.code, exc.message, api_url=self.client.base_url)
        turn.pending = False
        choices = citation_choices(turns, index)
        done: dict[Any, Any] = {
            v.transcript: render_transcript(turns, lang), v.turns: turns, v.copy: copy_text(turn, lang),
            v.cite_choice: gr.update(choices=choices, value=None), v.ask: gr.update(interactive=True),
        }  # fmt: skip
        if session is not None and session.token and session.user is not None:
            try:
                conversation = self.client.save_conversation(session.token, conversation, turns)
                saved = self.client.conversations(session.token)
                listed = past_choices(saved, lang)
                done |= {v.conversation: conversation, v.past: gr.update(choices=listed, value=conversation)}
            except ApiError as exc:
                reason = error_text(lang, exc.code, exc.message, api_url=self.client.base_url)
                done[v.notice] = f"⚠ {t(lang, 'chat.not_saved', reason=reason)}"
        yield done

    def starter_question(self, evt: gr.EventData) -> str:
        data = evt._data if isinstance(evt._data, dict) else {}
        return str(data.get("question", ""))

    def reset_targets(self) -> list[Any]:
        """The components ``reset`` gives values to, in order."""
        v = self.view
        return [
            v.transcript, v.turns, v.copy, v.cite_choice, v.panel, v.selected, v.notice, v.starters, v.fb_target,
            v.fb_info, v.fb_rating, v.fb_comment, v.fb_status, v.conversation, v.past,
        ]  # fmt: skip

    def reset(self, lang: str, session: Session | None = None) -> tuple[Any, ...]:
        """An empty conversation, with no citation open and no answer to rate (new conversation, sign-out)."""
        return self._show([], None, self._saved(session), lang, session)

    def restore(self, lang: str, session: Session | None) -> tuple[Any, ...]:
        """At sign-in: the user's latest saved conversation, as they left it (an empty one when there is none)."""
        saved = self._saved(session)
        if saved and session is not None and session.token:
            try:
                return self._show(
                    self.client.conversation(session.token, saved[0].id), saved[0].id, saved, lang, session
                )
            except ApiError as exc:
                logger.info("saved conversation %s not opened: %s", saved[0].id, exc)
        return self._show([], None, saved, lang, session)

    def open_saved(self, conversation: str | None, lang: str, session: Session | None) -> tuple[Any, ...]:
        """The history list: reopen one of the user's saved conversations and go on asking in it."""
        saved = self._saved(session)
        if not conversation or session is None or not session.token:
            return self._show([], None, saved, lang, session)
        try:
            turns = self.client.conversation(session.token, conversation)
        except ApiError as exc:
            shown = list(self._show([], None, saved, lang, session))
            shown[6] = f"⚠ {error_text(lang, exc.code, exc.message, api_url=self.client.base_url)}"
            return tuple(shown)
        return self._show(turns, conversation, saved, lang, session)

    def _saved(self, session: Session | None) -> list[SavedConversation]:
        if session is None or not session.token or session.user is None:
            return []
        try:
            return self.client.conversations(session.token)
        except ApiError as exc:
            logger.info("saved conversations not listed: %s", exc)
            return []

    def _show(
        self, turns: list[Turn], conversation: str | None, saved: list[SavedConversation], lang: str,
        session: Session | None,
    ) -> tuple[Any, ...]:  # fmt: skip
        """Values for ``reset_targets``: ``turns`` shown, no citation open and no answer to rate."""
        last = len(turns) - 1 if turns else None
        return (
            render_transcript(turns, lang), turns, copy_text(turns[-1], lang) if turns else "",
            gr.update(choices=citation_choices(turns, last), value=None), render_panel(None, lang), None, "",
            gr.update(value=starters_html(session, lang), visible=not turns), None,
            f"**{t(lang, 'fb.heading')}** — {t(lang, 'fb.none')}", None, "", "", conversation,
            gr.update(choices=past_choices(saved, lang), value=conversation),
        )  # fmt: skip

    def panel_html(self, turns: list[Turn], key: str | None, session: Session | None, lang: str) -> str:
        citation = _citation(turns, key)
        if citation is None:
            return render_panel(None, lang)
        token = session.token if session else None
        link = self.links.url(token, citation.doc_id, citation.page)
        reader = self.links.reader_url(
            token, citation.doc_id, citation.chunk_id, quote=citation.snippet, label=citation.path, lang=lang
        )
        return render_panel(citation, lang, link, reader)

    def on_transcript(
        self, turns: list[Turn], selected: str | None, fb_target: int | None, session: Session | None, lang: str,
        evt: gr.EventData,
    ) -> dict[Any, Any]:  # fmt: skip
        """A [n] marker opens its citation; a Helpful/Wrong button points the rating form at that answer."""
        v = self.view
        data = evt._data if isinstance(evt._data, dict) else {}
        turn_index = int(data.get("turn", -1))
        if not 0 <= turn_index < len(turns):
            return {}
        if data.get("kind") == "cite":
            key = f"{turn_index}:{int(data.get('n', 0))}"
            return {
                v.panel: self.panel_html(turns, key, session, lang), v.selected: key,
                v.cite_choice: gr.update(choices=citation_choices(turns, turn_index), value=key),
            }  # fmt: skip
        rating = data.get("rating") if data.get("rating") in ("up", "down") else None
        question = turns[turn_index].question
        short = question if len(question) <= 80 else question[:77] + "…"
        info = f"**{t(lang, 'fb.heading')}** — {t(lang, 'fb.target', n=turn_index + 1, question=short)}"
        return {v.fb_target: turn_index, v.fb_info: info, v.fb_rating: rating, v.fb_status: ""}

    def choose_citation(
        self, key: str | None, turns: list[Turn], session: Session | None, lang: str
    ) -> tuple[str, Any]:
        return self.panel_html(turns, key, session, lang), key

    def send_feedback(
        self, target: int | None, rating: str | None, comment: str, turns: list[Turn], session: Session | None,
        lang: str,
    ) -> tuple[str, Any]:  # fmt: skip
        if session is None or not session.token:
            return f"⚠ {t(lang, 'fb.login')}", gr.update()
        if target is None or not 0 <= target < len(turns) or rating not in ("up", "down"):
            return f"⚠ {t(lang, 'fb.none')}", gr.update()
        turn = turns[target]
        try:
            feedback_id = self.client.send_feedback(
                session.token, question=turn.question, answer=turn.answer, rating=rating,  # type: ignore[arg-type]
                citations=[c.chunk_id for c in turn.citations], comment=(comment or "").strip(),
                index_version=turn.index_version,
            )  # fmt: skip
        except ApiError as exc:
            return f"⚠ {error_text(lang, exc.code, exc.message, api_url=self.client.base_url)}", gr.update()
        return f"✓ {t(lang, 'fb.sent', id=feedback_id)}", ""

    # -- language --------------------------------------------------------------------------------------
    def relabel(self, turns: list[Turn], selected: str | None, session: Session | None, lang: str) -> dict[Any, Any]:
        v = self.view
        return {
            v.transcript: render_transcript(turns, lang), v.panel: self.panel_html(turns, selected, session, lang),
            v.starters: starters_html(session, lang), v.fb_rating: gr.update(choices=rating_choices(lang)),
            v.fb_info: f"**{t(lang, 'fb.heading')}** — {t(lang, 'fb.none')}",
        }  # fmt: skip
