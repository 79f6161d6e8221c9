"""The admin's evaluation tab: ask a question set of the served shelf (the shelf's own questions, or a JSONL file
such as a feedback export), watch the run's progress, read its figures per configuration and the questions it
missed; earlier runs can be opened again (a run goes on in the API when the page is left)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from ui.client import ApiClient, ApiError
from ui.labels import Labels
from ui.models import EvalRun, Session
from ui.strings import error_text, short_time, t

CONFIGS = ("hybrid", "hybrid-no-ranker", "bm25", "dense")  # the API's choices most worth comparing
SPLITS = ("", "dev", "test")
# (metric key, label key, how it is shown: a percentage, a ratio, milliseconds)
FIGURES = (
    ("recall@1", "eval.m.r1", "%"), ("recall@5", "eval.m.r5", "%"), ("mrr@10", "eval.m.mrr", "ratio"),
    ("citation_precision", "eval.m.cp", "%"), ("citation_recall", "eval.m.cr", "%"),
    ("abstain_recall", "eval.m.caught", "%"), ("false_abstain_rate", "eval.m.false", "%"),
    ("abstain_auc", "eval.m.auc", "ratio"), ("english_recall@5", "eval.m.en", "%"),
    ("latency_p95_ms", "eval.m.p95", "ms"),
)  # fmt: skip
MAX_FILE_BYTES = 250_000  # the API takes JSON bodies of ASSISTANT_MAX_BODY_KB (256)


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f} %" if unit == "%" else f"{value:.0f}" if unit == "ms" else f"{value:.3f}"


def progress_html(run: EvalRun | None, lang: str, note: str = "") -> str:
    """The run's state, a progress bar while it runs, then its figures per configuration and its misses."""
    if run is None:
        return f'<p class="tl-warning">⚠ {escape(note)}</p>' if note else ""
    share = run.done / run.total if run.total else 0.0
    state = t(lang, f"eval.status.{run.status}")
    configs = max(1, len(run.configs))
    progress = t(lang, "eval.progress", done=run.done, total=run.total, questions=run.total // configs, configs=configs)
    head = (
        f'<div class="tl-eval" aria-live="polite" data-status="{escape(run.status)}">'
        f"<p><strong>{escape(run.label)}</strong> — <span class='tl-eval-state'>{escape(state)}</span> "
        f"({escape(progress)})</p>"
        f'<progress max="{run.total or 1}" value="{run.done}" aria-label="{escape(state, quote=True)}">'
        f"{share:.0%}</progress>"
    )
    parts = [head]
    if run.error:
        parts.append(f'<p class="tl-warning">⚠ {escape(run.error)}</p>')
    if note:
        parts.append(f"<p>{escape(note)}</p>")
    if run.metrics:
        columns = "".join(f"<th>{escape(name)}</th>" for name in run.metrics)
        rows = "".join(
            f"<tr><th scope='row'>{escape(t(lang, label))}</th>"
            + "".join(f"<td>{_figure(m.get(key), unit)}</td>" for m in run.metrics.values())
            + "</tr>"
            for key, label, unit in FIGURES
            if any(key in m for m in run.metrics.values())
        )
        first = next(iter(run.metrics.values()))
        counts = t(lang, "eval.counts", n=int(first.get("n", 0)), answerable=int(first.get("n_answerable", 0)))
        parts.append(
            f"<p>{escape(counts)}</p><div class='tl-eval-scroll'><table class='tl-eval-table'><thead><tr><th></th>"
            f"{columns}</tr></thead><tbody>{rows}</tbody></table></div>"
        )
    if run.misses:
        items = "".join(
            f"<li><code>{escape(str(m.get('qid', '')))}</code> {escape(str(m.get('question', '')))} — "
            f"{escape(t(lang, 'eval.why.' + str(m.get('why', ''))))}</li>"
            for m in run.misses
        )
        parts.append(
            f"<details><summary>{escape(t(lang, 'eval.misses', n=len(run.misses)))}</summary><ul>{items}</ul></details>"
        )
    return "".join(parts) + "</div>"


def run_choices(runs: list[EvalRun], lang: str) -> list[tuple[str, str]]:
    return [
        (f"{short_time(r.created)} · {r.label} · {', '.join(r.configs)} · {t(lang, f'eval.status.{r.status}')}",
         r.run_id)
        for r in runs
    ]  # fmt: skip


class EvalTab:
    def __init__(self, client: ApiClient, *, poll_seconds: float, timeout_seconds: float) -> None:
        self.client = client
        self.poll_seconds = poll_seconds
        self.timeout_seconds = timeout_seconds

    def build(self, labels: Labels, lang: str) -> None:
        labels.add(gr.Markdown(t(lang, "eval.help")), value="eval.help")
        with gr.Row():
            self.file = labels.add(
                gr.File(file_types=[".jsonl"], type="filepath", min_width=240, elem_id="tl-eval-file"),
                label="eval.file",
            )
            with gr.Column(min_width=240):
                self.split = labels.add(
                    gr.Dropdown(choices=[(t(lang, "eval.all"), ""), *[(s, s) for s in SPLITS[1:]]], value="",
                                elem_id="tl-eval-split"),
                    label="eval.split",
                )  # fmt: skip
                self.limit = labels.add(
                    gr.Number(value=None, minimum=1, maximum=2000, precision=0, elem_id="tl-eval-limit"),
                    label="eval.limit",
                    info="eval.limit_info",
                )
            self.configs = labels.add(
                gr.CheckboxGroup(
                    choices=[(t(lang, f"eval.cfg.{c}"), c) for c in CONFIGS],
                    value=["hybrid"],
                    min_width=240,
                    elem_id="tl-eval-configs",
                ),
                label="eval.configs",
                info="eval.configs_info",
            )
        self.start = labels.add(gr.Button(variant="primary", elem_id="tl-eval-start"), value="eval.start")
        self.progress = gr.HTML(elem_id="tl-eval-progress")
        with gr.Row():
            self.runs = labels.add(gr.Dropdown(choices=[], scale=4, elem_id="tl-eval-runs"), label="eval.runs")
            self.watch = labels.add(gr.Button(size="sm", scale=1, elem_id="tl-eval-watch"), value="eval.watch")

    def wire(self, session: gr.State, lang: gr.State) -> None:
        self.start.click(
            self.run, [self.file, self.split, self.limit, self.configs, session, lang], [self.progress, self.runs]
        )
        self.watch.click(self.follow, [self.runs, session, lang], [self.progress, self.runs])

    # -- handlers ----------------------------------------------------------------------------------
    def load(self, session: Session | None, lang: str) -> Any:
        """The recent runs (when the tab opens)."""
        try:
            runs = self.client.eval_runs(session.token if session and session.token else "")
        except ApiError:
            return gr.update()
        return gr.update(choices=run_choices(runs, lang), value=None)

    def run(
        self, file: str | None, split: str | None, limit: float | None, configs: list[str] | None,
        session: Session | None, lang: str,
    ) -> Iterator[tuple[Any, Any]]:  # fmt: skip
        """Start a run, then follow it to its end."""
        token = session.token if session and session.token else ""
        questions = ""
        if file:
            try:
                if Path(file).stat().st_size > MAX_FILE_BYTES:
                    yield (
                        progress_html(None, lang, t(lang, "eval.too_big", kb=MAX_FILE_BYTES // 1000)),
                        gr.update(),
                    )
                    return
                questions = Path(file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                yield (
                    progress_html(None, lang, t(lang, "eval.unreadable", name=Path(file).name, error=exc)),
                    gr.update(),
                )
                return
        if not configs:
            yield progress_html(None, lang, t(lang, "eval.no_config")), gr.update()
            return
        try:
            run = self.client.start_eval(
                token, questions_jsonl=questions, split=split or None, limit=int(limit) if limit else None,
                configs=configs,
            )  # fmt: skip
        except ApiError as exc:
            yield (
                progress_html(None, lang, error_text(lang, exc.code, exc.message, api_url=self.client.base_url)),
                gr.update(),
            )
            return
        yield from self._follow(run, token, lang)

    def follow(self, run_id: str | None, session: Session | None, lang: str) -> Iterator[tuple[Any, Any]]:
        """Open an earlier run: its figures, or its progress while it still runs."""
        token = session.token if session and session.token else ""
        if not run_id:
            yield progress_html(None, lang, t(lang, "eval.pick_run")), gr.update()
            return
        try:
            run = self.client.eval_run(token, run_id)
        except ApiError as exc:
            yield (
                progress_html(None, lang, error_text(lang, exc.code, exc.message, api_url=self.client.base_url)),
                gr.update(),
            )
            return
        yield from self._follow(run, token, lang)

    def _follow(self, run: EvalRun, token: str, lang: str) -> Iterator[tuple[Any, Any]]:
        yield progress_html(run, lang), gr.update()
        deadline = time.monotonic() + self.timeout_seconds
        while not run.finished:
            if time.monotonic() > deadline:
                yield progress_html(run, lang, t(lang, "eval.still_running")), gr.update()
                return
            time.sleep(self.poll_seconds)
            try:
                run = self.client.eval_run(token, run.run_id)
            except ApiError as exc:
                note = error_text(lang, exc.code, exc.message, api_url=self.client.base_url)
                yield progress_html(run, lang, note), gr.update()
                return
            yield progress_html(run, lang), gr.update()
        try:
            runs = self.client.eval_runs(token)
        except ApiError:
            yield progress_html(run, lang), gr.update()
            return
        yield progress_html(run, lang), gr.update(choices=run_choices(runs, lang), value=run.run_id)
