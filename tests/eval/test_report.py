"""The HTML report: self-contained, escaped, with every configuration and the charts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from eval.report import render_report, write_report


def _metrics(scale: float) -> dict[str, Any]:
    values: dict[str, Any] = {f"recall@{k}": min(1.0, scale * (0.5 + 0.05 * k)) for k in range(1, 11)}
    values.update({"mrr@10": 0.6 * scale, "ndcg@10": 0.65 * scale, "n": 25, "p95_ms": 12.5})
    values["recall@5_ci"] = [0.70 * scale, 0.80 * scale]
    values["by_category"] = {"văn thư": {"recall@5": 0.9, "n": 10}, "đất đai": {"recall@5": 0.5, "n": 15}}
    return values


def _rows(config: str) -> list[dict[str, Any]]:
    rows = []
    for i in range(25):
        rank = None if i % 5 == 0 else i % 5
        rows.append(
            {
                "config": config,
                "qid": f"q{i:02d}",
                "question": f"Câu hỏi số {i}?",
                "gold": [f"doc{i}"],
                "retrieved": [f"x{j}" for j in range(6)] if rank is None else [f"doc{i}"],
                "rank": rank,
                "categories": ["văn thư"],
                "latency_ms": 5.0 + i,
            }
        )
    rows[3]["question"] = "<script>alert(1)</script> có hợp lệ?"
    rows.append({"qid": "unanswerable", "question": "Giá vàng?", "gold": [], "retrieved": ["x"], "rank": None})
    return rows


def _report(tmp_path: Path, configs: tuple[str, ...] = ("bm25", "hybrid")) -> str:
    metrics = {c: _metrics(1.0 - 0.1 * i) for i, c in enumerate(configs)}
    per_question = {c: _rows(c) for c in configs}
    out = tmp_path / "out" / "report.html"
    write_report(metrics, per_question, out, title="Đánh giá <ALQAC>", meta={"dataset": "alqac-dev", "seed": 0})
    return out.read_text(encoding="utf-8")


def test_report_contains_configs_and_charts(tmp_path: Path) -> None:
    html = _report(tmp_path)
    assert html.startswith("<!DOCTYPE html>")
    assert "bm25" in html and "hybrid" in html
    assert html.count("<svg") >= 3  # recall curve + one latency histogram per configuration
    assert "<polyline" in html and "<rect" in html
    assert "recall@5" in html and "[0.700–0.800]" in html  # confidence interval shown
    assert "văn thư" in html and "đất đai" in html  # category breakdown
    assert "Đánh giá &lt;ALQAC&gt;" in html


def test_report_escapes_question_text(tmp_path: Path) -> None:
    html = _report(tmp_path)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def test_report_is_self_contained(tmp_path: Path) -> None:
    html = _report(tmp_path)
    for external in ("<link", "src=", "@import", "url(", "href="):
        assert external not in html


def test_worst_questions_of_the_default_config(tmp_path: Path) -> None:
    html = _report(tmp_path)
    worst = html.split("câu kém nhất")[1]
    assert "hybrid" in worst.split("</h2>")[0]
    qids = re.findall(r"<tr><td>(q\d\d|unanswerable)</td>", worst)
    assert len(qids) == 20
    assert "unanswerable" not in qids  # no gold: not a retrieval failure
    assert qids[:5] == ["q00", "q05", "q10", "q15", "q20"]  # misses first
    assert worst.count('class="gold"') == 15  # the found gold id is highlighted in each ranked row


def test_default_config_falls_back_to_the_first(tmp_path: Path) -> None:
    html = _report(tmp_path, configs=("bm25", "dense"))
    assert "câu kém nhất (worst questions) — bm25" in html


def test_report_with_nothing_to_show() -> None:
    html = render_report({}, {}, title="empty", meta={})
    assert "<svg" not in html and "</html>" in html
