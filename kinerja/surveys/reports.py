"""The SKM report for a unit and period: data for other report formats, and the IKM poster.

``survey_report_data(unit, period) -> dict`` and ``poster_pdf(unit, period) -> bytes`` are the
entry points the reports app (``skm`` report) calls; ``poster_png`` renders the PDF's page with
poppler's pdftoppm so the PNG is the same poster, not a second drawing of it. Public pages use
``public_report_data``, which reads no raw responses (see publicpages.py for their cache).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja.lib.charts import bar_chart
from kinerja.lib.models import DemoMarker
from kinerja_core.ikm import IkmResult, Tally
from kinerja_core.periods import Period

from . import publictally
from .analysis import (
    DIMENSION_LABELS,
    GRADE_COLOURS,
    MIN_GROUP,
    PeriodResult,
    breakdowns,
    grade_edges,
    period_result,
    suggestions,
)
from .models import FollowUp
from .qr import qr_svg

PNG_DPI = 110


def _ikm_dict(result: IkmResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "ikm": result.ikm,
        "ikm_rounded": result.ikm_rounded,
        "grade": result.grade.letter,
        "grade_label": result.grade.label,
        "ci95": result.ci95,
        "crosses_grade_edge": result.crosses_grade_edge,
    }


def _previous(
    period: Period, respondents: int, before: IkmResult | None, now: IkmResult | None
) -> dict[str, Any] | None:
    if before is None:
        return None
    return {
        "period": {"key": period.key, "label": period.label()},
        "respondents": respondents,
        "change": None if now is None else now.ikm - before.ikm,
        **(_ikm_dict(before) or {}),
    }


def survey_report_data(unit: OrgUnit, period: Period) -> dict[str, Any]:
    """Everything the SKM report shows, as plain values (Decimals in full precision).

    Keys: unit {code, name}, period {key, label}, method {name, label}, respondents,
    population, sample_target, ikm (None without respondents), ikm_rounded, grade,
    grade_label, ci95 (lo, hi) or None, crosses_grade_edge, elements [{code, name, total,
    nrr, ikm, grade, change}] in the regulation's order, lowest [codes, weakest first],
    previous {period, respondents, ikm, ikm_rounded, grade, ...} or None, followups
    [{element, action, owner, deadline, status, status_label}] of this period, profile
    [{label, items}] and suggestions (the latest 50): these two read raw responses.
    """
    data = _report_data(unit, period, period_result(unit, period.prev()))
    # Groups under MIN_GROUP respondents show no count: small groups identify people.
    data["profile"] = [
        {
            "label": str(DIMENSION_LABELS[name]),
            "items": [
                {
                    "label": g["label"] or "–",
                    "count": f"< {MIN_GROUP}" if g["hidden"] else g["respondents"],
                }
                for g in groups
            ],
        }
        for name, groups in breakdowns(unit, period).items()
        if groups
    ]
    data["suggestions"] = [r.suggestion for r in suggestions(unit, period)]
    return data


def public_report_data(unit: OrgUnit, period: Period) -> dict[str, Any]:
    """What the public results page and the IKM poster show: the keys of
    ``survey_report_data`` without profile and suggestions, and without the previous period
    (previous None, no element change). Read from the daily rollup, the year's service users
    and the follow-up plan only, never from raw responses: its cost does not grow with them;
    closed days' tallies come from the public pages' cache (publictally.py)."""
    return _report_data(unit, period, None, publictally.tally)


def followup_rows(unit: OrgUnit, period: Period) -> list[dict[str, Any]]:
    """The follow-up plan (RTL) of the unit and period as plain values, by element."""
    return [
        {
            "element": f.element,
            "action": f.action,
            "owner": f.owner,
            "deadline": f.deadline,
            "status": f.status,
            "status_label": str(f.get_status_display()),
        }
        for f in FollowUp.objects.filter(unit=unit, period=period.key).order_by("element", "pk")
    ]


def _report_data(
    unit: OrgUnit,
    period: Period,
    previous: PeriodResult | None,
    tally_of_span: Callable[[OrgUnit, date, date], Tally] | None = None,
) -> dict[str, Any]:
    current = period_result(unit, period, tally_of_span=tally_of_span)
    result = current.result
    before = (
        {e.code: e.ikm for e in previous.result.elements}
        if previous is not None and previous.result
        else {}
    )
    elements = [
        {
            "code": e.code,
            "name": e.name,
            "total": e.total,
            "nrr": e.nrr,
            "ikm": e.ikm,
            "grade": e.grade.letter,
            "change": (e.ikm - before[e.code]) if e.code in before else None,
        }
        for e in (result.elements if result else [])
    ]
    followups = followup_rows(unit, period)
    data: dict[str, Any] = {
        "unit": {"code": unit.code, "name": str(unit)},
        "period": {"key": period.key, "label": period.label()},
        "method": {"name": "permenpanrb-14-2017", "label": "PermenPANRB 14/2017"},
        "respondents": current.respondents,
        "population": current.population,
        "sample_target": current.sample_target,
        "elements": elements,
        "lowest": [e.code for e in result.lowest(len(elements))] if result else [],
        "previous": None
        if previous is None
        else _previous(previous.period, previous.respondents, previous.result, result),
        "followups": followups,
    }
    data.update(
        _ikm_dict(result)
        or {
            "ikm": None,
            "ikm_rounded": None,
            "grade": None,
            "grade_label": None,
            "ci95": None,
            "crosses_grade_edge": False,
        }
    )
    if result is not None:
        data["method"] = {"name": result.method.name, "label": result.method.label}
    return data


def element_chart(data: dict[str, Any], names: dict[str, Any] | None = None) -> str:
    """NRR × 25 per element as bars in the grade colours, with the grade edges drawn."""
    items = [
        (
            f"{e['code']} {names[e['code']] if names else e['name']}",
            e["ikm"],
            GRADE_COLOURS[e["grade"]],
        )
        for e in data["elements"]
    ]
    return bar_chart(
        items,
        max_value=100,
        bands=grade_edges(),
        title=_("Index per element (NRR × 25)"),
    )


def demo_data() -> bool:
    """Demo data is loaded: posters and public pages are labelled "DATA CONTOH"."""
    return settings.KINERJA_DEMO_BANNER and DemoMarker.objects.exists()


# The poster is one A4 page (docs/rules.md#ikm-poster): each step leaves out more, and the
# last shows only the first page; from the second step on it points to the full results.
POSTER_STEPS: tuple[dict[str, Any], ...] = (
    {"table": True, "followups": None},
    {"table": False, "followups": None},
    {"table": False, "followups": 3},
    {"table": False, "followups": 0},
)


def results_url(data: dict[str, Any]) -> str:
    """The public results page of the poster's unit and period ("selengkapnya")."""
    from .links import public_base

    return public_base(None) + reverse(
        "surveys_public:results", args=[data["unit"]["code"], data["period"]["key"]]
    )


def poster_html(data: dict[str, Any], demo: bool, step: int = 0) -> str:
    shape = POSTER_STEPS[step]
    followups = data.get("followups") or []
    shown = followups if shape["followups"] is None else followups[: shape["followups"]]
    more = step > 0
    url = results_url(data) if more else ""
    return render_to_string(
        "surveys/poster.html",
        {
            "data": data,
            "chart": element_chart(data) if data["elements"] else "",
            "demo_data": demo,
            "show_table": shape["table"],
            "followups": shown,
            "more_url": url,
            "more_qr": qr_svg(url, scale=3) if url.startswith("http") else "",
        },
    )


def render_poster_pdf(data: dict[str, Any], demo: bool) -> bytes:
    """The poster of ``public_report_data`` as one PDF page: about a second of WeasyPrint per
    try, and a poster that does not fit is tried again with less on it."""
    import weasyprint

    for step in range(len(POSTER_STEPS)):
        document = weasyprint.HTML(string=poster_html(data, demo, step)).render()
        if len(document.pages) == 1:
            break
    pdf: bytes = document.copy(document.pages[:1]).write_pdf()
    return pdf


def poster_pdf(unit: OrgUnit, period: Period) -> bytes:
    """The IKM poster (A4 portrait) offices display: unit, period, IKM, grade, respondents,
    per-element values and the follow-up plan."""
    return render_poster_pdf(public_report_data(unit, period), demo_data())


def pdf_to_png(pdf: bytes, dpi: int = PNG_DPI, page: int = 1) -> bytes:
    """One page (the first by default) of ``pdf`` as PNG."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "poster.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-singlefile",
                "-f",
                str(page),
                "-l",
                str(page),
                str(source),
                str(Path(tmp) / "poster"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return (Path(tmp) / "poster.png").read_bytes()


def poster_png(unit: OrgUnit, period: Period) -> bytes:
    return pdf_to_png(poster_pdf(unit, period))
