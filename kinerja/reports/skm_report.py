"""The SKM report in the structure of the PermenPANRB 14/2017 annex (docs/rules.md#skm-report):
BAB I Pendahuluan, BAB II Pengumpulan Data, BAB III Hasil Pengolahan Data, BAB IV Analisis,
BAB V Kesimpulan, Lampiran.

Any year with survey responses in the plan's unit can be reported, inside the plan's period or
not; a year without responses is refused (``NoResponses``), never swapped for another year.
The text is the regulation's Indonesian, as the other documents print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.utils import translation

from kinerja.accounts.models import OrgUnit
from kinerja.lib.default_year import default_year
from kinerja.plan.models import Plan
from kinerja.results.formatting import figure
from kinerja.surveys.analysis import (
    MIN_GROUP,
    breakdowns,
    counts_by_channel,
    period_result,
    suggestion_groups,
    years_with_responses,
)
from kinerja.surveys.forms import AnswerForm
from kinerja.surveys.models import CODES, SCORE_FIELDS, Response
from kinerja.surveys.reports import element_chart, followup_rows, survey_report_data
from kinerja.surveys.rollup import scope
from kinerja_core.ikm import grade_of
from kinerja_core.periods import Period, indonesian_date

from .builders import Report, common

LEGAL_BASIS = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
    "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 "
    "Tahun 2009 tentang Pelayanan Publik;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun "
    "2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan "
    "Publik.",
)
CHANNELS = {
    "online": "formulir daring (QR code di loket)",
    "kiosk": "anjungan (kios) di ruang pelayanan",
    "paper": "kuesioner kertas yang dimasukkan petugas",
    "import": "kuesioner yang diimpor dari berkas",
}
SCORES = (1, 2, 3, 4)
STRONG_WEAK = 3  # elements named as strongest and weakest in BAB IV


class NoResponses(ValueError):
    """The year has no survey responses in the unit: there is nothing to report."""


def survey_years(unit: OrgUnit) -> list[int]:
    """The years with responses anywhere in the unit's subtree, oldest first."""
    return sorted(years_with_responses([unit])[unit.pk])


def report_year(unit: OrgUnit, year: int | None) -> int:
    """The year asked for when it has responses; without one, the unit's default year
    (docs/rules.md#default-year) when it has responses, else the latest year that has."""
    if year is None:
        years = survey_years(unit)
        if not years:
            raise NoResponses(f"Laporan SKM tidak dapat dibuat: belum ada jawaban survei {unit}.")
        default = default_year(unit)
        return default if default in years else years[-1]
    check_year(unit, year)
    return year


def check_year(unit: OrgUnit, year: int) -> None:
    years = survey_years(unit)
    if year not in years:
        shown = ", ".join(str(y) for y in years) or "–"
        raise NoResponses(
            f"Laporan SKM {year} tidak dapat dibuat: belum ada jawaban survei {unit} pada tahun "
            f"{year} (tahun dengan jawaban: {shown})."
        )


@dataclass(frozen=True)
class SkmReport(Report):
    data: dict[str, Any]  # the surveys app's report data (kinerja.surveys.reports)
    chart: str
    legal_basis: tuple[str, ...]
    channels: list[str]
    first_day: str
    last_day: str
    sample_met: bool
    services: list[dict[str, Any]]
    profile: list[dict[str, Any]]
    strongest: list[dict[str, Any]]
    weakest: list[dict[str, Any]]
    previous_period: str
    previous_followups: list[dict[str, Any]]
    trend: list[dict[str, Any]]
    suggestion_groups: list[dict[str, Any]]
    suggestions_total: int
    questionnaire: list[dict[str, Any]]
    recap: list[dict[str, Any]]
    conclusion: list[str]


def score_counts(unit: OrgUnit, period: Period) -> list[dict[str, Any]]:
    """Per element, how many respondents chose 1, 2, 3 and 4 (one aggregate)."""
    start, end = period.start, period.end
    counts = Response.objects.filter(scope(unit, start, end)).aggregate(
        **{
            f"{field}_{score}": Count("id", filter=Q(**{field: score}))
            for field in SCORE_FIELDS
            for score in SCORES
        }
    )
    return [
        {"code": code, "counts": [int(counts[f"{field}_{score}"]) for score in SCORES]}
        for code, field in zip(CODES, SCORE_FIELDS, strict=True)
    ]


def questionnaire() -> list[dict[str, Any]]:
    """The public form's questions in the order it asks them, with their answer choices."""
    items = []
    for name, field in AnswerForm.base_fields.items():
        choices = [str(label) for value, label in getattr(field, "choices", []) if value != ""]
        items.append(
            {
                "code": name.upper() if name in SCORE_FIELDS else "",
                "question": str(field.label),
                "choices": choices,
            }
        )
    return items


def trend_rows(unit: OrgUnit, years: list[int]) -> list[dict[str, Any]]:
    rows = []
    for year in years:
        result = period_result(unit, Period(year))
        if result.result is None:
            continue
        rows.append(
            {
                "year": year,
                "respondents": result.respondents,
                "ikm": result.result.ikm,
                "grade": result.result.grade.letter,
                "grade_label": result.result.grade.label,
            }
        )
    return rows


def conclusion(data: dict[str, Any], weakest: list[dict[str, Any]], met: bool) -> list[str]:
    names = ", ".join(f"{e['code']} {e['name']} ({figure(e['ikm'], 2)})" for e in weakest)
    sample = (
        "Jumlah responden memenuhi jumlah sampel minimal menurut tabel Krejcie dan Morgan."
        if met
        else "Jumlah responden belum memenuhi jumlah sampel minimal menurut tabel Krejcie dan "
        "Morgan; survei berikutnya perlu menjangkau lebih banyak pengguna layanan."
    )
    return [
        f"Indeks Kepuasan Masyarakat (IKM) {data['unit']['name']} tahun {data['period']['label']} "
        f"adalah {figure(data['ikm'], 2)} dengan mutu pelayanan {data['grade']} "
        f"({data['grade_label']}).",
        sample,
        f"Unsur dengan nilai terendah, yang menjadi prioritas perbaikan: {names}.",
        "Rencana tindak lanjut disusun mulai dari unsur terendah dan dipublikasikan bersama "
        "hasil survei ini.",
    ]


def build_skm_report(plan: Plan, year: int, on: Any = None) -> SkmReport:
    unit = plan.unit
    check_year(unit, year)
    period = Period(year)
    with translation.override("id"):
        data = survey_report_data(unit, period)
        groups = breakdowns(unit, period)
        asked = questionnaire()
        chart = element_chart(data) if data["elements"] else ""
    start_end = Response.objects.filter(scope(unit, period.start, period.end)).aggregate(
        first=Min("day"), last=Max("day")
    )
    elements = data["elements"]
    ordered = sorted(elements, key=lambda e: (e["ikm"], e["code"]))
    weakest = ordered[:STRONG_WEAK]
    strongest = list(reversed(ordered[-STRONG_WEAK:]))
    target = data["sample_target"]
    met = target is None or data["respondents"] >= target
    recap = []
    totals = {e["code"]: e for e in elements}
    for row in score_counts(unit, period):
        element = totals[row["code"]]
        recap.append(
            {**row, "name": element["name"], "total": element["total"], "nrr": element["nrr"]}
        )
    grouped = [{"text": g["text"], "count": g["count"]} for g in suggestion_groups(unit, period)]
    channel_counts = counts_by_channel(unit, period)
    return SkmReport(
        common=common(plan, year, on, "skm"),
        data=data,
        chart=chart,
        legal_basis=LEGAL_BASIS,
        channels=[
            f"{CHANNELS.get(name, name)}: {figure(Decimal(n), 0)} responden"
            for name, n in sorted(channel_counts.items())
        ],
        first_day=indonesian_date(start_end["first"]),
        last_day=indonesian_date(start_end["last"]),
        sample_met=met,
        services=[
            {
                "label": g["label"],
                "respondents": f"< {MIN_GROUP}" if g["hidden"] else g["respondents"],
                "ikm": g["ikm"],
                "grade": None if g["ikm"] is None else grade_of(g["ikm"]).letter,
            }
            for g in groups.get("service", [])
        ],
        profile=data["profile"],
        strongest=strongest,
        weakest=weakest,
        previous_period=period.prev().label(),
        previous_followups=followup_rows(unit, period.prev()),
        trend=trend_rows(unit, survey_years(unit)),
        suggestion_groups=grouped,
        suggestions_total=sum(g["count"] for g in grouped),
        questionnaire=asked,
        recap=recap,
        conclusion=conclusion(data, weakest, met),
    )
