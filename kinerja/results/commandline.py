"""Options shared by the results and reports commands: which plan, which year."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from kinerja.plan.models import Plan

from .actions import plan_years
from .queries import latest_year


def add_plan_year(parser: CommandParser, year_help: str) -> None:
    parser.add_argument("--plan", help="plan code (default: the only plan loaded)")
    parser.add_argument("--year", type=int, help=year_help)


def resolve_plan(code: str | None) -> Plan:
    if code:
        plan = Plan.objects.select_related("unit").filter(code=code).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("code", flat=True)) or "none loaded"
            raise CommandError(f"no plan with code {code!r} (known: {known})")
        return plan
    plans = list(Plan.objects.select_related("unit")[:2])
    if not plans:
        raise CommandError("no plan is loaded: run `kinerja plan load FILE` or `kinerja demo`")
    if len(plans) > 1:
        known = ", ".join(Plan.objects.values_list("code", flat=True))
        raise CommandError(f"several plans are loaded; choose one with --plan ({known})")
    return plans[0]


def resolve_year(plan: Plan, year: int | None) -> int:
    if year is None:
        return latest_year(plan)
    if year not in plan_years(plan):
        years = plan_years(plan)
        raise CommandError(f"{year} is not a year of plan {plan.code} ({years[0]}–{years[-1]})")
    return year
