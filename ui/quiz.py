"""The trainer tab ("Soạn câu hỏi"): build a cited quiz bank from the shelf, reopen a saved one, review it item by
item (accept, reject, edit), export it, read the learners' anonymous per-item results, and build a short lesson."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from ui.client import ApiClient, ApiError
from ui.labels import Labels
from ui.models import DownloadedFile, QuizBank, Session, can_train, token_of
from ui.quiz_render import (
    EXPORTS,
    KINDS,
    LETTERS,
    MAX_OPTIONS,
    QUIZ_CSS,
    bank_choices,
    bank_html,
    difficulty_choices,
    item_choices,
    kind_choices,
    stats_table,
)
from ui.strings import error_text, t

SHOWN = 4 + 4 + MAX_OPTIONS  # bank, view, item picker, message; stem, options, right option, answers, explanation


class TrainerTab:
    """Built inside the app's ``gr.Tabs``; shown to trainers and admins only."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self.export_dir = Path(tempfile.mkdtemp(prefix="tro-ly-quiz-"))

    def _fail(self, lang: str, exc: ApiError) -> str:
        return f"⚠ {error_text(lang, exc.code, exc.message, api_url=self.client.base_url)}"

    def _save(self, file: DownloadedFile) -> str:
        path = Path(tempfile.mkdtemp(dir=self.export_dir)) / file.filename
        path.write_bytes(file.content)
        return str(path)

    # -- layout ------------------------------------------------------------------------------------
    def build(self, labels: Labels, lang: str) -> None:
        with labels.add(gr.Tab(id="quiz", visible=False, elem_id="tl-tab-quiz"), label="quiz.tab") as self.tab:
            self.bank = gr.State(None)  # inside the tab: a child of gr.Tabs must be a tab
            with gr.Row(equal_height=True):
                self.picker = labels.add(
                    gr.Dropdown(choices=[], scale=4, min_width=260, elem_id="tl-quiz-picker"), label="quiz.picker"
                )
                self.refresh = labels.add(
                    gr.Button(size="sm", scale=1, elem_id="tl-quiz-refresh"), value="quiz.refresh"
                )
            with labels.add(gr.Accordion(open=True, elem_id="tl-quiz-new"), label="quiz.new"):
                with gr.Row():
                    self.title = labels.add(
                        gr.Textbox(min_width=260, elem_id="tl-quiz-title"),
                        label="quiz.title",
                        placeholder="quiz.title_hint",
                    )
                    self.topic = labels.add(
                        gr.Textbox(min_width=200, elem_id="tl-quiz-topic"),
                        label="quiz.topic",
                        placeholder="quiz.topic_hint",
                    )
                    self.count = labels.add(
                        gr.Number(
                            value=20, precision=0, minimum=1, maximum=100, min_width=100, elem_id="tl-quiz-count"
                        ),
                        label="quiz.count",
                    )
                with gr.Row():
                    self.kinds = gr.CheckboxGroup(
                        choices=kind_choices(lang),
                        value=list(KINDS),
                        label=t(lang, "quiz.kinds"),
                        elem_id="tl-quiz-kinds",
                    )
                    self.difficulty = gr.Radio(
                        choices=difficulty_choices(lang), value="any", label=t(lang, "quiz.difficulty"),
                        elem_id="tl-quiz-difficulty",
                    )  # fmt: skip
                self.generate = labels.add(
                    gr.Button(variant="primary", elem_id="tl-quiz-generate"), value="quiz.generate"
                )
            self.message = gr.Markdown(elem_id="tl-quiz-message")
            self.view = gr.HTML(bank_html(None, lang), css_template=QUIZ_CSS, elem_id="tl-quiz-bank")
            self._build_review(labels)
            self._build_tools(labels, lang)

    def _build_review(self, labels: Labels) -> None:
        labels.add(gr.Markdown(elem_classes="tl-subheading"), value="quiz.review")
        with gr.Row(equal_height=True):
            self.item = labels.add(gr.Dropdown(choices=[], scale=4, elem_id="tl-quiz-item"), label="quiz.item")
            self.accept = labels.add(gr.Button(size="sm", scale=1, elem_id="tl-quiz-accept"), value="quiz.accept")
            self.reject = labels.add(
                gr.Button(size="sm", variant="stop", scale=1, elem_id="tl-quiz-reject"), value="quiz.reject"
            )
        with labels.add(gr.Accordion(open=False, elem_id="tl-quiz-edit"), label="quiz.edit"):
            self.stem = labels.add(gr.Textbox(lines=2, elem_id="tl-quiz-stem"), label="quiz.stem")
            with gr.Row():
                self.options = [
                    gr.Textbox(label=f"{LETTERS[i]}", visible=False, min_width=160, elem_id=f"tl-quiz-option-{i}")
                    for i in range(MAX_OPTIONS)
                ]
            self.right = labels.add(gr.Radio(choices=[], visible=False, elem_id="tl-quiz-right"), label="quiz.right")
            self.answers = labels.add(gr.Textbox(visible=False, elem_id="tl-quiz-answers"), label="quiz.answers")
            self.explanation = labels.add(gr.Textbox(lines=2, elem_id="tl-quiz-explanation"), label="quiz.explanation")
            self.save = labels.add(gr.Button(variant="primary", elem_id="tl-quiz-save"), value="quiz.save")

    def _build_tools(self, labels: Labels, lang: str) -> None:
        labels.add(gr.Markdown(elem_classes="tl-subheading"), value="quiz.export")
        with gr.Row():
            self.exports = {
                fmt: labels.add(gr.Button(size="sm", elem_id=f"tl-quiz-export-{fmt}"), value=f"quiz.export_{fmt}")
                for fmt in EXPORTS
            }
        self.file = labels.add(gr.File(interactive=False, elem_id="tl-quiz-file"), label="quiz.file")
        with labels.add(gr.Accordion(open=False, elem_id="tl-quiz-stats-box"), label="quiz.stats"):
            self.stats_load = labels.add(gr.Button(size="sm", elem_id="tl-quiz-stats-load"), value="quiz.stats_load")
            self.stats_note = gr.Markdown(elem_id="tl-quiz-stats-note")
            self.stats = gr.Dataframe(
                value=stats_table([], lang), interactive=False, wrap=True, elem_id="tl-quiz-stats"
            )
        with labels.add(gr.Accordion(open=False, elem_id="tl-quiz-lesson-box"), label="quiz.lesson"):
            with gr.Row():
                self.lesson_topic = labels.add(
                    gr.Textbox(scale=4, elem_id="tl-quiz-lesson-topic"),
                    label="quiz.lesson_topic",
                    placeholder="quiz.topic_hint",
                )
                self.lesson_points = labels.add(
                    gr.Number(value=5, precision=0, minimum=1, maximum=15, scale=1, elem_id="tl-quiz-lesson-points"),
                    label="quiz.lesson_points",
                )
            self.lesson_build = labels.add(gr.Button(elem_id="tl-quiz-lesson-build"), value="quiz.lesson_build")
            self.lesson_view = gr.Markdown(elem_id="tl-quiz-lesson")
            self.lesson_file = labels.add(
                gr.File(interactive=False, elem_id="tl-quiz-lesson-file"), label="quiz.lesson_file"
            )
        with gr.Row(equal_height=True):
            self.confirm = labels.add(gr.Checkbox(scale=3, elem_id="tl-quiz-confirm"), label="quiz.delete_confirm")
            self.delete = labels.add(
                gr.Button(size="sm", variant="stop", scale=1, elem_id="tl-quiz-delete"), value="quiz.delete"
            )

    # -- events ------------------------------------------------------------------------------------
    def wire(self, session: gr.State, lang: gr.State) -> None:
        fields = [self.stem, *self.options, self.right, self.answers, self.explanation]
        self.fields = fields
        self.shown = [self.bank, self.view, self.item, self.message, *fields]
        listing = [self.picker, self.message]
        self.tab.select(self.list_banks, [self.bank, session, lang], listing)
        self.refresh.click(self.list_banks, [self.bank, session, lang], listing)
        self.picker.input(self.open_bank, [self.picker, session, lang], self.shown)
        form = [self.title, self.topic, self.count, self.kinds, self.difficulty, session, lang]
        self.generate.click(self.generate_bank, form, [*self.shown, self.picker])
        self.item.input(self.pick_item, [self.bank, self.item], fields)
        self.accept.click(functools.partial(self.review, "accepted"), [self.bank, self.item, session, lang], self.shown)
        self.reject.click(functools.partial(self.review, "rejected"), [self.bank, self.item, session, lang], self.shown)
        self.save.click(self.save_edit, [self.bank, self.item, *fields, session, lang], self.shown)
        for fmt, button in self.exports.items():
            button.click(functools.partial(self.export, fmt), [self.bank, session, lang], [self.file, self.message])
        self.stats_load.click(self.load_stats, [self.bank, session, lang], [self.stats, self.stats_note])
        self.lesson_build.click(
            self.build_lesson, [self.lesson_topic, self.lesson_points, session, lang],
            [self.lesson_view, self.lesson_file],
        )  # fmt: skip
        self.delete.click(
            self.delete_bank, [self.bank, self.confirm, session, lang], [*self.shown, self.picker, self.confirm]
        )

    def reset_targets(self) -> list[Any]:
        return [self.tab, self.bank, self.view, self.picker, self.item, self.message, self.file, self.stats_note,
                self.stats, self.lesson_view, self.lesson_file, *self.fields]  # fmt: skip

    def reset(self, session: Session | None, lang: str) -> tuple[Any, ...]:
        """Show the tab to trainers only, with nothing left of a previous user."""
        cleared = gr.update(choices=[], value=None)
        return (gr.update(visible=can_train(session)), None, bank_html(None, lang), cleared, cleared, "", None, "",
                stats_table([], lang), "", None, *self.pick_item(None, None))  # fmt: skip

    # -- handlers ----------------------------------------------------------------------------------
    def list_banks(self, bank: QuizBank | None, session: Session | None, lang: str) -> tuple[Any, str]:
        return self.load_banks(session, lang, bank.bank_id if bank else None)

    def load_banks(self, session: Session | None, lang: str, value: str | None = None) -> tuple[Any, str]:
        """The bank picker's choices (``value`` chosen) and how many banks there are."""
        try:
            banks = self.client.banks(token_of(session))
        except ApiError as exc:
            return gr.update(), self._fail(lang, exc)
        message = t(lang, "quiz.banks_count", count=len(banks)) if banks else t(lang, "quiz.no_banks")
        return gr.update(choices=bank_choices(banks, lang), value=value), message

    def _show(self, bank: QuizBank | None, lang: str, message: str, item_id: str | None = None) -> tuple[Any, ...]:
        """The outputs of ``self.shown``: the bank, its view, the item picker (keeping ``item_id``) and the item."""
        item = next((i for i in bank.items if i.item_id == item_id), None) if bank else None
        picker = gr.update(choices=item_choices(bank, lang), value=item.item_id if item else None)
        return bank, bank_html(bank, lang), picker, message, *self.pick_item(bank, item.item_id if item else None)

    def _keep(self, message: str) -> tuple[Any, ...]:
        return (gr.update(),) * 3 + (message,) + (gr.update(),) * (SHOWN - 4)

    def open_bank(self, bank_id: str | None, session: Session | None, lang: str) -> tuple[Any, ...]:
        if not bank_id:
            return self._keep("")
        try:
            bank = self.client.bank(token_of(session), bank_id)
        except ApiError as exc:
            return self._keep(self._fail(lang, exc))
        return self._show(bank, lang, t(lang, "quiz.opened", title=bank.title, version=bank.version))

    def generate_bank(
        self, title: str, topic: str, count: float | None, kinds: list[str] | None, difficulty: str | None,
        session: Session | None, lang: str,
    ) -> tuple[Any, ...]:  # fmt: skip
        if not (title or "").strip() or not (topic or "").strip():
            return *self._keep(f"⚠ {t(lang, 'quiz.need_title')}"), gr.update()
        if not kinds:
            return *self._keep(f"⚠ {t(lang, 'quiz.need_kinds')}"), gr.update()
        try:
            made = self.client.generate_bank(
                token_of(session), title=title.strip(), topic=topic.strip(), count=int(count or 20), kinds=kinds,
                difficulty=None if difficulty in (None, "any") else difficulty,
            )  # fmt: skip
        except ApiError as exc:
            return *self._keep(self._fail(lang, exc)), gr.update()
        note = t(lang, "quiz.generated", items=len(made.bank.items), checked=made.checked, refused=made.refused)
        picker, _ = self.load_banks(session, lang, made.bank.bank_id)
        return *self._show(made.bank, lang, f"✓ {note}"), picker

    def pick_item(self, bank: QuizBank | None, item_id: str | None) -> tuple[Any, ...]:
        """The edit fields filled with the chosen item (stem, options, right option, answers, explanation)."""
        item = next((i for i in bank.items if i.item_id == item_id), None) if bank else None
        if item is None:
            hidden = gr.update(value="", visible=False)
            return "", *([hidden] * MAX_OPTIONS), gr.update(choices=[], value=None, visible=False), hidden, ""
        options = [
            gr.update(value=item.options[i] if i < len(item.options) else "", visible=i < len(item.options))
            for i in range(MAX_OPTIONS)
        ]
        right = gr.update(
            choices=[(LETTERS[i], i) for i in range(min(len(item.options), MAX_OPTIONS))],
            value=item.correct[0] if item.correct else None, visible=bool(item.options),
        )  # fmt: skip
        answers = gr.update(value=" ; ".join(item.answers), visible=item.kind == "fill_blank")
        return item.stem, *options, right, answers, item.explanation

    def review(
        self, status: str, bank: QuizBank | None, item_id: str | None, session: Session | None, lang: str,
        edits: dict[str, Any] | None = None,
    ) -> tuple[Any, ...]:  # fmt: skip
        """Save the item's status (and ``edits``) against the version shown; on a conflict reload the bank."""
        if bank is None or not item_id:
            return self._keep(f"⚠ {t(lang, 'quiz.pick_item')}")
        token = token_of(session)
        try:
            saved = self.client.review_item(
                token, bank.bank_id, item_id, status=status, expected_version=bank.version, **(edits or {})
            )
        except ApiError as exc:
            if exc.status != 409:
                return self._keep(self._fail(lang, exc))
            try:
                fresh = self.client.bank(token, bank.bank_id)
            except ApiError as again:
                return self._keep(self._fail(lang, again))
            return self._show(fresh, lang, f"⚠ {t(lang, 'quiz.conflict', version=fresh.version)}", item_id)
        n = t(lang, "quiz.item_n", n=next((n for n, i in enumerate(saved.items, 1) if i.item_id == item_id), 0))
        status_text = t(lang, f"qstatus.{status}")
        return self._show(saved, lang, f"✓ {t(lang, 'quiz.reviewed', n=n, status=status_text, version=saved.version)}",
                          item_id)  # fmt: skip

    def save_edit(self, bank: QuizBank | None, item_id: str | None, stem: str, *rest: Any) -> tuple[Any, ...]:
        """Save the edited item (accepted): the stem, options and right option, accepted answers, explanation."""
        *options, right, answers, explanation, session, lang = rest
        item = next((i for i in bank.items if i.item_id == item_id), None) if bank else None
        if item is None:
            return self._keep(f"⚠ {t(lang, 'quiz.pick_item')}")
        edits: dict[str, Any] = {"stem": (stem or "").strip(), "explanation": (explanation or "").strip()}
        if item.options:
            edits["options"] = [(o or "").strip() for o in options[: len(item.options)]]
            if not all(edits["options"]) or right is None:
                return self._keep(f"⚠ {t(lang, 'quiz.need_options')}")
            edits["correct"] = [int(right)]
        if item.kind == "fill_blank":
            edits["answers"] = [a.strip() for a in (answers or "").split(";") if a.strip()]
            if not edits["answers"]:
                return self._keep(f"⚠ {t(lang, 'quiz.need_answers')}")
        if len(edits["stem"]) < 3:
            return self._keep(f"⚠ {t(lang, 'quiz.need_stem')}")
        return self.review("accepted", bank, item_id, session, lang, edits)

    def export(self, fmt: str, bank: QuizBank | None, session: Session | None, lang: str) -> tuple[Any, str]:
        if bank is None:
            return None, f"⚠ {t(lang, 'quiz.pick_bank')}"
        try:
            file = self.client.export_bank(token_of(session), bank.bank_id, fmt)
        except ApiError as exc:
            return None, self._fail(lang, exc)
        return self._save(file), f"✓ {t(lang, 'quiz.exported', name=file.filename)}"

    def load_stats(self, bank: QuizBank | None, session: Session | None, lang: str) -> tuple[Any, str]:
        if bank is None:
            return gr.update(), f"⚠ {t(lang, 'quiz.pick_bank')}"
        try:
            stats = self.client.bank_stats(token_of(session), bank.bank_id)
        except ApiError as exc:
            return gr.update(), self._fail(lang, exc)
        attempts = max((s.attempts for s in stats), default=0)
        note = t(lang, "quiz.stats_note", attempts=attempts) if attempts else t(lang, "quiz.stats_empty")
        return stats_table(stats, lang), note

    def build_lesson(self, topic: str, points: float | None, session: Session | None, lang: str) -> tuple[str, Any]:
        if len((topic or "").strip()) < 2:
            return f"⚠ {t(lang, 'quiz.need_topic')}", None
        token, n = token_of(session), int(points or 5)
        try:
            lesson = self.client.lesson(token, topic.strip(), points=n)
            file = self.client.lesson_docx(token, topic.strip(), points=n) if lesson.points else None
        except ApiError as exc:
            return self._fail(lang, exc), None
        if not lesson.points:
            return t(lang, "quiz.lesson_empty"), None
        lines = [f"### {lesson.title}"] + [f"{n}. {p.text} — *{p.citation}*" for n, p in enumerate(lesson.points, 1)]
        return "\n".join(lines), self._save(file) if file else None

    def delete_bank(
        self, bank: QuizBank | None, confirmed: bool, session: Session | None, lang: str
    ) -> tuple[Any, ...]:
        if bank is None:
            return *self._keep(f"⚠ {t(lang, 'quiz.pick_bank')}"), gr.update(), gr.update()
        if not confirmed:
            return *self._keep(f"⚠ {t(lang, 'quiz.delete_needed')}"), gr.update(), gr.update()
        try:
            self.client.delete_bank(token_of(session), bank.bank_id)
        except ApiError as exc:
            return *self._keep(self._fail(lang, exc)), gr.update(), False
        picker, _ = self.load_banks(session, lang)
        return *self._show(None, lang, f"✓ {t(lang, 'quiz.deleted', title=bank.title)}"), picker, False
