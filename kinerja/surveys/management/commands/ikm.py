"""kinerja ikm FILE.csv: the IKM of a survey CSV, without a database (for auditors)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.lib import coremessages
from kinerja_core.errors import CoreError, InputError
from kinerja_core.ikm import DEFAULT_METHOD, METHODS, IkmResult, Tally, compute_ikm, to_dict
from kinerja_core.numbers import format_decimal
from kinerja_core.survey_csv import group_key, iter_survey_csv

GROUPINGS = ("service", "month", "quarter", "semester", "year")


def problems_text(exc: InputError) -> str:
    return "\n".join(f"  - {p}" for p in coremessages.problem_texts(exc.problems))


class Command(BaseCommand):
    help = "Compute the IKM (PermenPANRB 14/2017) of a survey CSV; needs no database."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="survey CSV (submitted_at,service,…,U1…U9,suggestion)")
        parser.add_argument("--by", choices=GROUPINGS, help="one result per group")
        parser.add_argument(
            "--method", default=DEFAULT_METHOD, choices=sorted(METHODS), help="IKM rule set"
        )
        parser.add_argument(
            "--population",
            type=int,
            help="service users in the period (finite-population correction, sample target)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        population = options["population"]
        if population is not None and population < 1:
            raise CommandError("--population must be a positive whole number")
        method = METHODS[options["method"]]
        by = options["by"]
        tallies: dict[str, Tally] = {}
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                for chunk in iter_survey_csv(stream, method):
                    for row in chunk:
                        key = group_key(row.submitted_at, by, row.service) if by else ""
                        tally = tallies.get(key)
                        if tally is None:
                            tally = tallies[key] = Tally.empty(method)
                        tally.add((row.scores[c] for c in method.codes), method.codes)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: {exc}") from exc
        except InputError as exc:
            raise CommandError(
                f"{path}: the file was refused ({len(exc.problems)} problems):\n"
                + problems_text(exc)
            ) from exc
        if not tallies:
            raise CommandError(f"{path}: no responses in the file")
        try:
            results = {
                key: compute_ikm(tally, method, population)
                for key, tally in sorted(tallies.items())
            }
        except CoreError as exc:
            raise CommandError(coremessages.error_text(exc)) from exc
        if options["json"]:
            if by:
                payload: Any = [{"group": key, **to_dict(r)} for key, r in results.items()]
            else:
                payload = to_dict(results[""])
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for key, result in results.items():
            self.write_text(key, result)

    def write_text(self, group: str, result: IkmResult) -> None:
        def n(value: Any, decimals: int = 2) -> str:
            return format_decimal(value, decimals)

        out = self.stdout
        if group:
            out.write(f"== {group} ==")
        out.write(f"Metode     : {result.method.label}")
        out.write(f"Responden  : {result.respondents}")
        if result.sample_target is not None:
            out.write(
                f"Target sampel (Krejcie–Morgan, N={result.population}): {result.sample_target}"
            )
        out.write(
            f"IKM        : {n(result.ikm)}  mutu {result.grade.letter} ({result.grade.label})"
        )
        if result.ci95 is not None:
            flag = "  ! melintasi batas mutu" if result.crosses_grade_edge else ""
            out.write(f"Selang 95% : {n(result.ci95[0])} – {n(result.ci95[1])}{flag}")
        out.write(f"{'unsur':<5} {'nama':<40} {'jumlah':>7} {'NRR':>7} {'IKM':>7} mutu")
        for e in result.elements:
            out.write(
                f"{e.code:<5} {e.name[:40]:<40} {e.total:>7} {n(e.nrr, 4):>7} {n(e.ikm):>7} {e.grade.letter}"
            )
        out.write("")
