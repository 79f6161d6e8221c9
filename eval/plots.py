"""Small inline-SVG charts for the HTML report (no plotting library, no external resources)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

import numpy as np

# Okabe–Ito: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


def color(i: int) -> str:
    """The i-th series colour (cycles)."""
    return PALETTE[i % len(PALETTE)]


def line_chart(
    series: Mapping[str, Sequence[tuple[float, float]]],
    *,
    x_label: str,
    y_label: str,
    y_max: float = 1.0,
    width: int = 640,
    height: int = 320,
) -> str:
    """One line per series (name → (x, y) points) on shared axes, y from 0 to ``y_max``, with a legend."""
    left, right, top, bottom = 52, 170, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = sorted({x for points in series.values() for x, _ in points}) or [0.0, 1.0]
    x_min = xs[0]
    x_max = xs[-1] if xs[-1] > x_min else x_min + 1

    def px(x: float) -> float:
        return left + (x - x_min) / (x_max - x_min) * plot_w

    def py(y: float) -> float:
        return top + plot_h - min(max(y, 0.0), y_max) / y_max * plot_h

    parts = [_open(width, height, f"{y_label} / {x_label}")]
    for i in range(6):
        y = y_max * i / 5
        parts.append(f'<line x1="{left}" y1="{py(y):.1f}" x2="{left + plot_w}" y2="{py(y):.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:.1f}</text>')
    for x in xs:
        parts.append(f'<text x="{px(x):.1f}" y="{top + plot_h + 16}" text-anchor="middle">{x:g}</text>')
    parts.append(_axes(left, top, plot_w, plot_h))
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">{escape(x_label)}</text>')
    parts.append(
        f'<text transform="translate(14,{top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle">'
        f"{escape(y_label)}</text>"
    )
    for i, (name, points) in enumerate(series.items()):
        stroke = color(i)
        pts = sorted(points)
        coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{stroke}" stroke-width="2"/>')
        for x, y in pts:
            parts.append(
                f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{stroke}">'
                f"<title>{escape(name)}: {y_label}@{x:g} = {y:.3f}</title></circle>"
            )
        ly = top + 10 + 18 * i
        parts.append(
            f'<line x1="{left + plot_w + 14}" y1="{ly}" x2="{left + plot_w + 34}" y2="{ly}" '
            f'stroke="{stroke}" stroke-width="3"/>'
        )
        parts.append(f'<text x="{left + plot_w + 40}" y="{ly + 4}">{escape(_short(name, 18))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def histogram(
    values: Sequence[float],
    edges: Sequence[float],
    *,
    x_label: str,
    fill: str = PALETTE[0],
    width: int = 420,
    height: int = 200,
) -> str:
    """Bars counting ``values`` in the bins ``edges`` (shared edges keep several histograms comparable)."""
    left, right, top, bottom = 44, 12, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    counts, _ = np.histogram(np.asarray(values, dtype=np.float64), bins=np.asarray(edges, dtype=np.float64))
    peak = 2 * max(math.ceil((int(counts.max()) if counts.size else 0) / 2), 1)  # even: integer mid tick
    bar_w = plot_w / max(len(counts), 1)
    parts = [_open(width, height, x_label)]
    for i in range(3):
        c = peak * i / 2
        y = top + plot_h - c / peak * plot_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{c:g}</text>')
    for i, count in enumerate(counts):
        h = count / peak * plot_h
        x = left + i * bar_w
        parts.append(
            f'<rect x="{x + 0.5:.1f}" y="{top + plot_h - h:.1f}" width="{max(bar_w - 1, 0.5):.1f}" '
            f'height="{h:.1f}" fill="{fill}"><title>{edges[i]:.0f}–{edges[i + 1]:.0f}: {count}</title></rect>'
        )
    for i in (0, len(edges) // 2, len(edges) - 1):
        x = left + i * bar_w
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{edges[i]:.0f}</text>')
    parts.append(_axes(left, top, plot_w, plot_h))
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">{escape(x_label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _open(width: int, height: int, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(label)}">'
    )


def _axes(left: float, top: float, plot_w: float, plot_h: float) -> str:
    bottom = top + plot_h
    return (
        f'<line x1="{left}" y1="{bottom}" x2="{left + plot_w}" y2="{bottom}" class="axis"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" class="axis"/>'
    )


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
