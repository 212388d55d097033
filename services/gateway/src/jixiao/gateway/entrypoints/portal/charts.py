"""Charts as inline SVG, drawn on the server: nothing is fetched, nothing
needs JavaScript, and each chart carries a <title> and <desc> for screen
readers (role="img"). Sizes are in viewBox units; CSS scales the chart to
the page's width, so it reads on a phone."""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from markupsafe import Markup, escape

_ids = itertools.count(1)


def nice_step(raw: float) -> float:
    """The smallest "round" multiple of 10^k (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8) that is at least `raw` (at least 2.5): tick spacing."""
    raw = max(raw, 2.5)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= raw - 1e-9)


def _fmt(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


def _open(kind: str, width: int, height: int, title: str, desc: str) -> tuple[list[str], str]:
    chart_id = f"chart-{next(_ids)}"
    parts = [
        f'<svg class="chart {kind}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    return parts, chart_id


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    css: str = ""
    note: str = ""  # text for the bar's own <title>
    text: str = ""  # shown instead of a bar and a value (a dimension not assessed in the period)


def grade_distribution(bars: list[Bar], title: str, desc: str) -> Markup:
    """Vertical bars, one per grade that has a count; the count above each bar."""
    width, height, top, bottom, left, right = 360, 210, 24, 36, 12, 12
    parts, _ = _open("grade-chart", width, height, title, desc)
    plot_h = height - top - bottom
    biggest = max((b.value for b in bars), default=0) or 1
    slot = (width - left - right) / max(len(bars), 1)
    bar_w = min(slot * 0.6, 80)
    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}"/>')
    for i, bar in enumerate(bars):
        h = max(plot_h * bar.value / biggest, 1 if bar.value else 0)
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h - h
        cx = x + bar_w / 2
        parts.append(f'<g class="bar-group">'
                     f'<rect class="bar {escape(bar.css)}" x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" height="{_fmt(h)}">'
                     f'<title>{escape(bar.note or f"{bar.label}: {bar.value:g}")}</title></rect>'
                     f'<text class="value" x="{_fmt(cx)}" y="{_fmt(y - 6)}" text-anchor="middle">{bar.value:g}</text>'
                     f'<text class="label" x="{_fmt(cx)}" y="{height - bottom + 20}" text-anchor="middle">{escape(bar.label)}</text>'
                     f'</g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def dimension_bars(bars: list[Bar], title: str, desc: str, maximum: float = 100.0) -> Markup:
    """Horizontal bars, one per dimension, its name above it: weighted dimensions
    out of `maximum`; an additive one (bonus and deductions, a few points
    either way) is drawn from a middle line, green for plus and red for minus.
    A dimension not assessed in the period (css "not-assessed") gets no bar and no
    value, only its `text` on an outlined track: its 0 is not a score."""
    row, value_w, pad, bar_h = 46, 56, 4, 14
    width = 360
    height = pad * 2 + row * max(len(bars), 1)
    parts, _ = _open("dimension-chart", width, height, title, desc)
    track = width - value_w
    for i, bar in enumerate(bars):
        y = pad + row * i
        bar_y = y + 22
        parts.append(f'<text class="label" x="0" y="{y + 15}">{escape(bar.label)}</text>')
        if "not-assessed" in bar.css:
            parts.append(f'<g class="not-assessed"><rect class="track" x="0.5" y="{bar_y + 0.5}" width="{track - 1}" '
                         f'height="{bar_h - 1}"><title>{escape(bar.note or f"{bar.label}: {bar.text}")}</title></rect>'
                         f'<text class="absent" x="8" y="{bar_y + bar_h - 3}">{escape(bar.text)}</text>'
                         f'<text class="value" x="{width}" y="{bar_y + bar_h - 2}" text-anchor="end">—</text></g>')
            continue
        parts.append(f'<rect class="track" x="0" y="{bar_y}" width="{track}" height="{bar_h}"/>')
        if "additive" in bar.css:
            middle = track / 2
            length = min(abs(bar.value) / 10.0, 1.0) * track / 2
            x = middle if bar.value >= 0 else middle - length
            sign = "plus" if bar.value >= 0 else "minus"
            parts.append(f'<line class="axis" x1="{_fmt(middle)}" y1="{bar_y - 3}" x2="{_fmt(middle)}" y2="{bar_y + bar_h + 3}"/>')
            shown = f"{bar.value:+.2f}"
        else:
            length = max(0.0, min(bar.value / maximum, 1.0)) * track
            x = 0.0
            sign = ""
            shown = _fmt(bar.value)
        parts.append(f'<rect class="bar {escape(bar.css)} {sign}" x="{_fmt(x)}" y="{bar_y}" width="{_fmt(length)}" '
                     f'height="{bar_h}"><title>{escape(bar.note or f"{bar.label}: {shown}")}</title></rect>')
        parts.append(f'<text class="value" x="{width}" y="{bar_y + bar_h - 2}" text-anchor="end">{shown}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    css: str


def trend_lines(labels: list[str], series: list[Series], title: str, desc: str) -> Markup:
    """A line per series over the labels (quarters), points marked, legend below."""
    width, height, top, left, right = 360, 240, 16, 40, 16
    legend_h, axis_h = 24 * math.ceil(len(series) / 2), 26
    plot_h = height - top - axis_h - legend_h
    parts, _ = _open("trend-chart", width, height, title, desc)
    known = [v for s in series for v in s.values if v is not None]
    step_value = nice_step(max(known, default=0) / 4)
    ceiling = step_value * 4
    plot_w = width - left - right
    step = plot_w / max(len(labels) - 1, 1)

    def x_at(i: int) -> float:
        return left + (step * i if len(labels) > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return top + plot_h - plot_h * v / ceiling

    for tick in range(0, 5):
        value = ceiling * tick / 4
        y = y_at(value)
        parts.append(f'<line class="grid" x1="{left}" y1="{_fmt(y)}" x2="{width - right}" y2="{_fmt(y)}"/>'
                     f'<text class="tick" x="{left - 6}" y="{_fmt(y + 4)}" text-anchor="end">{value:g}</text>')
    for i, label in enumerate(labels):
        parts.append(f'<text class="label" x="{_fmt(x_at(i))}" y="{top + plot_h + 18}" text-anchor="middle">{escape(label)}</text>')
    for s in series:
        points = [(x_at(i), y_at(v), v, labels[i]) for i, v in enumerate(s.values) if v is not None]
        parts.append(f'<g class="series {escape(s.css)}">')
        if len(points) > 1:
            path = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y, _, _ in points)
            parts.append(f'<polyline class="line" points="{path}"/>')
        for x, y, v, label in points:
            parts.append(f'<circle class="point" cx="{_fmt(x)}" cy="{_fmt(y)}" r="4">'
                         f'<title>{escape(s.name)} {escape(label)}: {_fmt(v)}</title></circle>')
        parts.append("</g>")
    legend_top = top + plot_h + axis_h + 6
    for i, s in enumerate(series):
        lx = left + (i % 2) * (plot_w / 2)
        ly = legend_top + 24 * (i // 2)
        parts.append(f'<g class="legend series {escape(s.css)}"><line class="line" x1="{_fmt(lx)}" y1="{ly + 6}" '
                     f'x2="{_fmt(lx + 22)}" y2="{ly + 6}"/><circle class="point" cx="{_fmt(lx + 11)}" cy="{ly + 6}" r="3"/>'
                     f'<text class="label" x="{_fmt(lx + 28)}" y="{ly + 10}">{escape(s.name)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def progress_bullet(actual_share: float, expected_share: float, warning: bool, title: str) -> Markup:
    """A small bar: the share done, with a mark at the share due by the check date."""
    width, height, scale = 120, 18, 1.2  # 0–120 %
    done = max(0.0, min(actual_share / scale, 1.0)) * width
    due = max(0.0, min(expected_share / scale, 1.0)) * width
    css = "warning" if warning else "ok"
    return Markup(
        f'<svg class="chart bullet" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<rect class="track" x="0" y="4" width="{width}" height="10"/>'
        f'<rect class="bar {css}" x="0" y="4" width="{_fmt(done)}" height="10"/>'
        f'<line class="due" x1="{_fmt(due)}" y1="1" x2="{_fmt(due)}" y2="17"/></svg>'
    )
