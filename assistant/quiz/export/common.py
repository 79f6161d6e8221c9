"""What every export of a bank shares: which items are exported and in what order, option letters, the right answer
written out, the matching column shown to learners, accepted spellings, flags in words and Moodle category paths."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.quiz.model import ItemKind, QuizBank, QuizItem, ReviewStatus
from assistant.text.normalize import fold_diacritics

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SHUFFLE_TRIES = 50
TRUE_WORDS = frozenset({"đúng", "true", "t", "đ"})
FLAG_LABELS = {
    "source_not_current": "Văn bản nguồn đã bị thay thế hoặc hết hiệu lực: kiểm tra lại trước khi dùng.",
}


def exportable_items(bank: QuizBank, *, include_pending: bool = True) -> list[QuizItem]:
    """The items an export carries, in the bank's order: accepted and pending items (a trainer prints a draft before
    reviewing every item), never rejected ones; ``include_pending=False`` keeps only accepted items."""
    kept = {ReviewStatus.ACCEPTED, ReviewStatus.PENDING} if include_pending else {ReviewStatus.ACCEPTED}
    return [item for item in bank.items if item.status in kept]


def letter(index: int) -> str:
    """The letter of an option: A for 0, B for 1, …"""
    if not 0 <= index < len(LETTERS):
        raise ValueError(f"option index must be in 0..{len(LETTERS) - 1}, got {index}")
    return LETTERS[index]


def right_options(item: QuizItem) -> list[int]:
    """Indexes of the right options that exist."""
    return [index for index in item.correct if 0 <= index < len(item.options)]


def is_true(item: QuizItem) -> bool:
    """The answer of a true/false item: its right option reads "Đúng" (or index 0 when the item has no options)."""
    chosen = right_options(item)
    if chosen:
        return item.options[chosen[0]].strip().casefold() in TRUE_WORDS
    return item.correct == (0,)


@dataclass(frozen=True)
class MatchingColumns:
    """A matching item as printed: the left column in order, the right column shuffled and lettered, and for each
    left entry the letter of its right entry."""

    lefts: tuple[str, ...]
    rights: tuple[str, ...]
    answer_letters: tuple[str, ...]


def matching_columns(item: QuizItem) -> MatchingColumns:
    """The right column shuffled deterministically (seeded by the item id) so that no entry faces its own pair when
    there are two or more."""
    rights = [pair.right for pair in item.pairs]
    rng = random.Random(item.item_id)
    order = list(range(len(rights)))
    for _ in range(_SHUFFLE_TRIES):
        rng.shuffle(order)
        if len(order) < 2 or all(position != index for position, index in enumerate(order)):
            break
    else:
        order = [*range(1, len(rights)), 0]
    shown = [rights[index] for index in order]
    answers = tuple(letter(order.index(index)) for index in range(len(rights)))
    return MatchingColumns(tuple(pair.left for pair in item.pairs), tuple(shown), answers)


def right_answer_text(item: QuizItem) -> str:
    """The right answer as a trainer reads it in a key: "B. 30 ngày", "Sai", the accepted spellings or the pairs."""
    if item.kind == ItemKind.MULTIPLE_CHOICE:
        return "; ".join(f"{letter(index)}. {item.options[index]}" for index in right_options(item))
    if item.kind == ItemKind.TRUE_FALSE:
        return "Đúng" if is_true(item) else "Sai"
    if item.kind == ItemKind.FILL_BLANK:
        return " / ".join(item.answers)
    columns = matching_columns(item)
    return "; ".join(
        f"{number} – {answer} ({pair.right})"
        for number, (answer, pair) in enumerate(zip(columns.answer_letters, item.pairs, strict=True), start=1)
    )


def accepted_answers(item: QuizItem) -> list[str]:
    """The accepted spellings of a fill-in item, then each one without diacritics when that differs (staff often
    type without them; practice grading accepts both), without duplicates."""
    seen: dict[str, None] = {}
    for answer in item.answers:
        seen.setdefault(answer.strip(), None)
    for answer in item.answers:
        seen.setdefault(fold_diacritics(answer.strip()), None)
    return [answer for answer in seen if answer]


def flag_notes(item: QuizItem) -> list[str]:
    """Each flag of an item in words, unknown flags as they are."""
    return [FLAG_LABELS.get(flag, flag) for flag in item.flags]


def feedback_lines(item: QuizItem) -> list[str]:
    """What a learner reads after answering: the citation, the explanation (or, when it is empty, the clause
    itself) and the flags."""
    lines = [f"Căn cứ: {item.citation}"] if item.citation else []
    quoted = item.explanation.strip() or " ".join(source.text.strip() for source in item.sources).strip()
    if quoted:
        lines.append(quoted)
    lines.extend(f"Lưu ý: {note}" for note in flag_notes(item))
    return lines


def question_name(number: int, item: QuizItem, width: int = 60) -> str:
    """The name a question gets in an LMS: "Câu 3: Cơ quan gửi đề nghị gia hạn chậm nhất …"."""
    stem = " ".join(item.stem.split())
    short = stem if len(stem) <= width else stem[: width - 1].rstrip() + "…"
    return f"Câu {number}: {short}"


def group_label(item: QuizItem, bank: QuizBank) -> str:
    """The category an item is filed under: its first source's document number (or title), else its topic."""
    for source in item.sources:
        if source.number or source.title:
            return source.number or source.title
    return item.topic or bank.topic or "Chung"


def category_path(*names: str) -> str:
    """A Moodle category path under the course's top category; a "/" inside a name is doubled, as Moodle's
    ``assemble_category_path`` does, so "30/2020/NĐ-CP" stays one category."""
    escaped = []
    for name in ("$course$", "top", *names):
        part = " ".join(name.split()).replace("/", "//")
        if part.startswith("/"):
            part = " " + part
        if part.endswith("/"):
            part += " "
        escaped.append(part)
    return "/".join(escaped)


def grouped(items: Sequence[QuizItem], bank: QuizBank) -> list[tuple[str, list[tuple[int, QuizItem]]]]:
    """Items grouped by category in order of first appearance, each with its number in the whole export."""
    groups: dict[str, list[tuple[int, QuizItem]]] = {}
    for number, item in enumerate(items, start=1):
        groups.setdefault(group_label(item, bank), []).append((number, item))
    return list(groups.items())
