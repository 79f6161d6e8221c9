"""Choosing the abstention threshold from evidence scores of answerable and unanswerable questions."""

from __future__ import annotations

from collections.abc import Sequence


def sweep_threshold(evidence: Sequence[float], answerable: Sequence[bool]) -> dict[str, float]:
    """The threshold (abstain when evidence < t) with the best balanced accuracy, and its rates.

    Balanced accuracy = mean of (share of unanswerable questions abstained on) and (share of answerable ones
    answered), so a set with few unanswerable questions cannot win by never abstaining.
    """
    if len(evidence) != len(answerable):
        raise ValueError(f"{len(evidence)} evidence scores for {len(answerable)} labels")
    pos = [e for e, a in zip(evidence, answerable, strict=True) if not a]
    neg = [e for e, a in zip(evidence, answerable, strict=True) if a]
    if not pos or not neg:
        return {}
    values = sorted(set(evidence))
    candidates = [values[0]] + [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] + [values[-1] + 1e-6]
    best: tuple[float, float, float, float] = (-1.0, 0.0, 0.0, 0.0)
    for t in candidates:
        abstain_recall = sum(1 for e in pos if e < t) / len(pos)
        false_abstain = sum(1 for e in neg if e < t) / len(neg)
        balanced = (abstain_recall + 1 - false_abstain) / 2
        if balanced > best[0]:
            best = (balanced, t, abstain_recall, false_abstain)
    return {
        "best_threshold": round(best[1], 4),
        "balanced_accuracy": round(best[0], 4),
        "abstain_recall": round(best[2], 4),
        "false_abstain_rate": round(best[3], 4),
    }
