"""kinerja recompute: compute and store every indicator of a plan (idempotent)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kinerja.plan.models import Plan
from kinerja.results.actions import do_recompute
from kinerja.results.commandline import add_plan_year, resolve_plan, resolve_year
from kinerja.results.recompute_lock import RecomputeBusy


class Command(BaseCommand):
    help = (
        "Compute every indicator of a plan for each year and quarter and each unit, and store "
        "what changed (locked years: differences are recorded as pending, not stored)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_plan_year(parser, "only this year (default: every year of the plan and its baseline)")
        parser.add_argument("--all", action="store_true", help="every plan loaded (ignores --plan)")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = (
            list(Plan.objects.select_related("unit"))
            if options["all"]
            else [resolve_plan(options["plan"])]
        )
        for plan in plans:
            years = None
            if options["year"] is not None:
                years = [resolve_year(plan, options["year"])]

            def progress(items: Iterable[Any], total: int, code: str = plan.code) -> Iterable[Any]:
                return tqdm(
                    items,
                    total=total,
                    desc=code,
                    unit="period",
                    file=self.stderr._out,
                    disable=None,  # no bar when not on a terminal
                )

            try:
                summary = do_recompute(plan, years, progress)
            except RecomputeBusy as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(str(summary))
