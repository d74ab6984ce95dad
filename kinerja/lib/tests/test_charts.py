from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

from django.utils import translation

from kinerja.lib.charts import bar_chart, trend_chart


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
    assert widths == ["123.2"]  # 42.5 % of the 290 px bar area


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
    svg = bar_chart(
        [("Penanganan Pengaduan, Saran dan Masukan", Decimal("3.1"), None)], max_value=4
    )
    spans = [t.text for t in parse(svg).iter("{http://www.w3.org/2000/svg}tspan")]
    assert spans == ["Penanganan Pengaduan,", "Saran dan Masukan"]
