"""kinerja survey import|rebuild-rollup|clean-imports|ikm|sample-size|published|published-decision:
responses in from files, repairs, the IKM and sample size of a survey without a database (for
auditors), and the IKM values a unit published before its answers were in Kinerja."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from kinerja.accounts import access
from kinerja.accounts.cli import acting_user, add_as_argument, resolve_unit
from kinerja.lib import coremessages
from kinerja.lib.commands import NounCommand
from kinerja.surveys import batches, rollup
from kinerja.surveys.actions import do_decide_published_ikm, do_record_published_ikm
from kinerja.surveys.importing import do_import
from kinerja.surveys.models import PublishedIkm
from kinerja_core.errors import CoreError, InputError
from kinerja_core.ikm import DEFAULT_METHOD, METHODS, IkmResult, Tally, compute_ikm, to_dict
from kinerja_core.numbers import format_decimal, parse_decimal
from kinerja_core.sampling import CHI_SQUARE, MARGIN, PROPORTION, krejcie_morgan
from kinerja_core.survey_csv import ELEMENT_ORDERS, group_key, iter_survey_csv

GROUPINGS = ("service", "month", "quarter", "semester", "year")


def problems_text(exc: InputError) -> str:
    return "\n".join(f"  - {p}" for p in coremessages.problem_texts(exc.problems))


def add_order_argument(parser: Any) -> None:
    """``--order``: how bare element codes (U1…U9) in a file's header are numbered."""
    parser.add_argument(
        "--order",
        choices=ELEMENT_ORDERS,
        help=_(
            "the order of bare U1…U9 columns: 'regulation' (its list: U8 = Pengaduan, "
            "U9 = Sarana) or 'questionnaire' (its sample questionnaire: U8 = Sarana, "
            "U9 = Pengaduan); not needed when the header names the elements"
        ),
    )


class Command(NounCommand):
    summary = gettext_lazy(
        "Survey data: import responses, repair the daily rollup; the IKM and sample size of a "
        "CSV file."
    )
    verbs_without_checks = frozenset({"ikm", "sample-size"})
    verbs_without_url_checks = frozenset({"import"})

    def add_verbs(self, verbs: Any) -> None:
        imp = verbs.add_parser(
            "import",
            help=_(
                "check a CSV or XLSX file and store its responses (all or nothing; rows already "
                "imported are skipped)"
            ),
        )
        imp.add_argument("file", help=_("the .csv or .xlsx file"))
        imp.add_argument(
            "--unit", required=True, help=_("code of the org unit the services belong to")
        )
        imp.add_argument("--dry-run", action="store_true", help=_("check only, store nothing"))
        add_order_argument(imp)
        add_as_argument(imp)
        rebuild = verbs.add_parser(
            "rebuild-rollup", help=_("recompute the daily IKM rollup from the raw responses")
        )
        rebuild.add_argument("--unit", help=_("only this unit and its subtree"))
        verbs.add_parser(
            "clean-imports",
            help=_(
                "delete the rows of imports that were killed or failed before they were "
                "committed (never visible; the next import also does it)"
            ),
        )
        ikm = verbs.add_parser(
            "ikm",
            help=_("compute the IKM (PermenPANRB 14/2017) of a survey CSV; needs no database"),
        )
        ikm.add_argument("file", help=_("survey CSV (submitted_at,service,…,U1…U9,suggestion)"))
        ikm.add_argument("--by", choices=GROUPINGS, help=_("one result per group"))
        ikm.add_argument(
            "--method", default=DEFAULT_METHOD, choices=sorted(METHODS), help=_("IKM rule set")
        )
        ikm.add_argument(
            "--population",
            type=int,
            help=_("service users in the period (finite-population correction, sample target)"),
        )
        ikm.add_argument("--json", action="store_true", help=_("print JSON"))
        add_order_argument(ikm)
        sample = verbs.add_parser(
            "sample-size",
            help=_("the survey sample (Krejcie & Morgan) for N service users; needs no database"),
        )
        sample.add_argument("population", help=_("N: service users in the period"))
        sample.add_argument("--json", action="store_true", help=_("print JSON"))
        pub = verbs.add_parser(
            "published",
            help=_(
                "record (or correct) the IKM a unit published for a year whose answers are not "
                "in Kinerja, with the published document (docs/rules.md#ikm-published-values)"
            ),
        )
        pub.add_argument("--unit", required=True, help=_("code of the org unit"))
        pub.add_argument("--year", type=int, required=True)
        pub.add_argument("--value", required=True, help=_("the IKM as printed, e.g. 74,67"))
        pub.add_argument("--grade", required=True, choices=["A", "B", "C", "D"])
        pub.add_argument("--method", required=True, choices=sorted(METHODS))
        pub.add_argument("--title", required=True, help=_("title of the published document"))
        pub.add_argument("--number", default="", help=_("number of the published document"))
        pub.add_argument(
            "--document", help=_("the published document (PDF, JPEG or PNG); needed for a new year")
        )
        add_as_argument(pub)
        decide = verbs.add_parser(
            "published-decision",
            help=_(
                "decide whether a year's IKM is its answers or its published value, with the "
                "reason (kept in the audit log)"
            ),
        )
        decide.add_argument("--unit", required=True, help=_("code of the org unit"))
        decide.add_argument("--year", type=int, required=True)
        decide.add_argument("--use", required=True, choices=["answers", "published"])
        decide.add_argument("--reason", required=True)
        add_as_argument(decide)

    def handle_import(self, options: dict[str, Any]) -> None:
        unit = resolve_unit(options["unit"])
        user = acting_user(options)
        if user is not None and not access.can(user, access.EDIT_SURVEY, unit):
            raise CommandError(f"{user.username} may not import survey responses for {unit}")
        path = Path(options["file"])
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        with stream, tqdm(desc="rows", unit=" rows", disable=None, file=self.stderr) as bar:

            def advance(rows: int) -> None:
                bar.update(rows)

            try:
                result = do_import(
                    unit,
                    stream,
                    path.name,
                    dry_run=options["dry_run"],
                    user=user,
                    progress=advance,
                    # A command is single-threaded: safe to read the file in a forked process.
                    fork=True,
                    order=options["order"],
                )
            except InputError as exc:
                raise CommandError(
                    f"{path}: the file was refused, nothing was stored "
                    f"({len(exc.problems)} problems):\n" + problems_text(exc)
                ) from exc
        verb = "would store" if result.dry_run else "stored"
        self.stdout.write(
            f"{path.name}: {result.rows} rows, {verb} {result.inserted} new responses, "
            f"{result.skipped} already imported."
        )

    def handle_rebuild_rollup(self, options: dict[str, Any]) -> None:
        unit = resolve_unit(options["unit"]) if options["unit"] else None
        rows = rollup.rebuild(unit)
        self.stdout.write(f"rebuilt {rows} daily rows")

    def handle_clean_imports(self, options: dict[str, Any]) -> None:
        self.stdout.write(f"removed {batches.clean_abandoned()} abandoned imports")

    def handle_ikm(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        population = options["population"]
        if population is not None and population < 1:
            raise CommandError("--population must be a positive whole number")
        method = METHODS[options["method"]]
        by = options["by"]
        tallies: dict[str, Tally] = {}
        try:
            with path.open(encoding="utf-8-sig", newline="") as stream:
                for chunk in iter_survey_csv(stream, method, order=options["order"]):
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

    def handle_sample_size(self, options: dict[str, Any]) -> None:
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

    def handle_published(self, options: dict[str, Any]) -> None:
        unit = resolve_unit(options["unit"])
        try:
            value = parse_decimal(options["value"])
        except CoreError as exc:
            raise CommandError(f"--value: {coremessages.error_text(exc)}") from exc
        with refused_as_error(), document(options["document"]) as evidence:
            row = do_record_published_ikm(
                unit,
                options["year"],
                value=value,
                grade=options["grade"],
                method=options["method"],
                document_title=options["title"],
                document_number=options["number"],
                evidence=evidence,
                user=acting_user(options),
            )
        self.stdout.write(f"{unit.code} {row.year}: published IKM {row.value} ({row.grade}) saved")

    def handle_published_decision(self, options: dict[str, Any]) -> None:
        unit = resolve_unit(options["unit"])
        row = PublishedIkm.objects.filter(unit=unit, year=options["year"]).first()
        if row is None:
            raise CommandError(f"no published IKM of {options['year']} for {unit.code}")
        with refused_as_error():
            row = do_decide_published_ikm(
                row,
                use_answers=options["use"] == "answers",
                reason=options["reason"],
                user=acting_user(options),
            )
        figure = "the published value" if row.in_force else "the answers"
        self.stdout.write(f"{unit.code} {row.year}: the IKM is now {figure}")


@contextmanager
def refused_as_error() -> Iterator[None]:
    """An action's refusal as the command's error message."""
    try:
        yield
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise CommandError(f"not allowed: {exc}") from exc


@contextmanager
def document(path: str | None) -> Iterator[File[bytes] | None]:
    if path is None:
        yield None
        return
    given = Path(path)
    try:
        stream = given.open("rb")
    except OSError as exc:
        raise CommandError(f"cannot read {given}: {exc}") from exc
    with stream:
        yield File(stream, name=given.name)
