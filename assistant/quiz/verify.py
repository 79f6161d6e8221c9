"""Automatic checks of generated items against their cited clauses, one item at a time and over a bank.

Each problem is a short string that starts with the name of the failed check ("answer_not_in_source: …").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.quiz.currency import dissolved_body
from assistant.quiz.distractors import stated_in
from assistant.quiz.facts import find_values
from assistant.quiz.model import CheckResult, FactKind, ItemKind, QuizItem
from assistant.quiz.spelling import canonical
from assistant.text.normalize import fold_diacritics, has_diacritics

__all__ = ["CHECKS", "check_bank", "check_item"]

CHECKS = (
    "no_source", "answer_not_in_source", "distractor_in_source", "option_count", "options_not_distinct",
    "correct_count", "unfilled_slot", "template_residue", "double_space", "final_punctuation", "no_diacritics",
    "answer_in_stem", "no_answers", "pair_count", "pairs_not_distinct", "pair_not_in_source", "statement_mismatch",
    "duplicate_item", "near_duplicate_stem", "dissolved_body",
)  # fmt: skip
_RESIDUE = re.compile(r"[{}]|\bNone\b|\$\w|%\(|<[a-z_]+>|\[\[|\]\]")
# What an amendment's quoted text leaves behind when cut out: `…một lần.".`, `…hợp lệ."?`.
_QUOTE_RESIDUE = re.compile(r"[.;]\s*[\"”]|[\"”]\s*[.?]")
_NEAR_DUPLICATE = 0.9


def _stem_problems(item: QuizItem) -> list[str]:
    stem = item.stem
    problems = []
    if "___" in stem and item.kind is not ItemKind.FILL_BLANK:
        problems.append("unfilled_slot: '___' outside a fill-in-the-blank item")
    if item.kind is ItemKind.FILL_BLANK and stem.count("___") != 1:
        problems.append("unfilled_slot: a fill-in item needs exactly one blank")
    if (
        _RESIDUE.search(stem)
        or _RESIDUE.search(item.explanation)
        or (item.kind is not ItemKind.FILL_BLANK and _QUOTE_RESIDUE.search(stem))
    ):
        problems.append("template_residue: a placeholder is left in the stem or explanation")
    if "  " in stem:
        problems.append("double_space: the stem has two spaces in a row")
    if not stem.rstrip().endswith(("?", ":")):
        problems.append("final_punctuation: the stem must end with '?' or ':'")
    if not has_diacritics(stem):
        problems.append("no_diacritics: the stem is not Vietnamese with diacritics")
    shown = " | ".join((stem, *item.options, *item.answers, *(f"{p.left} | {p.right}" for p in item.pairs)))
    if gone := dissolved_body(shown):
        problems.append(f"dissolved_body: the item names {gone}, which no longer exists")
    return problems


def check_item(item: QuizItem) -> CheckResult:
    """Every check one item can fail on its own: answers and wrong options against the cited clause, options,
    pairs and the form of the stem."""
    problems = _stem_problems(item)
    if not item.sources:
        return CheckResult(item.item_id, (*problems, "no_source: the item cites no clause"))
    clause = item.sources[0].text
    if item.kind is ItemKind.MULTIPLE_CHOICE:
        problems += _choice_problems(item, clause)
    elif item.kind is ItemKind.TRUE_FALSE:
        problems += _true_false_problems(item, clause)
    elif item.kind is ItemKind.FILL_BLANK:
        if not item.answers:
            problems.append("no_answers: a fill-in item needs accepted answers")
        elif not stated_in(item.fact_kind, item.answers[0], clause):
            problems.append(f"answer_not_in_source: «{item.answers[0]}» is not in the cited clause")
        elif _gives_away(item, item.answers[0], item.stem.replace("___", " ")):
            problems.append(f"answer_in_stem: the stem gives the answer «{item.answers[0]}» away")
    else:
        problems += _matching_problems(item)
    return CheckResult(item.item_id, tuple(problems))


def _choice_problems(item: QuizItem, clause: str) -> list[str]:
    problems = []
    if len(item.options) != 4:
        problems.append(f"option_count: {len(item.options)} options instead of 4")
    if len({canonical(o) for o in item.options}) != len(item.options):  # "01 lần" = "một lần"
        problems.append("options_not_distinct: two options are the same")
    if len(item.correct) != 1 or not 0 <= item.correct[0] < len(item.options):
        return [*problems, "correct_count: exactly one option must be right"]
    right = item.options[item.correct[0]]
    if not stated_in(item.fact_kind, right, clause):
        problems.append(f"answer_not_in_source: «{right}» is not in the cited clause")
    if item.fact_kind is not FactKind.STEP and _gives_away(item, right, item.stem):
        problems.append(f"answer_in_stem: the stem gives the answer «{right}» away")
    for n, option in enumerate(item.options):
        if n != item.correct[0] and stated_in(item.fact_kind, option, clause):
            problems.append(f"distractor_in_source: «{option}» is also in the cited clause")
    return problems


_FUNCTION_WORDS = frozenset({"va", "cua", "&"})


def _initials(name: str) -> str:
    """ "SKHCN" of "Sở Khoa học và Công nghệ", as a số hiệu abbreviates its issuer."""
    return "".join(w[0] for w in fold_diacritics(name).split() if w not in _FUNCTION_WORDS)


def _gives_away(item: QuizItem, answer: str, stem: str) -> bool:
    """Whether ``stem`` states ``answer`` (any spelling), or names a body by the initials a số hiệu uses
    ("…/SKHCN-CĐS" for "Sở Khoa học và Công nghệ")."""
    if stated_in(item.fact_kind, answer, stem) or canonical(answer) in canonical(stem):
        return True
    initials = _initials(answer) if item.fact_kind is FactKind.AGENCY else ""
    codes = {fold_diacritics(code) for code in re.findall(r"[A-ZĐ]{3,}", stem)}  # the upper-case parts of số hiệu
    return len(initials) >= 3 and initials in codes


def _true_false_problems(item: QuizItem, clause: str) -> list[str]:
    if len(item.options) != 2 or len(item.correct) != 1:
        return ["correct_count: a true/false item has two options and one right"]
    statement = item.stem.split(", ", 1)[-1]
    values = [v for k, v in find_values(statement) if k is item.fact_kind]
    if not values:
        return ["statement_mismatch: the statement states no fact of its kind"]
    unstated = [v for v in values if not stated_in(item.fact_kind, v, clause)]
    if item.correct[0] == 0 and unstated:
        return [f"statement_mismatch: «{unstated[0]}» is marked true but not in the cited clause"]
    if item.correct[0] == 1 and not unstated:
        return ["statement_mismatch: marked false but every value is in the cited clause"]
    return []


def _matching_problems(item: QuizItem) -> list[str]:
    problems = []
    if not 3 <= len(item.pairs) <= 5:
        problems.append(f"pair_count: {len(item.pairs)} pairs instead of 3–5")
    lefts = {fold_diacritics(p.left) for p in item.pairs}
    rights = {fold_diacritics(p.right) for p in item.pairs}
    if len(lefts) != len(item.pairs) or len(rights) != len(item.pairs):
        problems.append("pairs_not_distinct: two pairs share a left or a right side")
    for pair in item.pairs:
        if not stated_in(item.fact_kind, pair.right, pair.source.text):
            problems.append(f"pair_not_in_source: «{pair.right}» is not in its clause")
    return problems


def _tokens(stem: str) -> set[str]:
    return set(re.findall(r"\w+", fold_diacritics(stem)))


def check_bank(items: Sequence[QuizItem]) -> list[CheckResult]:
    """:func:`check_item` for every item, plus duplicates within the bank: the same clause asked for the same
    answer, or near-identical stems (the later item is the one marked)."""
    results = []
    seen_answers: dict[tuple[str, str, str], str] = {}
    seen_stems: list[tuple[set[str], str]] = []
    for item in items:
        problems = list(check_item(item).problems)
        answer = _answer_of(item)
        key = (item.kind.value, "|".join(f"{s.chunk_id}#{s.path}" for s in item.sources), answer)
        if answer and key in seen_answers:
            problems.append(f"duplicate_item: same source and answer as {seen_answers[key]}")
        seen_answers.setdefault(key, item.item_id)
        tokens = _tokens(item.stem)
        for other, other_id in seen_stems:
            if len(tokens & other) / max(1, len(tokens | other)) >= _NEAR_DUPLICATE:
                problems.append(f"near_duplicate_stem: the stem is nearly that of {other_id}")
                break
        seen_stems.append((tokens, item.item_id))
        results.append(CheckResult(item.item_id, tuple(problems)))
    return results


def _answer_of(item: QuizItem) -> str:
    if item.kind is ItemKind.FILL_BLANK:
        return fold_diacritics(item.answers[0]) if item.answers else ""
    if item.kind is ItemKind.TRUE_FALSE:
        return fold_diacritics(item.stem)
    if item.kind is ItemKind.MATCHING:
        return "|".join(sorted(fold_diacritics(p.right) for p in item.pairs))
    if item.correct and item.options:
        return fold_diacritics(item.options[item.correct[0]])
    return ""
