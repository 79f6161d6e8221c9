"""What the trainer and practice tabs draw: a bank with its answers marked, the learners' per-item results, a graded
practice, and the choices of the pickers."""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from ui.models import BankSummary, ItemStat, PracticeScore, QuizBank, QuizItem
from ui.strings import t

KINDS = ("multiple_choice", "true_false", "fill_blank", "matching")
DIFFICULTIES = ("any", "recall", "discriminate")
EXPORTS = ("docx", "key", "moodle", "gift", "csv")
MAX_OPTIONS = 6  # the API accepts at most six options
LETTERS = "ABCDEF"
QUIZ_CSS = """
.tl-quiz-item { border-left: 4px solid var(--border-color-primary); padding: 0.3rem 0.7rem; margin: 0 0 0.7rem 0; }
.tl-qs-accepted { border-left-color: #15803d; }
.tl-qs-rejected { border-left-color: #dc2626; opacity: 0.75; }
.tl-quiz-item p, .tl-quiz-item ul { margin: 0.15rem 0; }
.tl-quiz-right { font-weight: 700; color: #15803d; }
.tl-quiz-badge { font-size: 0.8rem; border: 1px solid currentColor; border-radius: 0.8rem; padding: 0 0.5rem; }
.tl-quiz-cite, .tl-quiz-expl { font-size: 0.9rem; color: var(--body-text-color-subdued); }
"""


def kind_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"kind.{k}"), k) for k in KINDS]


def difficulty_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"difficulty.{d}"), d) for d in DIFFICULTIES]


def bank_choices(banks: list[BankSummary], lang: str) -> list[tuple[str, str]]:
    return [(t(lang, "quiz.bank_choice", title=b.title, items=b.items, version=b.version, owner=b.owner), b.bank_id)
            for b in banks]  # fmt: skip


def item_choices(bank: QuizBank | None, lang: str) -> list[tuple[str, str]]:
    if bank is None:
        return []
    return [(f"{t(lang, 'quiz.item_n', n=n)} · {t(lang, f'qstatus.{i.status}')} · {i.stem[:80]}", i.item_id)
            for n, i in enumerate(bank.items, 1)]  # fmt: skip


def _item_html(n: int, item: QuizItem, lang: str) -> str:
    status = t(lang, f"qstatus.{item.status}")
    parts = [
        f"<p><strong>{escape(t(lang, 'quiz.item_n', n=n))}</strong> · {escape(t(lang, f'kind.{item.kind}'))} · "
        f'<span class="tl-quiz-badge">{escape(status)}</span></p><p>{escape(item.stem)}</p>'
    ]
    if item.options:
        options = "".join(
            f'<li class="tl-quiz-right">{LETTERS[i]}. {escape(o)} ✓</li>' if i in item.correct
            else f"<li>{LETTERS[i]}. {escape(o)}</li>"
            for i, o in enumerate(item.options[:MAX_OPTIONS])
        )  # fmt: skip
        parts.append(f"<ul>{options}</ul>")
    if item.answers:
        parts.append(
            f'<p class="tl-quiz-right">{escape(t(lang, "quiz.answers_are"))}: {escape(" ; ".join(item.answers))}</p>'
        )
    if item.pairs:
        pairs = "".join(f"<li>{escape(left)} → {escape(right)}</li>" for left, right in item.pairs)
        parts.append(f'<ul class="tl-quiz-right">{pairs}</ul>')
    if item.explanation:
        parts.append(f'<p class="tl-quiz-expl">{escape(t(lang, "quiz.explanation"))}: {escape(item.explanation)}</p>')
    parts.append(f'<p class="tl-quiz-cite">{escape(t(lang, "quiz.source"))}: {escape(item.citation)}</p>')
    if item.flags:
        parts.append(f'<p class="tl-warning">⚠ {escape(", ".join(item.flags))}</p>')
    attrs = f'class="tl-quiz-item tl-qs-{escape(item.status)}" data-item="{escape(item.item_id)}"'
    return f"<div {attrs}>{''.join(parts)}</div>"


def bank_html(bank: QuizBank | None, lang: str) -> str:
    """The bank as the trainer reviews it: every item with its right answer marked, citation and status."""
    if bank is None:
        return f"<p>{escape(t(lang, 'quiz.no_bank'))}</p>"
    counts = Counter(item.status for item in bank.items)
    head = t(
        lang, "quiz.bank_heading", title=bank.title, version=bank.version, items=len(bank.items),
        accepted=counts["accepted"], rejected=counts["rejected"], pending=counts["pending"],
    )  # fmt: skip
    items = "".join(_item_html(n, item, lang) for n, item in enumerate(bank.items, 1))
    return f'<div class="tl-quiz-bank" data-version="{bank.version}"><h3>{escape(head)}</h3>{items}</div>'


def stats_table(stats: list[ItemStat], lang: str) -> dict[str, Any]:
    """Per-item results, the items answered wrong most often first."""
    headers = t(lang, "quiz.stats_columns").split("|")
    ranked = sorted(stats, key=lambda s: (-(s.wrong / s.attempts if s.attempts else -1.0), -s.wrong, s.stem))
    rows = [[s.stem, s.attempts, s.wrong, f"{s.wrong / s.attempts:.0%}" if s.attempts else "—"] for s in ranked]
    return {"headers": headers, "data": rows or [[""] * len(headers)]}


def result_html(result: PracticeScore, lang: str) -> str:
    """A graded practice: the score, then each item right or wrong with its right answer, explanation, citation."""
    rows = []
    for n, graded in enumerate(result.items, 1):
        verdict = t(lang, "practice.right" if graded.correct else "practice.wrong")
        mark, state = ("✓", "accepted") if graded.correct else ("✗", "rejected")
        rows.append(
            f'<div class="tl-quiz-item tl-qs-{state} tl-graded" data-correct="{str(graded.correct).lower()}">'
            f"<p><strong>{escape(t(lang, 'quiz.item_n', n=n))} · {mark} {escape(verdict)}</strong></p>"
            f"<p>{escape(graded.stem)}</p>"
            f'<p class="tl-quiz-right">{escape(t(lang, "practice.right_answer"))}: {escape(graded.right_answer)}</p>'
            f'<p class="tl-quiz-expl">{escape(t(lang, "quiz.explanation"))}: {escape(graded.explanation)}</p>'
            f'<p class="tl-quiz-cite">{escape(t(lang, "quiz.source"))}: {escape(graded.citation)}</p></div>'
        )
    score = t(lang, "practice.score", score=result.score, total=result.total)
    return f'<div class="tl-practice-result"><h3 class="tl-score">{escape(score)}</h3>{"".join(rows)}</div>'
