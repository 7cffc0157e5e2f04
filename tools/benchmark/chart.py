"""A small SVG line chart (log-log axes), written by hand so the benchmark needs no plotting library."""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT = 940, 420
LEFT, RIGHT, TOP, BOTTOM = 70, 330, 40, 50
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf",
           "#bcbd22"]


def _log_scale(low: float, high: float, start: float, end: float):
    low, high = math.log10(low), math.log10(high)
    span = (high - low) or 1.0
    return lambda value: start + (math.log10(value) - low) / span * (end - start)


def _decades(low: float, high: float) -> list[float]:
    return [10.0**power for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]


def line_chart(title: str, x_label: str, y_label: str, xs: list[float], series: dict[str, list[float]],
               limits: dict[str, float] | None = None) -> str:
    """Lines over log x and log y; ``limits`` draws labelled dashed horizontal lines (targets)."""
    values = [value for line in series.values() for value in line if value > 0] + list((limits or {}).values())
    y_ticks = _decades(min(values), max(values))
    x = _log_scale(min(xs), max(xs), LEFT, WIDTH - RIGHT)
    y = _log_scale(y_ticks[0], y_ticks[-1], HEIGHT - BOTTOM, TOP)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
             f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="15">{escape(title)}</text>']
    parts += _axes(x, y, xs, y_ticks, x_label, y_label)
    for label, limit in (limits or {}).items():
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(limit):.1f}" y2="{y(limit):.1f}" '
                     'stroke="#999" stroke-dasharray="5,4"/>')
        parts.append(f'<text x="{WIDTH - RIGHT + 6}" y="{y(limit) + 4:.1f}" fill="#666">{escape(label)}</text>')
    for index, (label, line) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        points = " ".join(f"{x(a):.1f},{y(max(b, y_ticks[0])):.1f}" for a, b in zip(xs, line))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{point.split(",")[0]}" cy="{point.split(",")[1]}" r="3" fill="{colour}"/>'
                  for point in points.split()]
        legend_y = TOP + 10 + index * 18
        parts.append(f'<rect x="{WIDTH - RIGHT + 150}" y="{legend_y - 9}" width="12" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{WIDTH - RIGHT + 166}" y="{legend_y - 3}">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _axes(x, y, xs, y_ticks, x_label: str, y_label: str) -> list[str]:
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    parts = [f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="black"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="black"/>']
    for value in xs:
        parts.append(f'<line x1="{x(value):.1f}" y1="{bottom}" x2="{x(value):.1f}" y2="{bottom + 5}" stroke="black"/>')
        parts.append(f'<text x="{x(value):.1f}" y="{bottom + 18}" text-anchor="middle">{value:,.0f}</text>')
    for value in y_ticks:
        parts.append(f'<line x1="{LEFT}" x2="{right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>')
    parts.append(f'<text x="{(LEFT + right) / 2}" y="{HEIGHT - 12}" text-anchor="middle">{escape(x_label)}</text>')
    parts.append(f'<text x="16" y="{(TOP + bottom) / 2}" text-anchor="middle" '
                 f'transform="rotate(-90 16 {(TOP + bottom) / 2})">{escape(y_label)}</text>')
    return parts
