"""Options shared by the results and reports commands: which plan, which year."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from kinerja.plan.models import Plan

from .actions import plan_years
from .default_year import plan_default_year


def add_plan_year(parser: CommandParser, year_help: str) -> None:
    parser.add_argument("--plan", help=_("plan code (default: the only plan loaded)"))
    parser.add_argument("--year", type=int, help=year_help)


def resolve_year(plan: Plan, year: int | None) -> int:
    if year is None:
        return plan_default_year(plan)
    if year not in plan_years(plan):
        years = plan_years(plan)
        raise CommandError(f"{year} is not a year of plan {plan.code} ({years[0]}–{years[-1]})")
    return year
