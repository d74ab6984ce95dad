"""Demo step of quarterly monitoring: a Rencana Aksi and quarterly reports for the demo plan's
years from 2024 to 2026 (those the plan has), after the results step (it reads the results)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User

from kinerja.monitoring.actions import (
    do_add_renaksi_action,
    do_approve_quarter,
    do_save_narrative,
    do_save_quarter_targets,
    do_submit_quarter,
)
from kinerja.monitoring.models import QuarterReport, RenaksiAction, TargetMode
from kinerja.monitoring.queries import positions_of, quarter_rows
from kinerja.monitoring.rules import NarrativeText
from kinerja.plan.models import Indicator, Plan
from kinerja.results.queries import indicators_of, year_target

YEARS = (2024, 2025, 2026)
LAGGING = NarrativeText(
    "Kader kelurahan aktif mendampingi kelompok.",
    "Sebagian kelompok belum menyerahkan data kegiatan tepat waktu.",
    "Rapat koordinasi bulanan dengan lurah dan pendampingan pengisian data.",
)
ON_TRACK = NarrativeText("Kegiatan berjalan sesuai jadwal.", "", "")
ACTIONS = [
    ("Fasilitasi dan pembinaan lembaga kemasyarakatan", "7.01.01.2.06.0001", [2, 3, 5, 8, 10]),
    ("Monitoring dan evaluasi kegiatan kelurahan", "7.01.01.2.06.0002", [3, 6, 9, 12]),
]


def quarter_targets(indicator: Indicator, year: int) -> list[Decimal] | None:
    """A straight path to the year target: a quarter of it per quarter for counts and
    percentages, the target itself every quarter for an index."""
    target = year_target(indicator, year)
    if target is None or target.value is None:
        return None
    if indicator.unit == Indicator.Unit.INDEX:
        return [target.value] * 4
    return [target.value * q / 4 for q in range(1, 5)]


def load(plan: Plan) -> str:
    planner = User.objects.get(username="perencana")
    head = User.objects.get(username="camat")
    years = [y for y in YEARS if y in plan.years]
    for year in years:
        for ind in indicators_of(plan, year):
            targets = quarter_targets(ind, year)
            if targets is not None:
                do_save_quarter_targets(
                    None, plan, plan.unit, year, ind, targets, TargetMode.CUMULATIVE
                )
            if not RenaksiAction.objects.filter(
                renaksi__plan=plan, renaksi__year=year, indicator=ind
            ).exists():
                position = (positions_of(ind) or ["Sekretaris Kecamatan"])[0]
                for name, code, months in ACTIONS:
                    do_add_renaksi_action(
                        None, plan, plan.unit, year, ind,
                        name=name, budget_code=code, position=position, months=months,
                    )  # fmt: skip
        rows = quarter_rows(plan, plan.unit, year)
        for q in range(1, 5):
            if (
                QuarterReport.objects.filter(plan=plan, unit=plan.unit, year=year, quarter=q)
                .exclude(status=QuarterReport.State.DRAFT)
                .exists()
            ):
                continue
            for row in rows:
                cell = row.quarters[q - 1]
                if cell.realisation is None:
                    continue
                text = LAGGING if cell.lagging else ON_TRACK
                do_save_narrative(planner, plan, plan.unit, year, q, row.indicator, text)
            if q < 4:  # the last quarter stays a draft to try the steps on
                do_submit_quarter(planner, plan, plan.unit, year, q)
                do_approve_quarter(head, plan, plan.unit, year, q)
    return f"Rencana Aksi and quarterly reports {', '.join(map(str, years)) or '-'} (DATA CONTOH)"
