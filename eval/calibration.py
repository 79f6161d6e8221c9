"""Choosing the abstention threshold from evidence scores of answerable and unanswerable questions.

The rule (used for the shipped default): the highest threshold whose false-abstention rate on answerable
questions stays within a budget (10 % by default), i.e. abstain on as many unanswerable questions as possible
without refusing more than one answerable question in ten. Balanced accuracy is reported beside it.
"""

from __future__ import annotations

from collections.abc import Sequence


def _rates(t: float, pos: Sequence[float], neg: Sequence[float]) -> tuple[float, float]:
    abstain_recall = sum(1 for e in pos if e < t) / len(pos)
    false_abstain = sum(1 for e in neg if e < t) / len(neg)
    return abstain_recall, false_abstain


def sweep_threshold(
    evidence: Sequence[float], answerable: Sequence[bool], *, max_false_abstain: float = 0.10
) -> dict[str, float]:
    """Chosen threshold (abstain when evidence < t) under the false-abstention budget, with its rates, and the
    threshold of best balanced accuracy for comparison. Empty when one of the two classes is missing."""
    if len(evidence) != len(answerable):
        raise ValueError(f"{len(evidence)} evidence scores for {len(answerable)} labels")
    if not 0 <= max_false_abstain <= 1:
        raise ValueError(f"max_false_abstain must be within [0, 1], got {max_false_abstain}")
    pos = [e for e, a in zip(evidence, answerable, strict=True) if not a]
    neg = [e for e, a in zip(evidence, answerable, strict=True) if a]
    if not pos or not neg:
        return {}
    values = sorted(set(evidence))
    candidates = [values[0]] + [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] + [values[-1] + 1e-6]
    chosen = max((t for t in candidates if _rates(t, pos, neg)[1] <= max_false_abstain), default=values[0])
    recall, false_rate = _rates(chosen, pos, neg)
    best_balanced, best_t = max(((_rates(t, pos, neg)[0] + 1 - _rates(t, pos, neg)[1]) / 2, t) for t in candidates)
    return {
        "threshold": round(chosen, 4),
        "abstain_recall": round(recall, 4),
        "false_abstain_rate": round(false_rate, 4),
        "balanced_accuracy": round((recall + 1 - false_rate) / 2, 4),
        "max_false_abstain": max_false_abstain,
        "best_balanced_threshold": round(best_t, 4),
        "best_balanced_accuracy": round(best_balanced, 4),
    }
