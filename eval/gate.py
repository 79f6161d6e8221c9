"""The CI quality gate: compare a run's metrics with minimum (or maximum) thresholds.

Thresholds file (JSON): ``{"<config>": {"<metric>": min_value}}``. A metric where lower is better (a latency)
takes ``{"max": value}`` instead; ``{"min": a, "max": b}`` sets both bounds.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Any, TypeGuard

from assistant.errors import ConfigurationError

logger = logging.getLogger(__name__)

Thresholds = dict[str, dict[str, dict[str, float]]]  # config → metric → {"min"/"max": value}


def load_thresholds(path: Path) -> Thresholds:
    """Read and validate a thresholds file; :class:`ConfigurationError` names the file and the bad entry."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: thresholds file not found") from None
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"{path} line {exc.lineno}: invalid JSON ({exc.msg})") from None
    return normalize_thresholds(raw, source=str(path))


def normalize_thresholds(raw: Any, *, source: str = "thresholds") -> Thresholds:
    """Bring plain numbers to ``{"min": value}`` and check every bound is a finite number."""
    if not isinstance(raw, dict):
        raise ConfigurationError(f"{source}: expected an object {{config: {{metric: min_value}}}}")
    result: Thresholds = {}
    for config, per_metric in raw.items():
        if not isinstance(per_metric, dict):
            raise ConfigurationError(f"{source}: '{config}' must map metric names to thresholds")
        result[config] = {}
        for metric, bound in per_metric.items():
            bounds = {"min": bound} if _is_number(bound) else bound
            if (
                not isinstance(bounds, dict)
                or not bounds
                or set(bounds) - {"min", "max"}
                or not all(_is_number(v) for v in bounds.values())
            ):
                raise ConfigurationError(
                    f"{source}: '{config}' → '{metric}' must be a number (minimum) or "
                    f'{{"min": number, "max": number}}, got {json.dumps(bound)}'
                )
            result[config][metric] = {k: float(v) for k, v in bounds.items()}
    return result


def check_thresholds(metrics: dict[str, Any], thresholds: dict[str, Any]) -> list[str]:
    """Human-readable failures, e.g. "hybrid recall@5 = 0.812 < threshold 0.850 (−0.038)"; [] when all pass.

    A configuration or metric named in the thresholds but absent from ``metrics`` is a failure.
    """
    failures: list[str] = []
    for config, per_metric in normalize_thresholds(thresholds).items():
        values = metrics.get(config)
        if not isinstance(values, dict):
            failures.append(f"{config}: configuration missing from the run (the thresholds expect it)")
            continue
        for metric, bounds in per_metric.items():
            value = values.get(metric)
            if not _is_number(value):
                failures.append(f"{config} {metric}: missing from the run's metrics (the thresholds expect it)")
                continue
            value = float(value)
            if "min" in bounds and value < bounds["min"]:
                failures.append(
                    f"{config} {metric} = {_fmt(metric, value)} < threshold {_fmt(metric, bounds['min'])} "
                    f"({_signed(metric, value - bounds['min'])})"
                )
            if "max" in bounds and value > bounds["max"]:
                failures.append(
                    f"{config} {metric} = {_fmt(metric, value)} > threshold {_fmt(metric, bounds['max'])} "
                    f"({_signed(metric, value - bounds['max'])})"
                )
    for failure in failures:
        logger.info("Gate failure: %s", failure)
    return failures


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _fmt(metric: str, value: float) -> str:
    return f"{value:.1f}" if metric.endswith("_ms") else f"{value:.3f}"


def _signed(metric: str, delta: float) -> str:
    text = _fmt(metric, abs(delta))
    return f"−{text}" if delta < 0 else f"+{text}"
