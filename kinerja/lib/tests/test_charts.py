from __future__ import annotations

import functools
import re
from decimal import Decimal
from xml.etree import ElementTree

from django.utils import translation
from PIL import ImageFont

from kinerja.lib.charts import bar_chart, trend_chart
from kinerja_core.numbers import format_decimal


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own markup, parsed to prove it is well formed


def test_it_draws_bars_with_values_as_text_and_escapes_labels() -> None:
    with translation.override("id"):
        svg = bar_chart(
            [("Wonoasih <b>", Decimal("42.5"), "#123456"), ("Pakistaji", None, None)],
            unit="%",
            max_value=100,
        )
    root = parse(svg)
    texts = [t.text for t in root.iter() if t.tag.endswith(("}text", "}tspan")) and t.text]
    assert "42,50%" in texts and "–" in texts and "Wonoasih <b>" in texts
    widths = [
        r.get("width")
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.get("fill") == "#123456"
    ]
    assert widths == ["159.8"]  # 42.5 % of the 376 px bar area


def test_it_breaks_a_trend_line_at_a_missing_year() -> None:
    realisation = {
        2020: Decimal("84.1"),
        2021: Decimal("86"),
        2022: None,
        2023: Decimal("88.4"),
        2024: Decimal("89"),
    }
    target: dict[int, Decimal | None] = {y: Decimal("84.6") + (y - 2020) for y in range(2020, 2025)}
    with translation.override("en"):
        svg = trend_chart(
            list(range(2020, 2025)),
            [("Realisation", realisation, "#0b5394", False), ("Target", target, "#c2410c", True)],
        )
    root = parse(svg)
    lines = [
        p for p in root.iter("{http://www.w3.org/2000/svg}polyline") if p.get("stroke") == "#0b5394"
    ]
    assert [len(p.get("points", "").split()) for p in lines] == [2, 2]
    assert "88.40" in svg and "2022" in svg


def test_it_wraps_a_long_label_onto_two_lines() -> None:
    label = "Surat Keterangan (domisili, tidak mampu, ahli waris, dll.) untuk keperluan sekolah"
    svg = bar_chart([(label, Decimal("3.1"), None)], max_value=4)
    spans = [t.text for t in parse(svg).iter("{http://www.w3.org/2000/svg}tspan")]
    assert spans == [
        "Surat Keterangan (domisili, tidak mampu, ahli waris,",
        "dll.) untuk keperluan sekolah",
    ]
    assert collisions(svg) == []


# -- label positions ------------------------------------------------------------------------
# Text boxes are measured in DejaVu Sans (the charts' first font, and the widest of the three
# they name), 0.8 em above the baseline and 0.25 em below. Checked at the font size the chart
# sets and at the larger one phones get (kinerja.css).

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]
Segment = tuple[float, float, float, float]


@functools.cache
def dejavu() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype("DejaVuSans.ttf", 100)


def text_boxes(root: ElementTree.Element, size: float | None = None) -> list[tuple[str, Box]]:
    """(text, box) of every line of text; ``size`` replaces every font size (a phone's CSS)."""
    default = float(root.get("font-size", "12"))
    found = []
    for text in root.iter(f"{SVG}text"):
        spans = list(text.iter(f"{SVG}tspan")) or [text]
        for span in spans:
            words = span.text or ""
            if not words.strip():
                continue
            em = size or float(span.get("font-size") or text.get("font-size") or default)
            x = float(span.get("x") or text.get("x") or 0)
            y = float(span.get("y") or text.get("y") or 0)
            width = dejavu().getlength(words) / 100 * em
            anchor = text.get("text-anchor", "start")
            left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            found.append((words, (left, y - 0.8 * em, left + width, y + 0.25 * em)))
    return found


def data_lines(root: ElementTree.Element) -> list[Segment]:
    """Every drawn line but the light grid behind the plot."""
    segments: list[Segment] = []
    for line in root.iter(f"{SVG}line"):
        if line.get("stroke") == "#d6dae1":
            continue
        segments.append(tuple(float(line.get(k, "0")) for k in ("x1", "y1", "x2", "y2")))  # type: ignore[arg-type]
    for polyline in root.iter(f"{SVG}polyline"):
        points = [tuple(map(float, p.split(","))) for p in polyline.get("points", "").split()]
        segments += [(*a, *b) for a, b in zip(points, points[1:], strict=False)]  # type: ignore[misc]
    return segments


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


def collisions(svg: str) -> list[str]:
    root = parse(svg)
    width = float(root.get("viewBox", "0 0 0 0").split()[2])
    problems = []
    for size in (None, 17.0):
        boxes = text_boxes(root, size)
        for text, box in boxes:
            if box[0] < 0 or box[2] > width:
                problems.append(f"{text!r} leaves the chart at {size or 'page'} size")
            for segment in data_lines(root):
                if crosses(segment, box):
                    problems.append(f"{text!r} crosses a line at {size or 'page'} size")
        for i, (text, box) in enumerate(boxes):
            for other, other_box in boxes[i + 1 :]:
                if overlaps(box, other_box):
                    problems.append(f"{text!r} overlaps {other!r} at {size or 'page'} size")
    return problems


# Dashboard trends as the demo draws them: a dip under a rising target, a dent, ranges.
TRENDS: list[tuple[dict[int, str | None], dict[int, str | None]]] = [
    (
        {2019: None, 2020: "21.03", 2021: "23.58", 2022: "30.43", 2023: "11.67", 2024: "24.24"},
        {2019: None, 2020: "20", 2021: "25", 2022: "30", 2023: "35", 2024: "40"},
    ),
    (
        {2020: "85.24", 2021: "84.94", 2022: "87.88", 2023: "87.08", 2024: "88.85"},
        {2020: "84.6", 2021: "85.6", 2022: "86.6", 2023: "87.6", 2024: "88.6"},
    ),
    (
        {2020: "22.95", 2021: "25.40", 2022: "28.36", 2023: "34.33", 2024: "35.07"},
        {2020: "20", 2021: "25", 2022: "30", 2023: "35", 2024: "40"},
    ),
    (
        {2020: "5", 2021: "95", 2022: "6", 2023: "94", 2024: "50"},
        {2020: "50", 2021: "50", 2022: "50", 2023: "50", 2024: "50"},
    ),
    (  # a kelurahan's contribution: no target line, a V down to the axis
        {2019: None, 2020: "19.05", 2021: "46.09", 2022: "37.5", 2023: "0", 2024: "23.55"},
        dict.fromkeys(range(2019, 2025)),
    ),
]


def decimals_of(points: dict[int, str | None]) -> dict[int, Decimal | None]:
    return {y: None if v is None else Decimal(v) for y, v in points.items()}


def test_it_keeps_trend_labels_off_the_lines_and_each_other() -> None:
    for realisation, target in TRENDS:
        years = sorted(realisation)
        with translation.override("id"):
            svg = trend_chart(
                years,
                [
                    ("Realisasi", decimals_of(realisation), "#0b5394", False),
                    ("Target", decimals_of(target), "#c2410c", True),
                ],
                unit="%",
            )
        assert collisions(svg) == [], realisation
        # ... and still writes every value: dropping labels would be no answer.
        labels = {t.text for t in parse(svg).iter(f"{SVG}text") if t.get("font-size") == "11"}
        shown = {format_decimal(Decimal(v), 2, "id") for v in realisation.values() if v}
        assert shown <= labels, realisation


def test_it_keeps_the_legend_of_a_range_target_inside_the_chart() -> None:
    band: dict[int, Decimal | None] = {y: Decimal(80 + y - 2020) for y in range(2020, 2025)}
    upper: dict[int, Decimal | None] = {y: Decimal(85 + y - 2020) for y in range(2020, 2025)}
    level: dict[int, Decimal | None] = dict.fromkeys(range(2020, 2025), Decimal(85))
    with translation.override("id"):
        svg = trend_chart(
            list(range(2020, 2025)),
            [
                ("Realisasi", level, "#0b5394", False),
                ("Target (batas bawah)", band, "#c2410c", True),
                ("Target (batas atas)", upper, "#c2410c", True),
            ],
        )
    assert collisions(svg) == []


def test_it_keeps_element_chart_labels_off_the_grade_lines() -> None:
    elements = [
        ("U1 Persyaratan", Decimal("89.41")),
        ("U2 Sistem, Mekanisme, dan Prosedur", Decimal("87.78")),
        ("U8 Penanganan Pengaduan, Saran dan Masukan", Decimal("64.5")),
        ("U9 Sarana dan Prasarana", Decimal("100")),
    ]
    # The regulation's grade edges, and edges close together (another method's scale).
    for bands in (
        [(Decimal("65"), "C"), (Decimal("76.61"), "B"), (Decimal("88.31"), "A")],
        [(Decimal("60"), "C"), (Decimal("62"), "B"), (Decimal("64"), "A"), (Decimal("66"), "S")],
    ):
        with translation.override("id"):
            svg = bar_chart(
                [(label, value, None) for label, value in elements], max_value=100, bands=bands
            )
        assert collisions(svg) == [], bands


def test_no_stylesheet_enlarges_chart_text_beyond_what_labels_are_placed_for() -> None:
    from pathlib import Path

    from kinerja.lib.charts import LARGEST_FONT

    root = Path(__file__).resolve().parents[2]
    sizes = [
        int(size)
        for css in root.glob("*/static/**/*.css")
        for size in re.findall(r"svg\.chart text\s*\{[^}]*font-size:\s*(\d+)px", css.read_text())
    ]
    assert sizes and max(sizes) <= LARGEST_FONT


def test_the_placer_skips_only_segments_that_cannot_cross() -> None:
    """``Placer.free`` passes over segments by their bounding box before clipping: on many
    random lines and boxes (some touching a line's end exactly, some lines flat or upright) it
    answers as clipping against every segment and overlapping every box does."""
    import random

    from kinerja.lib.charts import Placer, crosses

    def plain_free(placer: Placer, box: tuple[float, float, float, float]) -> bool:
        left, top, right, bottom = placer.bounds
        if box[0] < left or box[1] < top or box[2] > right or box[3] > bottom:
            return False
        pad = placer.pad
        padded = (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
        return not any(crosses(s, padded) for s in placer.segments) and not any(
            padded[0] < b[2] and b[0] < padded[2] and padded[1] < b[3] and b[1] < padded[3]
            for b in placer.boxes
        )

    rnd = random.Random(20261207)
    answers = {True: 0, False: 0}
    for _ in range(300):
        placer = Placer((0, 0, 460, 200))
        # Quarter pixels half of the time: a box's padded side then lies exactly on a line's end.
        grid = rnd.random() < 0.5
        ends = [
            (rnd.randint(0, 1840) / 4, rnd.randint(0, 800) / 4)
            if grid
            else (rnd.uniform(0, 460), rnd.uniform(0, 200))
            for _ in range(6)
        ]
        ends.append((ends[-1][0], rnd.uniform(0, 200)))  # upright
        ends.append((rnd.uniform(0, 460), ends[-1][1]))  # flat
        for a, b in zip(ends, ends[1:], strict=False):
            placer.add_segment((*a, *b))
        for _ in range(3):
            x, y = rnd.uniform(0, 440), rnd.uniform(0, 190)
            placer.boxes.append((x, y, x + rnd.uniform(1, 20), y + rnd.uniform(1, 10)))
        for _ in range(60):
            if rnd.random() < 0.5:  # the padded box's side on a line's end, or beside it
                x, y = rnd.choice(ends)
                x += rnd.choice([placer.pad, placer.pad + 3e-7, 0, -30])
                y += rnd.choice([placer.pad, 0, -10])
            else:
                x, y = rnd.uniform(-10, 460), rnd.uniform(-10, 200)
            box = (x, y, x + rnd.uniform(0, 60), y + rnd.uniform(0, 20))
            expected = plain_free(placer, box)
            assert placer.free(box) == expected, (placer.segments, placer.boxes, box)
            answers[expected] += 1
    assert min(answers.values()) > 1000  # both answers are common, so both were compared
