"""Demo step of quarterly monitoring: a Rencana Aksi and quarterly reports for the demo plan's
years from 2024 to 2026 (those the plan has), after the results step (it reads the results)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from kinerja.monitoring import rules
from kinerja.monitoring.actions import (
    do_add_renaksi_action,
    do_move_quarter,
    do_save_quarter_narrative,
    do_save_quarter_targets,
)
from kinerja.monitoring.models import QuarterReport, RenaksiAction, TargetMode
from kinerja.monitoring.queries import positions_of, quarter_rows
from kinerja.monitoring.rules import NarrativeText
from kinerja.plan.models import Indicator, Plan
from kinerja.plan.versions import indicators_of
from kinerja.results.queries import year_target

YEARS = (2024, 2025, 2026)
SUBMITTED, APPROVED = QuarterReport.State.SUBMITTED, QuarterReport.State.APPROVED
LAGGING = NarrativeText(
    "Kader kelurahan aktif mendampingi kelompok.",
    "Sebagian kelompok belum menyerahkan data kegiatan tepat waktu.",
    "Rapat koordinasi bulanan dengan lurah dan pendampingan pengisian data.",
)
ON_TRACK = NarrativeText("Kegiatan berjalan sesuai jadwal.", "", "")
# (name, budget code, months): codes of the demo budget (kinerja/demo/budget.py), so the Renaksi
# shows each line's name and pagu in the years that budget covers. An indicator of goal or
# sasaran 1 (T1.1, S1.1) gets the community kegiatan, of 2 the public-service one; every indicator
# also gets the reporting sub-kegiatan.
ACTIONS = {
    "1": ("Fasilitasi dan pembinaan lembaga kemasyarakatan", "7.01.03.2.01", [2, 3, 5, 8, 10]),
    "2": ("Koordinasi penyelenggaraan pelayanan publik", "7.01.02.2.01", [1, 4, 7, 10]),
}
REPORTING = (
    "Monitoring, evaluasi dan pelaporan capaian kinerja",
    "7.01.01.2.01.0006",
    [3, 6, 9, 12],
)


def in_window(year: int, quarter: int, hour: int) -> datetime | None:
    """The first day of a quarter's reporting window at ``hour`` (Asia/Jakarta), when staff
    enter, submit and approve the demo's report; None (now) while that day is still to come."""
    day = rules.quarter_end(year, quarter) + timedelta(days=1)
    at = datetime.combine(day, time(hour), timezone.get_current_timezone())
    return at if at <= timezone.now() else None


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
                own = ACTIONS.get(ind.code[1:].split(".")[0])
                for name, code, months in ([own] if own else []) + [REPORTING]:
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
                do_save_quarter_narrative(
                    planner, plan, plan.unit, year, q, row.indicator, text, at=in_window(year, q, 9)
                )
            if q < 4:  # the last quarter stays a draft to try the steps on
                submitted, approved = in_window(year, q, 14), in_window(year, q, 16)
                do_move_quarter(planner, plan, plan.unit, year, q, SUBMITTED, at=submitted)
                do_move_quarter(head, plan, plan.unit, year, q, APPROVED, at=approved)
    return f"Rencana Aksi and quarterly reports {', '.join(map(str, years)) or '-'} (DATA CONTOH)"
