"""Charts drawn once on the server as SVG: the same markup serves pages and printed PDFs.

No JavaScript and no chart library: an office's old browser and WeasyPrint both render plain SVG.
Every chart has a <title> and its numbers as text, so screen readers and printouts carry them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from kinerja.lib.language import lang
from kinerja_core.numbers import format_decimal

BarItem = tuple[str, Decimal | int | None, str | None]
Series = tuple[str, dict[int, Decimal | None], str, bool]

FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"'
PALETTE = ["#0b5394", "#c2410c", "#1a7f37", "#7c3aed", "#b7791f", "#0e7490"]
INK, MUTED, GRID = "#1d2433", "#4b5563", "#d6dae1"


def _fmt(value: Decimal | int, decimals: int = 2) -> str:
    return format_decimal(Decimal(value), decimals, lang())


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


def _open(width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" class="chart" style="max-width:{width}px;height:auto" {FONT} font-size="12">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]


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

    ``bands`` draws labelled reference lines (a target, a grade edge) across the bars.
    """
    label_w, value_w, bar_w, bar_h = 180, 70, 290, 18
    width = label_w + bar_w + value_w
    lines = [_wrap(label, 24) for label, _v, _c in items]
    # Rows grow only when some label needs a second line ("Penanganan Pengaduan, Saran …").
    row_h = 40 if any(len(x) > 1 for x in lines) else 28
    # Band labels alternate between two lines so close edges (C 65 / B 76,61) never overlap.
    band_lines = min(len(bands or ()), 2)
    height = 12 + row_h * max(len(items), 1) + 16 * band_lines
    values = [Decimal(v) for _l, v, _c in items if v is not None]
    top = (
        Decimal(max_value) if max_value is not None else _nice_max(max(values, default=Decimal(0)))
    )
    desc = "; ".join(
        f"{label}: {'–' if v is None else _fmt(v, decimals) + unit}" for label, v, _c in items
    )
    out = _open(width, height, title or desc, desc)
    for i, (_label, value, colour) in enumerate(items):
        y = 8 + i * row_h
        middle = y + row_h / 2
        first = middle + 4 - 7.5 * (len(lines[i]) - 1)
        spans = "".join(
            f'<tspan x="{label_w - 8}" y="{first + 15 * k:.1f}">{escape(text)}</tspan>'
            for k, text in enumerate(lines[i])
        )
        out.append(f'<text text-anchor="end" fill="{INK}">{spans}</text>')
        bar_y = middle - bar_h / 2
        out.append(
            f'<rect x="{label_w}" y="{bar_y:.1f}" width="{bar_w}" height="{bar_h}" fill="#eef1f5"/>'
        )
        if value is None:
            out.append(f'<text x="{label_w + 6}" y="{middle + 4:.1f}" fill="{MUTED}">–</text>')
            continue
        share = max(Decimal(0), min(Decimal(1), Decimal(value) / top)) if top else Decimal(0)
        w = float(share * bar_w)
        out.append(
            f'<rect x="{label_w}" y="{bar_y:.1f}" width="{w:.1f}" height="{bar_h}" fill="{escape(colour or PALETTE[0])}"/>'
        )
        out.append(
            f'<text x="{label_w + bar_w + 6}" y="{middle + 4:.1f}" fill="{INK}">{_fmt(value, decimals)}{escape(unit)}</text>'
        )
    for k, (threshold, band_label) in enumerate(bands or ()):
        if not top:
            continue
        x = label_w + float(min(Decimal(1), Decimal(threshold) / top) * bar_w)
        bottom = 8 + row_h * len(items)
        out.append(
            f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{bottom}" stroke="{INK}" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{bottom + 13 + 15 * (k % 2)}" text-anchor="middle" fill="{MUTED}" font-size="11">{escape(band_label)} {_fmt(threshold, decimals)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def trend_chart(
    years: Sequence[int],
    series: Sequence[Series],
    *,
    title: str = "",
    unit: str = "",
    decimals: int = 2,
) -> str:
    """Lines over the years: each series is (name, {year: value or None}, colour, dashed).

    A target is usually drawn dashed and the realisation solid; a missing year breaks the line.
    """
    # Narrow enough that text stays legible when a phone shrinks the chart to its column.
    width, height = 460, 240
    left, right, top_pad, bottom = 56, 16, 16, 56
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    values = [v for _n, points, _c, _d in series for v in points.values() if v is not None]
    y_min, y_max, step = _axis(min(values, default=Decimal(0)), max(values, default=Decimal(1)))
    span = y_max - y_min

    def x_of(i: int) -> float:
        return left + (plot_w * (i + 0.5) / max(len(years), 1))

    def y_of(v: Decimal) -> float:
        return top_pad + float((y_max - v) / span) * plot_h

    desc = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{y} {'–' if (p := points.get(y)) is None else _fmt(p, decimals)}" for y in years
        )
        for name, points, _c, _d in series
    )
    out = _open(width, height, title or desc, desc)
    ticks = int(span / step)
    for k in range(ticks + 1):
        v = y_min + step * k
        y = y_of(v)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}" font-size="11">{_fmt(v, 0 if step == step.to_integral_value() else 1)}{escape(unit)}</text>'
        )
    for i, year in enumerate(years):
        out.append(
            f'<text x="{x_of(i):.1f}" y="{height - bottom + 18}" text-anchor="middle" fill="{INK}">{year}</text>'
        )
    for s, (name, points, colour, dashed) in enumerate(series):
        colour = colour or PALETTE[s % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        segment: list[str] = []
        segments: list[list[str]] = [segment]
        for i, year in enumerate(years):
            point = points.get(year)
            if point is None:
                segment = []
                segments.append(segment)
                continue
            v = point
            segment.append(f"{x_of(i):.1f},{y_of(v):.1f}")
            out.append(
                f'<circle cx="{x_of(i):.1f}" cy="{y_of(v):.1f}" r="{3 if dashed else 4}" fill="{escape(colour)}"/>'
            )
            if not dashed:
                out.append(
                    f'<text x="{x_of(i):.1f}" y="{y_of(v) - 8:.1f}" text-anchor="middle" fill="{INK}" font-size="11">{_fmt(v, decimals)}</text>'
                )
        for seg in segments:
            if len(seg) > 1:
                out.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{escape(colour)}" stroke-width="2.5"{dash}/>'
                )
        lx = left + s * 170
        ly = height - 14
        out.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 24}" y2="{ly - 4}" stroke="{escape(colour)}" stroke-width="2.5"{dash}/>'
        )
        out.append(f'<text x="{lx + 30}" y="{ly}" fill="{INK}">{escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)


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


def _wrap(label: str, width: int) -> list[str]:
    """At most two lines of about ``width`` characters, broken between words; the rest elided."""
    words = label.split()
    line_one = ""
    while words and len(f"{line_one} {words[0]}".strip()) <= width:
        line_one = f"{line_one} {words.pop(0)}".strip()
    if not line_one:  # one very long word
        return [label if len(label) <= width else label[: width - 1] + "…"]
    rest = " ".join(words)
    if not rest:
        return [line_one]
    return [line_one, rest if len(rest) <= width else rest[: width - 1] + "…"]
