"""The CI gate's threshold checks and its messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import ConfigurationError
from eval.gate import check_thresholds, load_thresholds


def test_failure_message_names_config_metric_value_and_gap() -> None:
    failures = check_thresholds({"hybrid": {"recall@5": 0.812}}, {"hybrid": {"recall@5": 0.85}})
    assert failures == ["hybrid recall@5 = 0.812 < threshold 0.850 (−0.038)"]


def test_passing_metrics_give_no_failures() -> None:
    metrics = {"hybrid": {"recall@5": 0.9, "mrr@10": 0.8}, "bm25": {"recall@5": 0.7}}
    assert check_thresholds(metrics, {"hybrid": {"recall@5": 0.85, "mrr@10": 0.8}}) == []


def test_missing_config_or_metric_fails() -> None:
    failures = check_thresholds({"hybrid": {"recall@5": 0.9}}, {"dense": {"recall@5": 0.5}, "hybrid": {"ndcg@10": 0.5}})
    assert failures == [
        "dense: configuration missing from the run (the thresholds expect it)",
        "hybrid ndcg@10: missing from the run's metrics (the thresholds expect it)",
    ]


def test_maximum_bound_for_latency() -> None:
    failures = check_thresholds({"hybrid": {"p95_ms": 620.0}}, {"hybrid": {"p95_ms": {"max": 500}}})
    assert failures == ["hybrid p95_ms = 620.0 > threshold 500.0 (+120.0)"]


def test_load_thresholds_file(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps({"hybrid": {"recall@5": 0.85, "p95_ms": {"max": 500}}}), encoding="utf-8")
    assert load_thresholds(path) == {"hybrid": {"recall@5": {"min": 0.85}, "p95_ms": {"max": 500.0}}}


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{not json", "line 1: invalid JSON"),
        ('{"hybrid": 0.8}', "'hybrid' must map metric names"),
        ('{"hybrid": {"recall@5": "high"}}', "'hybrid' → 'recall@5' must be a number"),
        ('{"hybrid": {"recall@5": {"least": 1}}}', "'hybrid' → 'recall@5' must be a number"),
    ],
)
def test_malformed_thresholds_file(tmp_path: Path, content: str, match: str) -> None:
    path = tmp_path / "thresholds.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=match) as err:
        load_thresholds(path)
    assert "thresholds.json" in str(err.value)
