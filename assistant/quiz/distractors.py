"""Wrong options for an item: facts of the same kind from other clauses of the pool, comparable to the answer
(days with days, money with money, a person with a person), never equal to it and never stated in its clause."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from assistant.quiz.facts import fact_key, find_values, unit_of
from assistant.quiz.model import Difficulty, Fact, FactKind
from assistant.text.normalize import fold_diacritics

__all__ = ["clause_id", "comparable", "pick_distractors", "stated_in"]

_UNIT_FAMILY = {
    "ngay lam viec": "day",
    "ngay": "day",
    "gio": "hour",
    "gio lam viec": "hour",
    "phut": "hour",
    "thang": "long",
    "nam": "long",
    "tuan": "long",
}


_LEVEL = re.compile(r"\s*\b(?:cap )?(?:tinh|huyen|xa|phuong|thanh pho)\b.*$")


def _level_free(key: str) -> str:
    """An agency's key without its level or place: "ubnd cap huyen" and "ubnd cap xa" are both "ubnd"."""
    return _LEVEL.sub("", key)


_ONE_STOP = re.compile(r"\b(?:trung tam phuc vu hanh chinh cong|bo phan mot cua|bo phan tiep nhan va tra ket qua)\b")


_GENERIC_HEAD = re.compile(r"^(?:thu truong|nguoi dung dau|lanh dao) (?:cac )?(?:co quan|don vi)\b")


def _one_stop(key: str) -> bool:
    """Whether an agency key names the one-stop office, under any of its names."""
    return bool(_ONE_STOP.search(key))


def clause_id(fact: Fact) -> tuple[str, str]:
    """The clause a fact is stated in: its chunk and citation path."""
    return fact.source.chunk_id, fact.source.path


def stated_in(kind: FactKind, value: str, clause_text: str) -> bool:
    """Whether ``clause_text`` states ``value`` (as written, or any spelling with the same key)."""
    if fold_diacritics(value) in fold_diacritics(clause_text):
        return True
    key = fact_key(kind, value)
    return any(k is kind and fact_key(k, v) == key for k, v in find_values(clause_text))


def _overlaps(a: str, b: str) -> bool:
    """Keys that name one thing twice: equal, or one's words inside the other's ("văn thư" / "văn thư cơ quan")."""
    wa, wb = a.split(), b.split()
    if a == b:
        return True
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def comparable(answer: Fact, candidate: Fact) -> int:
    """How close ``candidate`` is to ``answer`` as an option: 2 same unit, 1 same family, 0 not comparable."""
    if candidate.kind is not answer.kind:
        return 0
    if answer.kind is FactKind.STEP:
        return 2 if candidate.source.chunk_id == answer.source.chunk_id else 0
    unit_a, unit_c = unit_of(answer.kind, answer.value), unit_of(candidate.kind, candidate.value)
    if unit_a == unit_c:
        return 2
    if answer.kind is FactKind.DURATION and _UNIT_FAMILY.get(unit_a, unit_a) == _UNIT_FAMILY.get(unit_c, unit_c):
        return 1
    return 0


def pick_distractors(
    answer: Fact,
    pool: Sequence[Fact],
    n: int,
    rng: random.Random,
    *,
    difficulty: Difficulty = Difficulty.RECALL,
    related: frozenset[str] = frozenset(),
) -> list[Fact]:
    """Up to ``n`` distractors for ``answer`` with distinct keys: RECALL takes them from other documents,
    DISCRIMINATE from the answer's own document first, then from the ``related`` documents (same topic). Fewer
    than ``n`` when the pool has too few that fit; the caller then makes no item of that kind."""
    here = clause_id(answer)
    same_clause = {f.key for f in pool if clause_id(f) == here and f.kind is answer.kind}
    candidates: list[tuple[int, int, float, Fact]] = []
    for fact in pool:
        closeness = comparable(answer, fact)
        if closeness == 0 or clause_id(fact) == here or fact.key in same_clause:
            continue
        if any(_overlaps(fact.key, key) for key in (answer.key, *same_clause)):
            continue
        if stated_in(answer.kind, fact.value, answer.source.text):
            continue
        if answer.kind is FactKind.AGENCY and _level_free(fact.key) == _level_free(answer.key):
            continue  # the same body at another level: after a reform of levels the swap may well be true
        if answer.kind is FactKind.AGENCY and _one_stop(fact.key) and _one_stop(answer.key):
            continue  # "Bộ phận Một cửa" is the generic name of what a Trung tâm Phục vụ hành chính công is
        if answer.kind is FactKind.AGENCY and (_GENERIC_HEAD.match(fact.key) or _GENERIC_HEAD.match(answer.key)):
            continue  # "Thủ trưởng cơ quan" may name the very head the answer names
        same_doc = fact.source.doc_id == answer.source.doc_id
        if difficulty is Difficulty.RECALL and same_doc:
            continue
        if difficulty is Difficulty.DISCRIMINATE and not (same_doc or fact.source.doc_id in related):
            continue
        preference = 0 if difficulty is Difficulty.RECALL or same_doc else 1
        candidates.append((preference, -closeness, rng.random(), fact))
    candidates.sort(key=lambda c: (c[1], c[0], c[2]))  # the same unit first ("giờ làm việc" with "giờ làm việc")
    chosen: list[Fact] = []
    for *_, fact in candidates:
        if all(not _overlaps(fact.key, other.key) for other in chosen):
            chosen.append(fact)
        if len(chosen) == n:
            break
    return chosen
