"""Server-rendered SVG charts: a line chart of rates over time and a bar chart of group rates with intervals.

Colours: the Okabe & Ito (2008) palette, distinguishable with every common colour-vision deficiency; each series
also has its own marker shape, so colour is never the only cue (WCAG 2.2 1.4.1). Text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
MARKERS = ("circle", "square", "diamond", "triangle")
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 48, 40, 16, 40  # RIGHT leaves room for the last label


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # shares 0–1, None: nothing to measure


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        points = f"M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z"
        return f'<path d="{points}" fill="{colour}"/>'
    return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z" fill="{colour}"/>'


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """Rates (0–100%) over the periods in `labels`; a gap where a value is None. Titled for screen readers."""
    if any(len(s.values) != len(labels) for s in series):
        raise ValueError("every series needs one value per period")
    if len(series) > len(OKABE_ITO):
        raise ValueError(f"at most {len(OKABE_ITO)} series can be told apart")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(labels) - 1) if len(labels) > 1 else 0.0

    def x(i: int) -> float:
        return LEFT + (i * step if len(labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="ks-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#b1b4b6"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="12">{int(tick * 100)}%</text>'
        )
    every = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12">'
                f"{escape(label)}</text>"
            )
    for n, s in enumerate(series):
        colour, marker = OKABE_ITO[n], MARKERS[n % len(MARKERS)]
        segment: list[str] = []
        for i, v in enumerate([*s.values, None]):
            if v is None:
                if len(segment) > 1:
                    parts.append(
                        f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                    )
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(v):.1f}")
            parts.append(_marker(marker, x(i), y(v), colour))
    parts.append("</svg>")
    return "".join(parts)


def legend(series: Sequence[Series]) -> list[dict[str, str]]:
    """What the page prints beside a chart: each series' name, colour and marker."""
    return [{"name": s.name, "colour": OKABE_ITO[n], "marker": MARKERS[n % len(MARKERS)]} for n, s in enumerate(series)]


def bar_chart(title: str, bars: Sequence[tuple[str, float | None, tuple[float, float] | None]]) -> str:
    """Horizontal bars (label, share 0–1 or None for suppressed, 95% interval) with interval whiskers."""
    row = 28
    height = TOP + BOTTOM + row * max(1, len(bars))
    label_w, plot_w = 160, WIDTH - 160 - RIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" class="ks-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        tx = label_w + plot_w * tick
        parts.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{TOP}" y2="{height - BOTTOM}" stroke="#b1b4b6"/>'
            f'<text x="{tx:.1f}" y="{height - BOTTOM + 16}" text-anchor="middle" font-size="12">'
            f"{int(tick * 100)}%</text>"
        )
    for i, (label, value, ci) in enumerate(bars):
        top = TOP + i * row
        parts.append(f'<text x="{label_w - 6}" y="{top + 18}" text-anchor="end" font-size="12">{escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{top + 18}" font-size="12">suppressed (small numbers)</text>')
            continue
        parts.append(
            f'<rect x="{label_w}" y="{top + 6}" width="{plot_w * value:.1f}" height="16" fill="{OKABE_ITO[0]}"/>'
        )
        if ci is not None:
            lo, hi = label_w + plot_w * ci[0], label_w + plot_w * ci[1]
            parts.append(
                f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{top + 14}" y2="{top + 14}" stroke="{OKABE_ITO[7]}" '
                f'stroke-width="2"/><line x1="{lo:.1f}" x2="{lo:.1f}" y1="{top + 8}" y2="{top + 20}" '
                f'stroke="{OKABE_ITO[7]}" stroke-width="2"/><line x1="{hi:.1f}" x2="{hi:.1f}" y1="{top + 8}" '
                f'y2="{top + 20}" stroke="{OKABE_ITO[7]}" stroke-width="2"/>'
            )
    parts.append("</svg>")
    return "".join(parts)
