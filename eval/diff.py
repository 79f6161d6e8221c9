"""Compare two evaluation runs, or two configurations of one run: metric deltas and per-question rank changes.

A run folder holds ``metrics.json`` (``{config: {metric: value, ...}}``) and ``per_question.jsonl`` (one row per
question and configuration with ``config``, ``qid``, ``question``, ``gold``, ``retrieved`` and ``rank``, the
1-based rank of the first gold id or null when none was retrieved).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from eval import _files as fr
from eval.metrics import first_gold_rank

logger = logging.getLogger(__name__)

METRICS_FILE = "metrics.json"
ROWS_FILE = "per_question.jsonl"


class RunFolderError(AssistantError):
    """A run folder is missing files, is malformed, or lacks the configuration asked for."""


def lower_is_better(metric: str) -> bool:
    """Latencies and the false-abstention rate improve when they go down."""
    return metric.endswith("_ms") or metric == "false_abstain_rate"


def is_count(metric: str) -> bool:
    """``n`` and ``n_*`` are counts: they change, but neither improve nor worsen."""
    return metric == "n" or metric.startswith("n_")


@dataclass(frozen=True)
class MetricDelta:
    config: str
    metric: str
    a: float | None
    b: float | None

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a

    def worsened(self, tolerance: float = 0.0) -> bool:
        """True when B is worse than A by more than ``tolerance`` (direction-aware; counts never worsen)."""
        if self.delta is None or is_count(self.metric):
            return False
        return (self.delta if lower_is_better(self.metric) else -self.delta) > tolerance

    def improved(self, tolerance: float = 0.0) -> bool:
        if self.delta is None or is_count(self.metric):
            return False
        return (-self.delta if lower_is_better(self.metric) else self.delta) > tolerance


@dataclass(frozen=True)
class QuestionChange:
    """One question whose first-gold rank differs between A and B (None: no gold id retrieved)."""

    config: str
    qid: str
    question: str
    rank_a: int | None
    rank_b: int | None

    @property
    def worse(self) -> bool:
        return _depth(self.rank_b) > _depth(self.rank_a)

    @property
    def better(self) -> bool:
        return _depth(self.rank_b) < _depth(self.rank_a)

    def found_at(self, k: int) -> tuple[bool, bool]:
        """Whether a gold id was in the top ``k`` in A and in B."""
        return _depth(self.rank_a) <= k, _depth(self.rank_b) <= k


@dataclass(frozen=True)
class DiffResult:
    label_a: str
    label_b: str
    k: int
    metric_deltas: tuple[MetricDelta, ...]
    changes: tuple[QuestionChange, ...]
    only_in_a: tuple[str, ...] = ()  # configurations present in A only
    only_in_b: tuple[str, ...] = ()
    unmatched_questions: int = 0  # qids present on one side only (different question sets?)

    @property
    def worse(self) -> list[QuestionChange]:
        return [c for c in self.changes if c.worse]

    @property
    def better(self) -> list[QuestionChange]:
        return [c for c in self.changes if c.better]

    @property
    def newly_missed(self) -> list[QuestionChange]:
        """Questions with a gold id in the top k in A but not in B."""
        return [c for c in self.changes if c.found_at(self.k) == (True, False)]

    @property
    def newly_found(self) -> list[QuestionChange]:
        return [c for c in self.changes if c.found_at(self.k) == (False, True)]

    def regressions(self, tolerance: float = 0.0) -> list[MetricDelta]:
        """Quality metrics that got worse by more than ``tolerance`` (latencies excluded: machine-dependent)."""
        return [d for d in self.metric_deltas if not d.metric.endswith("_ms") and d.worsened(tolerance)]


def diff_runs(a: Path, b: Path, *, k: int = 5) -> DiffResult:
    """Compare every configuration present in both run folders ``a`` (baseline) and ``b`` (candidate)."""
    metrics_a, rows_a = load_run(a)
    metrics_b, rows_b = load_run(b)
    common = [c for c in metrics_a if c in metrics_b]
    deltas = [d for c in common for d in _metric_deltas(c, metrics_a[c], metrics_b[c])]
    changes: list[QuestionChange] = []
    unmatched = 0
    for config in common:
        found, missing = _question_changes(config, rows_a.get(config, {}), rows_b.get(config, {}))
        changes += found
        unmatched += missing
    return DiffResult(
        str(a),
        str(b),
        k,
        tuple(deltas),
        tuple(changes),
        only_in_a=tuple(c for c in metrics_a if c not in metrics_b),
        only_in_b=tuple(c for c in metrics_b if c not in metrics_a),
        unmatched_questions=unmatched,
    )


def diff_configs(run: Path, config_a: str, config_b: str, *, k: int = 5) -> DiffResult:
    """Compare configuration ``config_b`` against ``config_a`` within one run folder."""
    metrics, rows = load_run(run)
    for config in (config_a, config_b):
        if config not in metrics:
            raise RunFolderError(
                f"{run / METRICS_FILE}: no configuration '{config}'; available: {', '.join(metrics) or 'none'}"
            )
    label = f"{config_a} → {config_b}"
    found, missing = _question_changes(label, rows.get(config_a, {}), rows.get(config_b, {}))
    return DiffResult(
        f"{run}:{config_a}",
        f"{run}:{config_b}",
        k,
        tuple(_metric_deltas(label, metrics[config_a], metrics[config_b])),
        tuple(found),
        unmatched_questions=missing,
    )


def load_run(run: Path) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, dict[str, Any]]]]:
    """(metrics by configuration, per-question rows by configuration then qid) of a run folder."""
    metrics_file = run / METRICS_FILE
    if not metrics_file.is_file():
        raise RunFolderError(f"{run}: no {METRICS_FILE}; give a folder written by `assistant eval run`")
    try:
        metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RunFolderError(f"{metrics_file} line {exc.lineno}: invalid JSON ({exc.msg}); re-run the eval") from None
    if not isinstance(metrics, dict) or not all(isinstance(v, dict) for v in metrics.values()):
        raise RunFolderError(f"{metrics_file}: expected an object of configuration → metrics objects")
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    rows_file = run / ROWS_FILE
    if not rows_file.is_file():
        logger.warning("%s is missing: comparing aggregate metrics only", rows_file)
        return metrics, rows
    for line_no, obj in fr.read_jsonl(rows_file, RunFolderError):
        where = fr.Where(rows_file, line_no, RunFolderError)
        config = where.string(obj, "config")
        qid = where.string(obj, "qid", allow_int=True)
        rows.setdefault(config, {})[qid] = obj
    return metrics, rows


def format_diff(
    result: DiffResult,
    *,
    max_questions: int = 20,
    changed_only: bool = False,
    metrics: Collection[str] | None = None,
) -> str:
    """A plain-text report: a metric table (A, B, Δ, ▲ better / ▼ worse) and the questions that changed.

    ``metrics`` limits the table to those metric names; ``changed_only`` drops rows whose value did not move.
    """
    lines = [f"A: {result.label_a}", f"B: {result.label_b}", ""]
    table = [("config", "metric", "A", "B", "Δ", "")]
    for d in result.metric_deltas:
        if (changed_only and not d.delta) or (metrics is not None and d.metric not in metrics):
            continue
        mark = "▼" if d.worsened() else "▲" if d.improved() else ""
        delta = "—" if d.delta is None else _fmt(d.metric, d.delta, signed=True)
        table.append((d.config, d.metric, _fmt(d.metric, d.a), _fmt(d.metric, d.b), delta, mark))
    lines += _align(table, right=(2, 3, 4))
    for side, configs in (("A", result.only_in_a), ("B", result.only_in_b)):
        if configs:
            lines.append(f"only in {side}: {', '.join(configs)}")
    if result.unmatched_questions:
        lines.append(f"warning: {result.unmatched_questions} questions are in one run only (different question sets?)")
    k = result.k
    lines += [
        "",
        f"Per-question changes: {len(result.newly_missed)} newly missed@{k}, {len(result.newly_found)} newly "
        f"found@{k}, {len(result.worse)} ranked worse, {len(result.better)} ranked better",
    ]
    groups = (
        (f"newly missed@{k}", result.newly_missed),
        (f"newly found@{k}", result.newly_found),
        (f"ranked worse, not newly missed@{k}", [c for c in result.worse if c not in result.newly_missed]),
    )
    for name, changes in groups:
        if not changes:
            continue
        lines.append(f"  {name}:")
        rows = [
            (f"[{c.config}]", c.qid, f"{_rank(c.rank_a)} → {_rank(c.rank_b)}", _one_line(c.question, 70))
            for c in changes[:max_questions]
        ]
        lines += ["    " + line for line in _align(rows)]
        if len(changes) > max_questions:
            lines.append(f"    … and {len(changes) - max_questions} more")
    return "\n".join(lines)


def _align(rows: Sequence[Sequence[str]], right: Collection[int] = ()) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    return [
        "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def _one_line(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _metric_deltas(config: str, a: Mapping[str, Any], b: Mapping[str, Any]) -> list[MetricDelta]:
    keys = [k for k in dict.fromkeys([*a, *b]) if _num(a.get(k)) is not None or _num(b.get(k)) is not None]
    return [MetricDelta(config, k, _num(a.get(k)), _num(b.get(k))) for k in keys]


def _question_changes(
    config: str, rows_a: Mapping[str, Mapping[str, Any]], rows_b: Mapping[str, Mapping[str, Any]]
) -> tuple[list[QuestionChange], int]:
    changes = []
    for qid, row_a in rows_a.items():
        row_b = rows_b.get(qid)
        if row_b is None or not row_a.get("gold"):
            continue
        rank_a, rank_b = _row_rank(row_a), _row_rank(row_b)
        if rank_a != rank_b:
            changes.append(QuestionChange(config, qid, str(row_b.get("question", "")), rank_a, rank_b))
    unmatched = len(set(rows_a) ^ set(rows_b))
    return changes, unmatched


def _row_rank(row: Mapping[str, Any]) -> int | None:
    if "rank" in row:
        rank = row["rank"]
        return rank if isinstance(rank, int) and not isinstance(rank, bool) else None
    return first_gold_rank([str(r) for r in row.get("retrieved") or []], [str(g) for g in row.get("gold") or []])


def _depth(rank: int | None) -> float:
    return float("inf") if rank is None else float(rank)


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _rank(rank: int | None) -> str:
    return "miss" if rank is None else str(rank)


def _fmt(metric: str, value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    sign = "+" if signed else ""
    if is_count(metric):
        return f"{value:{sign}.0f}"
    return f"{value:{sign}.1f}" if metric.endswith("_ms") else f"{value:{sign}.3f}"
