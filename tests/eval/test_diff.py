"""Comparing runs and configurations: metric deltas and the questions that moved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval.diff import RunFolderError, diff_configs, diff_runs, format_diff

# first-gold rank per question in the baseline (A) and the candidate (B)
RANKS_A = {"q1": 1, "q2": 7, "q3": 3, "q4": 2, "q5": None}
RANKS_B = {"q1": None, "q2": 2, "q3": 4, "q4": 2, "q5": None}


def _row(config: str, qid: str, rank: int | None) -> dict[str, Any]:
    return {
        "config": config,
        "qid": qid,
        "question": f"Câu {qid}?",
        "gold": [f"d-{qid}"],
        "retrieved": [],
        "rank": rank,
    }


def _run(folder: Path, metrics: dict[str, Any], rows: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True)
    (folder / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    (folder / "per_question.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, Path]:
    a = _run(
        tmp_path / "a",
        {"hybrid": {"recall@5": 0.8, "p95_ms": 100.0, "n": 5}, "bm25": {"recall@5": 0.7}},
        [_row("hybrid", q, r) for q, r in RANKS_A.items()],
    )
    b = _run(
        tmp_path / "b",
        {"hybrid": {"recall@5": 0.7, "p95_ms": 90.0, "n": 5}, "dense": {"recall@5": 0.6}},
        [_row("hybrid", q, r) for q, r in RANKS_B.items()],
    )
    return a, b


def test_diff_runs_finds_regressed_questions(runs: tuple[Path, Path]) -> None:
    result = diff_runs(*runs)
    assert [c.qid for c in result.newly_missed] == ["q1"]
    assert [c.qid for c in result.newly_found] == ["q2"]
    assert [c.qid for c in result.worse] == ["q1", "q3"]
    assert [c.qid for c in result.better] == ["q2"]
    assert result.only_in_a == ("bm25",) and result.only_in_b == ("dense",)


def test_metric_deltas_are_direction_aware(runs: tuple[Path, Path]) -> None:
    result = diff_runs(*runs)
    deltas = {(d.config, d.metric): d for d in result.metric_deltas}
    recall = deltas[("hybrid", "recall@5")]
    assert recall.delta == pytest.approx(-0.1) and recall.worsened() and not recall.improved()
    latency = deltas[("hybrid", "p95_ms")]
    assert latency.improved() and not latency.worsened()  # lower latency is better
    assert not deltas[("hybrid", "n")].worsened()
    assert [d.metric for d in result.regressions()] == ["recall@5"]
    assert result.regressions(tolerance=0.2) == []


def test_format_diff_is_readable(runs: tuple[Path, Path]) -> None:
    text = format_diff(diff_runs(*runs))
    assert "recall@5" in text and "-0.100" in text and "▼" in text
    assert "1 newly missed@5, 1 newly found@5, 2 ranked worse, 1 ranked better" in text
    assert "[hybrid]  q1  1 → miss  Câu q1?" in text and "[hybrid]  q3  3 → 4  Câu q3?" in text
    assert "only in A: bm25" in text
    changed = format_diff(diff_runs(*runs), changed_only=True)
    assert " n " not in changed and "p95_ms" in changed
    only = format_diff(diff_runs(*runs), metrics={"recall@5"})
    assert "p95_ms" not in only and "recall@5" in only


def test_diff_configs_within_one_run(tmp_path: Path) -> None:
    rows = [_row("bm25", q, r) for q, r in RANKS_A.items()] + [_row("hybrid", q, r) for q, r in RANKS_B.items()]
    run = _run(tmp_path / "run", {"bm25": {"recall@5": 0.8}, "hybrid": {"recall@5": 0.7}}, rows)
    result = diff_configs(run, "bm25", "hybrid")
    assert [c.qid for c in result.newly_missed] == ["q1"]
    assert result.metric_deltas[0].config == "bm25 → hybrid"
    with pytest.raises(RunFolderError, match="no configuration 'dense'; available: bm25, hybrid"):
        diff_configs(run, "bm25", "dense")


def test_rank_is_computed_when_rows_lack_it(tmp_path: Path) -> None:
    def row(retrieved: list[str]) -> dict[str, Any]:
        return {"config": "hybrid", "qid": "q1", "question": "?", "gold": ["g"], "retrieved": retrieved}

    a = _run(tmp_path / "a", {"hybrid": {}}, [row(["g", "x"])])
    b = _run(tmp_path / "b", {"hybrid": {}}, [row(["x", "x", "y", "z", "w", "v", "g"])])
    change = diff_runs(a, b).changes[0]
    assert (change.rank_a, change.rank_b) == (1, 6)  # duplicates removed before ranking


def test_malformed_run_folders(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError, match="no metrics.json"):
        diff_runs(tmp_path, tmp_path)
    run = _run(tmp_path / "bad", {"hybrid": {}}, [])
    (run / "per_question.jsonl").write_text('{"config": "hybrid", "qid": "q1"}\n{"qid": "q2"}\n', encoding="utf-8")
    with pytest.raises(RunFolderError, match=r"per_question\.jsonl line 2: field 'config' is missing"):
        diff_runs(run, run)
