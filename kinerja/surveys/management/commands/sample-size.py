"""kinerja sample-size N: the Krejcie–Morgan survey sample for N service users."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja_core.sampling import CHI_SQUARE, MARGIN, PROPORTION, krejcie_morgan


class Command(BaseCommand):
    help = "Required survey sample (Krejcie & Morgan) for N service users; needs no database."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("population", help="N: service users in the period")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["population"].strip().replace(".", "").replace("_", "")
        if not raw.isdigit() or int(raw) < 1:
            raise CommandError(
                f"N must be a positive whole number of service users, not {options['population']!r}"
            )
        population = int(raw)
        sample = krejcie_morgan(population)
        if options["json"]:
            payload = {
                "population": population,
                "sample": sample,
                "method": "krejcie-morgan-1970",
                "chi_square": str(CHI_SQUARE),
                "proportion": str(PROPORTION),
                "margin": str(MARGIN),
            }
            self.stdout.write(json.dumps(payload))
        else:
            self.stdout.write(
                f"N = {population}: sampel minimal {sample} responden (Krejcie & Morgan)"
            )
