"""A bank in GIFT, Moodle's text format, written the way Moodle's own GIFT format (question/format/gift/format.php)
reads it back: reserved characters escaped, one question per block, blocks separated by a blank line."""

from __future__ import annotations

from assistant.quiz.export.common import (
    accepted_answers,
    category_path,
    exportable_items,
    feedback_lines,
    grouped,
    is_true,
    question_name,
    right_options,
)
from assistant.quiz.model import ItemKind, QuizBank, QuizItem

_RESERVED = {"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n"}
ARROW = "->"  # the matching separator; it cannot be escaped, so "->" inside a text becomes "→"


def escape(text: str) -> str:
    """``text`` with GIFT's reserved characters (\\ # = ~ { } :) escaped and new lines written as ``\\n``, as
    Moodle's ``repchar`` does."""
    text = text.replace("\r", "")
    return "".join(_RESERVED.get(char, char) for char in text)


def _unarrowed(text: str) -> str:
    return escape(text.replace(ARROW, "→"))


def _weighted(text: str, sign: str, weight: str) -> str:
    """An answer after its sign; a text that opens with "%" gets an explicit weight so Moodle does not read the
    start of the text as one."""
    return f"{sign}%{weight}%{text}" if text.startswith("%") else f"{sign}{text}"


def _answers(item: QuizItem) -> list[str]:
    if item.kind == ItemKind.MULTIPLE_CHOICE:
        right = right_options(item)
        lines = []
        share = f"{100 / max(len(right), 1):.5f}".rstrip("0").rstrip(".")
        for index, option in enumerate(item.options):
            if index not in right:
                lines.append(_weighted(escape(option), "~", "0"))
            elif len(right) == 1:
                lines.append(f"={escape(option)}")  # after "=" Moodle reads no weight
            else:
                lines.append(f"~%{share}%{escape(option)}")
        return lines
    if item.kind == ItemKind.TRUE_FALSE:
        return ["T" if is_true(item) else "F"]
    if item.kind == ItemKind.MATCHING:
        return [f"={_unarrowed(pair.left)} {ARROW} {escape(pair.right)}" for pair in item.pairs]
    return [_weighted(_unarrowed(answer), "=", "100") for answer in accepted_answers(item)]


def _question(number: int, item: QuizItem) -> str:
    feedback = "####" + escape("\n".join(feedback_lines(item)))
    head = f"// {item.item_id}\n::{escape(question_name(number, item))}::{escape(item.stem)} "
    if item.kind == ItemKind.TRUE_FALSE:
        return f"{head}{{{_answers(item)[0]}{feedback}}}"
    body = "".join(f"\t{line}\n" for line in _answers(item))
    return f"{head}{{\n{body}\t{feedback}\n}}"


def bank_to_gift(bank: QuizBank, *, include_pending: bool = True) -> str:
    """The bank as GIFT text: a ``$CATEGORY:`` line per document or topic, then ``::Câu n: …::`` questions —
    multiple choice ``{=right ~wrong …}``, true/false ``{T}``/``{F}``, fill-in ``{=a =b}`` (with each spelling
    also without diacritics), matching ``{=x -> y …}`` — each ending with ``####`` general feedback (the citation
    and the quoted clause)."""
    blocks = [f"// {escape(bank.title)}"]
    items = exportable_items(bank, include_pending=include_pending)
    for label, numbered in grouped(items, bank):
        blocks.append(f"$CATEGORY: {' '.join(category_path(bank.title, label).split())}")
        blocks.extend(_question(number, item) for number, item in numbered)
    return "\n\n".join(blocks) + "\n"
