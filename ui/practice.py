"""The practice tab ("Luyện tập"): a learner picks a bank, answers its shuffled items one at a time (a choice for
multiple choice and true/false, a text for fill-in, a pick per row for matching), submits, and sees the score with
each item's right answer, explanation and citation."""

from __future__ import annotations

from html import escape
from typing import Any

import gradio as gr

from ui.client import ApiClient, ApiError
from ui.labels import Labels
from ui.models import Practice, PracticeItem, Session, token_of
from ui.quiz_render import QUIZ_CSS, bank_choices, result_html
from ui.strings import error_text, t

MAX_PAIRS = 10  # the API accepts at most ten matching pairs per answer
ITEM_OUTPUTS = 4 + MAX_PAIRS + 2  # progress, stem, choice, text; the matching picks; previous, next
Answers = dict[str, dict[str, Any]]


def answer_of(item: PracticeItem, choice: str | None, text: str | None, picks: list[str | None]) -> dict[str, Any]:
    """The API's answer to ``item`` from the form's values ({} when nothing was answered)."""
    if item.kind == "matching":
        pairs = {left: right for left, right in zip(item.lefts, picks, strict=False) if right}
        return {"pairs": pairs} if pairs else {}
    if item.kind == "fill_blank":
        return {"text": text.strip()} if text and text.strip() else {}
    return {"choice": choice} if choice else {}


def _remember(practice: Practice | None, answers: Answers, index: int, values: tuple[Any, ...]) -> Answers:
    """``answers`` with the shown item's answer (``values``: choice, text, the matching picks) recorded."""
    if practice is None or not 0 <= index < len(practice.items):
        return answers
    choice, text, *picks = values
    item = practice.items[index]
    answer = answer_of(item, choice, text, list(picks))
    updated = {k: v for k, v in answers.items() if k != item.item_id}
    if answer:
        updated[item.item_id] = answer
    return updated


class PracticeTab:
    """Built inside the app's ``gr.Tabs``; shown to every logged-in user."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def build(self, labels: Labels, lang: str) -> None:
        with labels.add(
            gr.Tab(id="practice", visible=False, elem_id="tl-tab-practice"), label="practice.tab"
        ) as self.tab:
            self.practice = gr.State(None)  # states inside the tab: a child of gr.Tabs must be a tab
            self.answers = gr.State({})
            self.index = gr.State(0)
            with gr.Row(equal_height=True):
                self.picker = labels.add(
                    gr.Dropdown(choices=[], scale=4, min_width=260, elem_id="tl-practice-bank"), label="practice.bank"
                )
                self.refresh = labels.add(gr.Button(size="sm", scale=1, elem_id="tl-practice-refresh"),
                                          value="quiz.refresh")  # fmt: skip
                self.start = labels.add(
                    gr.Button(variant="primary", scale=1, elem_id="tl-practice-start"), value="practice.start"
                )
            self.message = gr.Markdown(elem_id="tl-practice-message")
            with gr.Column(visible=False, elem_id="tl-practice-form") as self.form:
                self.progress = gr.Markdown(elem_id="tl-practice-progress")
                self.stem = gr.HTML(elem_id="tl-practice-stem")
                self.choice = labels.add(gr.Radio(choices=[], elem_id="tl-practice-choice"), label="practice.answer")
                self.text = labels.add(gr.Textbox(visible=False, elem_id="tl-practice-text"), label="practice.fill")
                self.picks = [
                    gr.Dropdown(choices=[], visible=False, elem_id=f"tl-practice-pair-{i}") for i in range(MAX_PAIRS)
                ]
                with gr.Row():
                    self.prev = labels.add(gr.Button(size="sm", elem_id="tl-practice-prev"), value="practice.prev")
                    self.next = labels.add(gr.Button(size="sm", elem_id="tl-practice-next"), value="practice.next")
                    self.submit = labels.add(
                        gr.Button(variant="primary", elem_id="tl-practice-submit"), value="practice.submit"
                    )
            self.result = gr.HTML(css_template=QUIZ_CSS, elem_id="tl-practice-result")

    def wire(self, session: gr.State, lang: gr.State) -> None:
        self.item_outputs = [self.progress, self.stem, self.choice, self.text, *self.picks, self.prev, self.next]
        values = [self.choice, self.text, *self.picks]
        listing = [self.picker, self.message]
        self.tab.select(self.load_banks, [session, lang], listing)
        self.refresh.click(self.load_banks, [session, lang], listing)
        started = [self.practice, self.answers, self.index, self.form, self.result, self.message, *self.item_outputs]
        self.start.click(self.begin, [self.picker, session, lang], started)
        moved = [self.answers, self.index, *self.item_outputs]
        self.prev.click(self.back, [self.practice, self.answers, self.index, lang, *values], moved)
        self.next.click(self.forward, [self.practice, self.answers, self.index, lang, *values], moved)
        self.submit.click(
            self.hand_in, [self.practice, self.answers, self.index, session, lang, *values],
            [self.answers, self.form, self.result, self.message],
        )  # fmt: skip

    def reset_targets(self) -> list[Any]:
        return [self.tab, self.practice, self.answers, self.index, self.form, self.result, self.message, self.picker]

    def reset(self, session: Session | None, lang: str) -> tuple[Any, ...]:
        """Show the tab to logged-in users, with nothing left of a previous user."""
        logged_in = bool(token_of(session))
        hidden = gr.update(visible=False)
        return gr.update(visible=logged_in), None, {}, 0, hidden, "", "", gr.update(choices=[], value=None)

    # -- handlers ----------------------------------------------------------------------------------
    def _fail(self, lang: str, exc: ApiError) -> str:
        return f"⚠ {error_text(lang, exc.code, exc.message, api_url=self.client.base_url)}"

    def load_banks(self, session: Session | None, lang: str) -> tuple[Any, str]:
        try:
            banks = self.client.banks(token_of(session))
        except ApiError as exc:
            return gr.update(), self._fail(lang, exc)
        note = "" if banks else t(lang, "practice.no_banks")
        return gr.update(choices=bank_choices(banks, lang)), note

    def show(self, practice: Practice, answers: Answers, index: int, lang: str) -> tuple[Any, ...]:
        """The outputs of ``self.item_outputs`` for item ``index``, with the answer already given to it."""
        item = practice.items[index]
        given = answers.get(item.item_id, {})
        progress = t(lang, "practice.progress", n=index + 1, total=len(practice.items), answered=len(answers))
        kind = escape(t(lang, f"kind.{item.kind}"))
        stem = f'<p class="tl-practice-kind">{kind}</p><p><strong>{escape(item.stem)}</strong></p>'
        choosing = item.kind in ("multiple_choice", "true_false")
        choice = gr.update(choices=list(item.options), value=given.get("choice"), visible=choosing)
        text = gr.update(value=given.get("text", ""), visible=item.kind == "fill_blank")
        pairs = given.get("pairs", {})
        picks = [
            gr.update(label=item.lefts[i], choices=list(item.rights), value=pairs.get(item.lefts[i]), visible=True)
            if i < len(item.lefts) and item.kind == "matching"
            else gr.update(choices=[], value=None, visible=False)
            for i in range(MAX_PAIRS)
        ]
        last = len(practice.items) - 1
        return (progress, stem, choice, text, *picks, gr.update(interactive=index > 0),
                gr.update(interactive=index < last))  # fmt: skip

    def begin(self, bank_id: str | None, session: Session | None, lang: str) -> tuple[Any, ...]:
        keep = (gr.update(),) * ITEM_OUTPUTS
        if not bank_id:
            return None, {}, 0, gr.update(visible=False), "", f"⚠ {t(lang, 'practice.pick_first')}", *keep
        try:
            practice = self.client.practice(session.token if session and session.token else "", bank_id)
        except ApiError as exc:
            return None, {}, 0, gr.update(visible=False), "", self._fail(lang, exc), *keep
        if not practice.items:
            return None, {}, 0, gr.update(visible=False), "", f"⚠ {t(lang, 'practice.empty')}", *keep
        note = t(lang, "practice.started", title=practice.title, total=len(practice.items))
        return practice, {}, 0, gr.update(visible=True), "", note, *self.show(practice, {}, 0, lang)

    def _move(self, step: int, practice: Practice | None, answers: Answers, index: int, lang: str,
              values: tuple[Any, ...]) -> tuple[Any, ...]:  # fmt: skip
        if practice is None:
            return answers, index, *((gr.update(),) * ITEM_OUTPUTS)
        answers = _remember(practice, answers, index, values)
        index = max(0, min(len(practice.items) - 1, index + step))
        return answers, index, *self.show(practice, answers, index, lang)

    def back(self, practice: Practice | None, answers: Answers, index: int, lang: str, *values: Any) -> tuple[Any, ...]:
        return self._move(-1, practice, answers, index, lang, values)

    def forward(
        self, practice: Practice | None, answers: Answers, index: int, lang: str, *values: Any
    ) -> tuple[Any, ...]:
        return self._move(1, practice, answers, index, lang, values)

    def hand_in(
        self, practice: Practice | None, answers: Answers, index: int, session: Session | None, lang: str,
        *values: Any,
    ) -> tuple[Any, ...]:  # fmt: skip
        """Submit every answer given (the shown item's included); unanswered items count as wrong."""
        if practice is None:
            return answers, gr.update(), gr.update(), f"⚠ {t(lang, 'practice.pick_first')}"
        answers = _remember(practice, answers, index, values)
        try:
            result = self.client.submit_practice(
                session.token if session and session.token else "", practice.bank_id, practice.version, answers
            )
        except ApiError as exc:
            return answers, gr.update(), gr.update(), self._fail(lang, exc)
        return answers, gr.update(visible=False), result_html(result, lang), t(lang, "practice.submitted")
