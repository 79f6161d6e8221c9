"""The evaluation report: one self-contained HTML file (inline CSS and SVG, no external resources).

``metrics`` maps a configuration name to its flat metrics, optionally with ``"<metric>_ci": [lo, hi]`` and
``"by_category": {category: {metric: value}}``. ``per_question`` maps a configuration name to rows carrying
``qid``, ``question``, ``gold``, ``retrieved``, ``rank`` (first gold rank or None), ``categories`` and
``latency_ms``.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from assistant.files import replacing
from eval import plots
from eval.metrics import first_gold_rank

logger = logging.getLogger(__name__)

HEADLINE = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")
DEFAULT_CONFIG = "hybrid"
WORST_N = 20
SHOWN_RETRIEVED = 5
_AT_K = re.compile(r"^(recall|precision|hit)@\d+$")

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1200px;
 padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #d6d6d6;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.best{font-weight:700}.ci{color:#666;font-size:.8em}.muted{color:#777}
.gold{color:#006d2c;font-weight:600}.miss{color:#b30000;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}figcaption{font-size:.85rem;color:#444}
svg text{font-size:11px;fill:#333}svg .grid{stroke:#e5e5e5}svg .axis{stroke:#555}
code{font-size:.85em;background:#f5f5f5;padding:0 .2em}
"""


def write_report(
    metrics: dict[str, Any],
    per_question: dict[str, list[dict[str, Any]]],
    out_path: Path,
    *,
    title: str,
    meta: dict[str, Any],
) -> None:
    """Write the HTML report to ``out_path`` (parent folders created; replaced atomically)."""
    html = render_report(metrics, per_question, title=title, meta=meta)
    with replacing(out_path) as partial:
        partial.write_text(html, encoding="utf-8")
    logger.info("Wrote evaluation report %s", out_path)


def render_report(
    metrics: Mapping[str, Any],
    per_question: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    title: str,
    meta: Mapping[str, Any],
) -> str:
    """The report as an HTML string (see :func:`write_report`)."""
    configs = list(dict.fromkeys([k for k, v in metrics.items() if isinstance(v, Mapping)] + list(per_question)))
    default = DEFAULT_CONFIG if DEFAULT_CONFIG in configs else (configs[0] if configs else None)
    body = [
        f"<h1>{escape(title)}</h1>",
        _meta_table(meta),
        "<h2>Tổng quan (summary)</h2>",
        _summary_table(metrics, configs),
        "<h2>Recall@k</h2>",
        _recall_curves(metrics, configs),
        "<h2>Các chỉ số khác (other metrics)</h2>",
        _other_metrics_table(metrics, configs),
        "<h2>Độ trễ (latency per question)</h2>",
        _latency_histograms(per_question, configs),
        "<h2>Theo chủ đề (by category)</h2>",
        _category_tables(metrics, configs),
        f"<h2>{WORST_N} câu kém nhất (worst questions) — {escape(default or '')}</h2>",
        _worst_questions(per_question.get(default, []) if default else []),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _meta_table(meta: Mapping[str, Any]) -> str:
    if not meta:
        return ""
    rows = "".join(f"<tr><th>{escape(str(k))}</th><td>{escape(_plain(v))}</td></tr>" for k, v in meta.items())
    return f"<table>{rows}</table>"


def _summary_table(metrics: Mapping[str, Any], configs: list[str]) -> str:
    cols = [m for m in HEADLINE if any(_num(_cfg(metrics, c).get(m)) is not None for c in configs)]
    if not cols:
        return '<p class="muted">Không có chỉ số truy hồi (no retrieval metrics).</p>'
    best = {m: max((_num(_cfg(metrics, c).get(m)) or -math.inf) for c in configs) for m in cols}
    head = "".join(f"<th>{escape(m)}</th>" for m in ["cấu hình (config)", *cols, "n"])
    rows = []
    for config in configs:
        values = _cfg(metrics, config)
        cells = []
        for m in cols:
            value = _num(values.get(m))
            cls = "num best" if value is not None and value == best[m] and len(configs) > 1 else "num"
            cells.append(f'<td class="{cls}">{_fmt(m, value)}{_ci(values.get(f"{m}_ci"))}</td>')
        cells.append(f'<td class="num">{_fmt("n", _num(values.get("n")))}</td>')
        rows.append(f"<tr><td>{escape(config)}</td>{''.join(cells)}</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _recall_curves(metrics: Mapping[str, Any], configs: list[str]) -> str:
    series: dict[str, list[tuple[float, float]]] = {}
    for config in configs:
        values = _cfg(metrics, config)
        points = [(float(k), v) for k in range(1, 11) if (v := _num(values.get(f"recall@{k}"))) is not None]
        if points:
            series[config] = points
    if not series:
        return '<p class="muted">Không có recall@k (no recall@k metrics).</p>'
    return f"<figure>{plots.line_chart(series, x_label='k', y_label='recall')}</figure>"


def _other_metrics_table(metrics: Mapping[str, Any], configs: list[str]) -> str:
    keys = list(
        dict.fromkeys(
            k
            for c in configs
            for k, v in _cfg(metrics, c).items()
            if k not in HEADLINE and k != "n" and _num(v) is not None
        )
    )
    if not keys:
        return '<p class="muted">—</p>'
    head = "".join(f"<th>{escape(c)}</th>" for c in configs)
    rows = []
    for key in keys:
        cells = "".join(
            f'<td class="num">{_fmt(key, _num(_cfg(metrics, c).get(key)))}{_ci(_cfg(metrics, c).get(f"{key}_ci"))}</td>'
            for c in configs
        )
        rows.append(f"<tr><th>{escape(key)}</th>{cells}</tr>")
    return f"<table><tr><th>chỉ số (metric)</th>{head}</tr>{''.join(rows)}</table>"


def _latency_histograms(per_question: Mapping[str, Sequence[Mapping[str, Any]]], configs: list[str]) -> str:
    latencies = {
        c: [v for row in per_question.get(c, []) if (v := _num(row.get("latency_ms"))) is not None] for c in configs
    }
    latencies = {c: v for c, v in latencies.items() if v}
    if not latencies:
        return '<p class="muted">Không có số liệu độ trễ (no latency_ms in the per-question rows).</p>'
    top = max(max(v) for v in latencies.values()) or 1.0
    edges = np.linspace(0.0, top, 21).tolist()
    figures = []
    for i, config in enumerate(configs):
        if config not in latencies:
            continue
        values = latencies[config]
        p50, p95 = np.percentile(values, [50, 95])
        svg = plots.histogram(values, edges, x_label="ms", fill=plots.color(i))
        caption = f"{escape(config)} — p50 {p50:.1f} ms, p95 {p95:.1f} ms, n = {len(values)}"
        figures.append(f"<figure>{svg}<figcaption>{caption}</figcaption></figure>")
    return f'<div class="charts">{"".join(figures)}</div>'


def _category_tables(metrics: Mapping[str, Any], configs: list[str]) -> str:
    parts = []
    for config in configs:
        by_category = _cfg(metrics, config).get("by_category")
        if not isinstance(by_category, Mapping) or not by_category:
            continue
        rows_in = {str(cat): vals for cat, vals in by_category.items() if isinstance(vals, Mapping)}
        keys = list(dict.fromkeys(k for vals in rows_in.values() for k, v in vals.items() if _num(v) is not None))
        # Headline retrieval metrics, then non-retrieval ones (citation, answer…); other @k variants are noise here.
        extra = [k for k in keys if k not in HEADLINE and k != "n" and not _AT_K.match(k)]
        keys = [k for k in HEADLINE if k in keys] + extra
        keys += ["n"] if any("n" in vals for vals in rows_in.values()) else []
        head = "".join(f"<th>{escape(k)}</th>" for k in keys)
        rows = "".join(
            f"<tr><td>{escape(cat)}</td>"
            + "".join(f'<td class="num">{_fmt(k, _num(vals.get(k)))}</td>' for k in keys)
            + "</tr>"
            for cat, vals in rows_in.items()
        )
        parts.append(f"<h3>{escape(config)}</h3><table><tr><th>chủ đề (category)</th>{head}</tr>{rows}</table>")
    return "".join(parts) or '<p class="muted">Không có phân tích theo chủ đề (no by_category metrics).</p>'


def _worst_questions(rows: Sequence[Mapping[str, Any]]) -> str:
    """Missed questions first, then by worsening first-gold rank; questions without gold are left out."""
    ranked: list[tuple[int | None, Mapping[str, Any]]] = []
    for row in rows:
        gold = [str(g) for g in row.get("gold") or []]
        if not gold:
            continue
        rank = row["rank"] if "rank" in row else first_gold_rank([str(r) for r in row.get("retrieved") or []], gold)
        ranked.append((rank if isinstance(rank, int) else None, row))
    if not ranked:
        return '<p class="muted">Không có câu hỏi nào có đáp án chuẩn (no questions with gold ids).</p>'
    ranked.sort(key=lambda item: (item[0] is not None, -(item[0] or 0), str(item[1].get("qid", ""))))
    out = []
    for rank, row in ranked[:WORST_N]:
        gold_set = {str(g) for g in row.get("gold") or []}
        retrieved = [str(r) for r in row.get("retrieved") or []][:SHOWN_RETRIEVED]
        shown = ", ".join(f'<span class="gold">{escape(r)}</span>' if r in gold_set else escape(r) for r in retrieved)
        rank_cell = '<span class="miss">trượt (miss)</span>' if rank is None else str(rank)
        out.append(
            f"<tr><td>{escape(str(row.get('qid', '')))}</td><td>{escape(str(row.get('question', '')))}</td>"
            f"<td>{escape(', '.join(str(c) for c in row.get('categories') or []))}</td>"
            f'<td>{escape(", ".join(sorted(gold_set)))}</td><td class="num">{rank_cell}</td><td>{shown}</td></tr>'
        )
    head = "<tr><th>qid</th><th>câu hỏi (question)</th><th>chủ đề</th><th>gold</th><th>rank</th>"
    head += f"<th>top {SHOWN_RETRIEVED} truy hồi (retrieved)</th></tr>"
    return f"<table>{head}{''.join(out)}</table>"


def _cfg(metrics: Mapping[str, Any], config: str) -> Mapping[str, Any]:
    value = metrics.get(config)
    return value if isinstance(value, Mapping) else {}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(value)


def _fmt(key: str, value: float | None) -> str:
    if value is None:
        return "—"
    if key == "n" or key.startswith("n_"):
        return f"{value:.0f}"
    return f"{value:.1f}" if key.endswith("_ms") else f"{value:.3f}"


def _ci(value: Any) -> str:
    if isinstance(value, Sequence) and len(value) == 2 and all(_num(v) is not None for v in value):
        return f' <span class="ci">[{float(value[0]):.3f}–{float(value[1]):.3f}]</span>'
    return ""


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)
