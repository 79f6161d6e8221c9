"""Practice: a bank as a learner sees it (shuffled, no answers) and the grading of a learner's responses."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assistant.errors import InvalidRequest
from assistant.quiz.model import FactKind, ItemKind, QuizItem, ReviewStatus
from assistant.quiz.spelling import canonical
from assistant.text.normalize import fold_diacritics, normalize_whitespace

_LEADING_ZEROS = re.compile(r"\b0+(\d)")
_EDGE_PUNCTUATION = " .,;:!?\"'“”()"
TRUE_FALSE_OPTIONS = ("Đúng", "Sai")


@dataclass(frozen=True)
class PracticeItem:
    """One item as shown to a learner: options in a shuffled order, no answer, no explanation."""

    item_id: str
    kind: ItemKind
    stem: str
    options: tuple[str, ...] = ()  # multiple choice / true-false, in display order
    lefts: tuple[str, ...] = ()  # matching: the left column in display order
    rights: tuple[str, ...] = ()  # matching: the right column, shuffled


@dataclass(frozen=True)
class Response:
    """A learner's answer to one item: the chosen option text (multiple choice, true/false), the typed text
    (fill-in-the-blank) or left → right (matching)."""

    choice: str = ""
    text: str = ""
    pairs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Graded:
    item: QuizItem
    correct: bool
    right_answer: str  # the right answer, written out for the learner


def practice_items(items: Sequence[QuizItem], *, seed: int | None = None) -> list[PracticeItem]:
    """The bank's usable items (not rejected) in a shuffled order, each with its options shuffled."""
    rng = random.Random(seed)
    usable = [item for item in items if item.status != ReviewStatus.REJECTED]
    rng.shuffle(usable)
    shown = []
    for item in usable:
        options = list(item.options)
        if item.kind == ItemKind.MULTIPLE_CHOICE:
            rng.shuffle(options)
        rights = [pair.right for pair in item.pairs]
        rng.shuffle(rights)
        lefts = tuple(pair.left for pair in item.pairs)
        shown.append(PracticeItem(item.item_id, item.kind, item.stem, tuple(options), lefts, tuple(rights)))
    return shown


def right_answer(item: QuizItem) -> str:
    """The right answer as text: the right option, the first accepted spelling, or the pairs."""
    if item.kind == ItemKind.MATCHING:
        return "; ".join(f"{pair.left} → {pair.right}" for pair in item.pairs)
    if item.kind == ItemKind.FILL_BLANK:
        return item.answers[0] if item.answers else ""
    return " / ".join(item.options[i] for i in item.correct if 0 <= i < len(item.options))


def _folded(text: str) -> str:
    text = normalize_whitespace(fold_diacritics(text).casefold()).strip(_EDGE_PUNCTUATION)
    return _LEADING_ZEROS.sub(r"\1", text)


def _names_the_same(typed: str, accepted: set[str]) -> bool:
    """Whether a typed name is an accepted one with its place or its body added ("Chánh Thanh tra tỉnh Lạng Sơn",
    "Trưởng đoàn thanh tra", "Chánh Văn phòng Sở": at most three more words). A name without its level is not:
    after the 2025 reform "Chủ tịch UBND" may be the commune's."""
    return any(typed.startswith(answer + " ") and len(typed[len(answer) :].split()) <= 3 for answer in accepted)


def grade(item: QuizItem, response: Response) -> Graded:
    """Whether ``response`` answers ``item``: the chosen option is the right one; the typed text equals an accepted
    answer ignoring case, diacritics, spacing and leading zeros, a number in words or digits and an administrative
    name written out or abbreviated ("Ủy ban nhân dân tỉnh" = "UBND tỉnh"), or names the same body with its place
    or parent added (never with its level left out); every matching pair is right."""
    if item.kind == ItemKind.MATCHING:
        expected = {pair.left: pair.right for pair in item.pairs}
        correct = bool(expected) and all(response.pairs.get(left) == right for left, right in expected.items())
    elif item.kind == ItemKind.FILL_BLANK:
        typed = _folded(response.text)
        accepted = {form for answer in item.answers for form in (_folded(answer), canonical(answer))}
        correct = bool(typed) and (typed in accepted or canonical(response.text) in accepted)
        if not correct and item.fact_kind is FactKind.AGENCY:
            correct = _names_the_same(canonical(response.text), {canonical(a) for a in item.answers})
    else:
        correct = response.choice in {item.options[i] for i in item.correct if 0 <= i < len(item.options)}
    return Graded(item, correct, right_answer(item))


def grade_all(items: Sequence[QuizItem], responses: Mapping[str, Response]) -> list[Graded]:
    """Grade a submission against the bank's usable items; an item left unanswered counts as wrong, an answer to an
    item the bank does not hold is refused."""
    usable = {item.item_id: item for item in items if item.status != ReviewStatus.REJECTED}
    unknown = sorted(set(responses) - set(usable))
    if unknown:
        raise InvalidRequest(
            f"Trường 'answers': câu '{unknown[0][:40]}' không có trong bộ câu hỏi này. Tải lại bài luyện tập rồi nộp."
        )
    return [grade(item, responses.get(item_id, Response())) for item_id, item in usable.items()]
