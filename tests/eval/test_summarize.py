"""Per-configuration metrics from per-question rows: retrieval, answers, and abstention calibrated per language."""

from __future__ import annotations

from typing import Any

from eval import metrics as m
from eval.runner import summarize


def row(qid: str, *, language: str = "vi", answerable: bool = True, evidence: float = 0.9, **changes: Any) -> dict:
    gold = ["qd-30"] if answerable else []
    values: dict[str, Any] = {
        "qid": qid, "categories": ["english"] if language == "en" else ["direct"], "language": language,
        "gold": gold, "gold_chunks": [], "retrieved": ["qd-30", "qd-12"], "retrieved_chunks": ["qd-30:dieu-2"],
        "abstained": evidence < 0.5, "evidence": evidence, "cited": ["qd-30"] if evidence >= 0.5 else [],
        "answer": "Theo các văn bản:\n- Văn bản khẩn: 2 giờ. [1]", "gold_answer": "2 giờ" if answerable else "",
        "answerable": answerable, "latency_ms": 30.0, "retrieve_ms": 25.0, "compose_ms": 5.0,
    }  # fmt: skip
    values.update(changes)
    if gold:
        values["scores"] = m.retrieval_scores(values["retrieved"], gold, (1, 3, 5, 10))
    return values


def test_english_questions_get_their_own_calibration() -> None:
    rows = [row(f"vi-{i}", evidence=0.6 + i / 100) for i in range(10)] + [row("vi-x", answerable=False, evidence=0.3)]
    rows += [row(f"en-{i}", language="en", evidence=0.2 + i / 20) for i in range(10)]
    rows += [row("en-x", language="en", answerable=False, evidence=0.1)]
    out = summarize(rows)
    assert out["calibration"]["threshold"] > 0.5 > out["calibration_en"]["threshold"]  # each from its own rows
    assert out["calibration_en"]["false_abstain_rate"] <= 0.1 and out["calibration_en"]["abstain_recall"] == 1.0
    assert out["recall@1"] == 1.0 and out["answer_figure_recall"] == 1.0


def test_no_english_rows_no_english_calibration() -> None:
    out = summarize([row("a"), row("b", answerable=False, evidence=0.2)])
    assert out["calibration"]["abstain_recall"] == 1.0 and "calibration_en" not in out
