"""Charts drawn once on the server as SVG: the same markup serves pages and printed PDFs.

No JavaScript and no chart library: an office's old browser and WeasyPrint both render plain SVG.
Every chart has a <title> and its numbers as text, so screen readers and printouts carry them.

Labels are placed where they cross no line and no other label, measured at the largest size
they are shown at (phones enlarge chart text, see ``LARGEST_FONT``): a smaller rendering of the
same label keeps its anchor and baseline, so it stays inside the box that was checked.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from html import escape
from typing import Literal

from django.conf import settings

from kinerja.lib.language import lang
from kinerja_core.numbers import format_decimal

BarItem = tuple[str, Decimal | int | None, str | None]
Series = tuple[str, dict[int, Decimal | None], str, bool]

FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"'
PALETTE = ["#0b5394", "#c2410c", "#1a7f37", "#7c3aed", "#b7791f", "#0e7490"]
INK, MUTED, GRID = "#1d2433", "#4b5563", "#d6dae1"
# The chart text size phones get from the stylesheets (kinerja.css, surveys/staff.css): chart
# text is laid out for it, so enlarged labels still clear the lines.
LARGEST_FONT = 17
# Glyph height above and below the baseline, in ems (DejaVu Sans: 0.76 and 0.24).
ASCENT, DESCENT = 0.8, 0.25
Anchor = Literal["start", "middle", "end"]
Box = tuple[float, float, float, float]  # left, top, right, bottom
# A segment whose bounding box lies farther than this from a box cannot cross it; the margin
# is far above the rounding of the clipping's divisions, so skipping those never changes a
# placement.
CLEAR = 1e-6
Segment = tuple[float, float, float, float]  # x1, y1, x2, y2


def _fmt(value: Decimal | int, decimals: int = 2, language: str | None = None) -> str:
    return format_decimal(Decimal(value), decimals, language or lang())


def _nice_max(value: Decimal) -> Decimal:
    """Round an axis maximum up to 1, 2, 2.5 or 5 × a power of ten, so ticks read cleanly."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    base = Decimal(10) ** exponent
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * base:
            return step * base
    return 10 * base


def _open(width: int, height: float, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" width="100%" '
        f'role="img" class="chart" style="max-width:{width}px;height:auto" {FONT} font-size="12">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]


@functools.cache
def _measure_font() -> object | None:
    """DejaVu Sans, the widest of the fonts the charts name; None where it is not installed."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype("DejaVuSans.ttf", 100)
    except OSError:
        return None


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float) -> float:
    """The text's advance width at ``size`` in DejaVu Sans (an estimate without the font).

    Kept per process: a label is measured at every spot tried for it, a dashboard draws dozens
    of charts with the same few labels, and the font's layout was most of a chart's time."""
    font = _measure_font()
    if font is None:
        return len(text) * 0.64 * size  # a digit's width, the widest of a label's usual glyphs
    return float(font.getlength(text)) / 100 * size  # type: ignore[attr-defined]


def text_box(x: float, y: float, text: str, anchor: Anchor, size: float = LARGEST_FONT) -> Box:
    """The box a line of text covers when drawn at (x, y) with ``text-anchor=anchor``."""
    width = text_width(text, size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return (left, y - ASCENT * size, left + width, y + DESCENT * size)


def crosses(segment: Segment, box: Box) -> bool:
    """Whether the segment passes through the box (Liang–Barsky clipping)."""
    x1, y1, x2, y2 = segment
    left, top, right, bottom = box
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class Placer:
    """Free space inside ``bounds`` for labels: lines and boxes already drawn are obstacles."""

    def __init__(self, bounds: Box, pad: float = 1.5) -> None:
        self.bounds = bounds
        self.pad = pad  # half a line's stroke width: a label must clear the stroke, not its axis
        self.segments: list[Segment] = []
        # Each segment's bounding box, widened by CLEAR, with the segment (see ``free``).
        self.extents: list[tuple[float, float, float, float, Segment]] = []
        self.boxes: list[Box] = []

    def add_segment(self, segment: Segment) -> None:
        x1, y1, x2, y2 = segment
        self.segments.append(segment)
        self.extents.append(
            (min(x1, x2) - CLEAR, min(y1, y2) - CLEAR, max(x1, x2) + CLEAR, max(y1, y2) + CLEAR)
            + (segment,)
        )

    def free(self, box: Box) -> bool:
        left, top, right, bottom = self.bounds
        if box[0] < left or box[1] < top or box[2] > right or box[3] > bottom:
            return False
        pad = self.pad
        padded = (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
        p_left, p_top, p_right, p_bottom = padded
        for b in self.boxes:
            if p_left < b[2] and b[0] < p_right and p_top < b[3] and b[1] < p_bottom:
                return False
        # Most segments lie wholly beside the box: their bounding box tells so without clipping.
        for s_left, s_top, s_right, s_bottom, segment in self.extents:
            if s_right < p_left or s_left > p_right or s_bottom < p_top or s_top > p_bottom:
                continue
            if crosses(segment, padded):
                return False
        return True

    def place(
        self, text: str, spots: Iterable[tuple[float, float, Anchor]]
    ) -> tuple[float, float, Anchor] | None:
        """The first spot (x, baseline y, anchor) where ``text`` is free, taken; else None."""
        for x, y, anchor in spots:
            box = text_box(x, y, text, anchor)
            if self.free(box):
                self.boxes.append(box)
                return x, y, anchor
        return None


def bar_chart(
    items: Sequence[BarItem],
    *,
    max_value: Decimal | int | None = None,
    unit: str = "",
    bands: Sequence[tuple[Decimal | int, str]] | None = None,
    title: str = "",
    decimals: int = 2,
) -> str:
    """Horizontal bars, one row per item: (label, value or None for no data, colour or None).

    Each label stands above its bar on the chart's full width, so a phone shrinking the chart
    to its column keeps it readable. ``bands`` draws labelled reference lines (a target, a grade
    edge) across the bars only, never through a label; their labels go in rows under the bars.
    """
    width, margin, value_w, bar_h = 460, 4, 76, 16
    bar_w = width - 2 * margin - value_w
    line_h = LARGEST_FONT * (ASCENT + DESCENT) + 2
    lines = [_wrap(label, width - 2 * margin, LARGEST_FONT) for label, _v, _c in items]
    values = [Decimal(v) for _l, v, _c in items if v is not None]
    top = (
        Decimal(max_value) if max_value is not None else _nice_max(max(values, default=Decimal(0)))
    )
    desc = "; ".join(
        f"{label}: {'–' if v is None else _fmt(v, decimals) + unit}" for label, v, _c in items
    )
    out: list[str] = []
    y = 6.0
    bars: list[tuple[float, float]] = []  # top and bottom of each bar, for the band lines
    for i, (_label, value, colour) in enumerate(items):
        spans = "".join(
            f'<tspan x="{margin}" y="{y + ASCENT * LARGEST_FONT + k * line_h:.1f}">'
            f"{escape(text)}</tspan>"
            for k, text in enumerate(lines[i])
        )
        out.append(f'<text fill="{INK}">{spans}</text>')
        bar_y = y + line_h * len(lines[i]) + 2
        middle = bar_y + bar_h / 2
        bars.append((bar_y, bar_y + bar_h))
        out.append(
            f'<rect x="{margin}" y="{bar_y:.1f}" width="{bar_w}" height="{bar_h}" fill="#eef1f5"/>'
        )
        text_y = middle + (ASCENT - DESCENT) * LARGEST_FONT / 2
        if value is None:
            out.append(f'<text x="{margin + 6}" y="{text_y:.1f}" fill="{MUTED}">–</text>')
        else:
            share = max(Decimal(0), min(Decimal(1), Decimal(value) / top)) if top else Decimal(0)
            out.append(
                f'<rect x="{margin}" y="{bar_y:.1f}" width="{float(share * bar_w):.1f}" '
                f'height="{bar_h}" fill="{escape(colour or PALETTE[0])}"/>'
            )
            out.append(
                f'<text x="{width - margin}" y="{text_y:.1f}" text-anchor="end" fill="{INK}">'
                f"{_fmt(value, decimals)}{escape(unit)}</text>"
            )
        y = bar_y + bar_h + 10
    # Band labels take the first row under the bars where they clear the labels before them.
    rows_used = 0
    placer = Placer((0, y, width, y + 4 * line_h), pad=2)
    for threshold, band_label in bands or ():
        if not top:
            continue
        x = margin + float(min(Decimal(1), Decimal(threshold) / top) * bar_w)
        for bar_top, bar_bottom in bars:
            out.append(
                f'<line x1="{x:.1f}" y1="{bar_top - 2:.1f}" x2="{x:.1f}" y2="{bar_bottom + 2:.1f}" '
                f'stroke="{INK}" stroke-dasharray="3 2"/>'
            )
        text = f"{band_label} {_fmt(threshold, decimals)}"
        spots: list[tuple[float, float, Anchor]] = [
            (x, y + ASCENT * LARGEST_FONT + row * line_h, "middle") for row in range(4)
        ]
        spot = placer.place(text, spots)
        if spot is None:
            continue  # no room: the line stays, its value is in the chart's description
        rows_used = max(rows_used, spots.index(spot) + 1)
        out.append(
            f'<text x="{x:.1f}" y="{spot[1]:.1f}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="11">{escape(text)}</text>'
        )
    height = y + rows_used * line_h + 4
    return "".join([*_open(width, height, title or desc, desc), *out, "</svg>"])


def trend_chart(
    years: Sequence[int],
    series: Sequence[Series],
    *,
    title: str = "",
    unit: str = "",
    decimals: int = 2,
    breaks: Sequence[int] = (),
    break_label: str = "",
) -> str:
    """Lines over the years: each series is (name, {year: value or None}, colour, dashed).

    A target is usually drawn dashed and the realisation solid; a missing year breaks the line.
    A year in ``breaks`` starts a new definition of the indicator: no line joins it to the year
    before, and a marked vertical rule labelled ``break_label`` stands between them.
    The solid series' values are written next to their points where they cross no line (above,
    below, then beside the point); a value with no free spot is left to the description.

    The SVG depends on these arguments and the language of its numbers only, so a chart is
    drawn once per process for each distinct set of them (``KINERJA_TREND_CHARTS_KEPT``, least
    recently used dropped): a dashboard draws the same dozens of charts on every view, and a changed value,
    target or title is another key, never a stale chart.
    """
    return _trend_chart(
        tuple(years),
        tuple(
            (str(name), tuple(points.items()), colour, dashed)
            for name, points, colour, dashed in series
        ),
        str(title),
        str(unit),
        decimals,
        tuple(breaks),
        str(break_label),
        lang(),
    )


@functools.lru_cache(maxsize=settings.KINERJA_TREND_CHARTS_KEPT)
def _trend_chart(
    years: tuple[int, ...],
    drawn_series: tuple[tuple[str, tuple[tuple[int, Decimal | None], ...], str, bool], ...],
    title: str,
    unit: str,
    decimals: int,
    breaks: tuple[int, ...],
    break_label: str,
    language: str,
) -> str:
    """``trend_chart`` with hashable arguments, the points as (year, value) pairs."""
    series = [(name, dict(points), colour, dashed) for name, points, colour, dashed in drawn_series]
    # Narrow enough that text stays legible when a phone shrinks the chart to its column.
    width, plot_h = 460, 168
    left, right, top_pad = 56, 16, 16
    plot_w = width - left - right
    plot_bottom = top_pad + plot_h
    values = [v for _n, points, _c, _d in series for v in points.values() if v is not None]
    y_min, y_max, step = _axis(min(values, default=Decimal(0)), max(values, default=Decimal(1)))
    span = y_max - y_min

    def x_of(i: int) -> float:
        return left + (plot_w * (i + 0.5) / max(len(years), 1))

    def y_of(v: Decimal) -> float:
        return top_pad + float((y_max - v) / span) * plot_h

    def shown(value: Decimal | None) -> str:
        return "–" if value is None else _fmt(value, decimals, language)

    desc = "; ".join(
        f"{name}: " + ", ".join(f"{y} {shown(points.get(y))}" for y in years)
        for name, points, _c, _d in series
    )
    cut = {i for i, y in enumerate(years) if y in breaks and i > 0}
    if cut:
        desc += "; " + ", ".join(f"{break_label} {years[i]}" for i in sorted(cut))
    out: list[str] = []
    ticks = int(span / step)
    for k in range(ticks + 1):
        v = y_min + step * k
        y = y_of(v)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}" font-size="11">{_fmt(v, 0 if step == step.to_integral_value() else 1, language)}{escape(unit)}</text>'
        )
    year_y = plot_bottom + 18
    # Many years (a chain of plans) would run their labels together at a phone's text size:
    # then every second (or third) year is labelled, counted back from the last.
    every = math.ceil((text_width("0000", LARGEST_FONT) + 4) * max(len(years), 1) / plot_w)
    for i, year in enumerate(years):
        if (len(years) - 1 - i) % every:
            continue
        out.append(
            f'<text x="{x_of(i):.1f}" y="{year_y}" text-anchor="middle" fill="{INK}">{year}</text>'
        )
    # Values may use the plot and the margin above it, never the axis labels around it.
    placer = Placer((left - 4, 0, width, year_y - ASCENT * LARGEST_FONT - 1))
    for i in sorted(cut):
        x = (x_of(i - 1) + x_of(i)) / 2
        out.append(
            f'<line class="series-break" x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" '
            f'y2="{plot_bottom}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="2 3"/>'
        )
        out.append(
            f'<text x="{x + 3:.1f}" y="{top_pad + 10}" fill="{INK}" font-size="11">'
            f"‖ {escape(break_label)}</text>"
        )
        placer.boxes.append(text_box(x + 3, top_pad + 10, f"‖ {break_label}", "start", 11))
        placer.add_segment((x, top_pad, x, plot_bottom))
    points_of: list[list[tuple[float, float, Decimal] | None]] = []
    for s, (_name, points, colour, dashed) in enumerate(series):
        colour = colour or PALETTE[s % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        radius = 3 if dashed else 4
        drawn: list[tuple[float, float, Decimal] | None] = []
        for i, year in enumerate(years):
            point = points.get(year)
            drawn.append(None if point is None else (x_of(i), y_of(point), point))
        points_of.append(drawn)
        # A break of definition cuts the line as a missing year does.
        joined: list[tuple[float, float, Decimal] | None] = []
        for i, dot in enumerate(drawn):
            if i in cut:
                joined.append(None)
            joined.append(dot)
        for a, b in zip(joined, joined[1:], strict=False):
            if a is not None and b is not None:
                placer.add_segment((a[0], a[1], b[0], b[1]))
        for segment in _runs(joined):
            out.append(
                f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in segment)}" '
                f'fill="none" stroke="{escape(colour)}" stroke-width="2.5"{dash}/>'
            )
        for dot in drawn:
            if dot is not None:
                cx, cy, _value = dot
                placer.boxes.append((cx - radius, cy - radius, cx + radius, cy + radius))
                out.append(
                    f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}" fill="{escape(colour)}"/>'
                )
    for (_name, _points, _colour, dashed), labelled in zip(series, points_of, strict=True):
        if dashed:
            continue
        for dot in labelled:
            if dot is None:
                continue
            cx, cy, value = dot
            text = _fmt(value, decimals, language)
            spot = placer.place(text, _spots_around(cx, cy, 4))
            if spot is not None:
                out.append(
                    f'<text x="{spot[0]:.1f}" y="{spot[1]:.1f}" text-anchor="{spot[2]}" '
                    f'fill="{INK}" font-size="11">{text}</text>'
                )
    legend, legend_rows = _legend(series, left, year_y + 6 + LARGEST_FONT, width - right)
    out += legend
    height = year_y + 12 + legend_rows * (LARGEST_FONT + 6)
    return "".join([*_open(width, height, title or desc, desc), *out, "</svg>"])


def _runs(
    drawn: Sequence[tuple[float, float, Decimal] | None],
) -> list[list[tuple[float, float]]]:
    """The unbroken stretches of a line (a missing year breaks it) of two points or more."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in drawn:
        if point is None:
            runs.append([])
        else:
            runs[-1].append((point[0], point[1]))
    return [run for run in runs if len(run) > 1]


def _spots_around(x: float, y: float, radius: float) -> Iterator[tuple[float, float, Anchor]]:
    """Where a point's label may go, best first: above, below, diagonals, beside, further off.

    Made one at a time: the first or second spot is usually free, and the placer stops there."""
    gap = radius + 3
    above = y - gap - DESCENT * LARGEST_FONT
    below = y + gap + ASCENT * LARGEST_FONT
    level = y + (ASCENT - DESCENT) * LARGEST_FONT / 2
    yield x, above, "middle"
    yield x, below, "middle"
    yield x + radius, above, "start"
    yield x - radius, above, "end"
    yield x + radius, below, "start"
    yield x - radius, below, "end"
    # Beside the point, level with it, then higher and lower, then further out (a point at the
    # bottom of a V, or on the axis, has room only there).
    for out in (gap, gap + 12, gap + 24):
        for shift in (0, -6, 6, -12, 12):
            yield x + out, level + shift, "start"
            yield x - out, level + shift, "end"
    yield x, above - 10, "middle"
    yield x, below + 10, "middle"


def _legend(
    series: Sequence[Series], left: float, first_baseline: float, right: float
) -> tuple[list[str], int]:
    """Legend entries flowing left to right, onto a new row when the next would not fit."""
    out: list[str] = []
    x, row = left, 0
    for s, (name, _points, colour, dashed) in enumerate(series):
        colour = colour or PALETTE[s % len(PALETTE)]
        entry = 30 + text_width(name, LARGEST_FONT)
        if x > left and x + entry > right:
            x, row = left, row + 1
        y = first_baseline + row * (LARGEST_FONT + 6)
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        out.append(
            f'<line x1="{x:.1f}" y1="{y - 5:.1f}" x2="{x + 24:.1f}" y2="{y - 5:.1f}" '
            f'stroke="{escape(colour)}" stroke-width="2.5"{dash}/>'
        )
        out.append(f'<text x="{x + 30:.1f}" y="{y:.1f}" fill="{INK}">{escape(name)}</text>')
        x += entry + 24
    return out, row + 1


def _axis(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Axis bounds and a tick step of 1, 2, 2.5 or 5 × 10^k giving four to six ticks.

    The axis starts at zero unless the values sit high above it (an index of 84–89 would be a
    flat line on a 0–100 axis)."""
    if high <= low:
        high = low + 1
    if low >= 0 and low / high < Decimal("0.6"):
        low = Decimal(0)
    step = _nice_max((high - low) / 5)
    return (
        (low / step).to_integral_value(rounding="ROUND_FLOOR") * step,
        (high / step).to_integral_value(rounding="ROUND_CEILING") * step,
        step,
    )


def _wrap(label: str, width: float, size: float) -> list[str]:
    """At most two lines no wider than ``width`` at ``size``, broken between words; the rest
    elided."""

    def fits(text: str) -> bool:
        return text_width(text, size) <= width

    def cut(text: str) -> str:
        while text and not fits(text + "…"):
            text = text[:-1]
        return text + "…"

    words = label.split()
    line_one = ""
    while words and fits(f"{line_one} {words[0]}".strip()):
        line_one = f"{line_one} {words.pop(0)}".strip()
    if not line_one:  # one very long word
        return [label if fits(label) else cut(label)]
    rest = " ".join(words)
    if not rest:
        return [line_one]
    return [line_one, rest if fits(rest) else cut(rest)]
