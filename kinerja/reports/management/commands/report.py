"""kinerja report write KIND --format FMT -o FILE: write a document of the registry
(``kinerja.reports.registry``: IKU, PK, capaian, LKjIP, SKM, Renaksi, triwulan);
kinerja report signatory / signed / signing: record and list who signs and when
(docs/rules.md#signing)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.cli import acting_user, add_as_argument
from kinerja.lib.commands import NounCommand
from kinerja.plan.chain import chain_of
from kinerja.plan.commandline import resolve_plan
from kinerja.plan.models import Plan
from kinerja.reports import pk
from kinerja.reports.actions import (
    SignatoryInput,
    do_issue_document,
    do_save_pk_version,
    do_save_signatory,
    do_save_signing_date,
)
from kinerja.reports.issuing import verification_url
from kinerja.reports.models import PkVersion, Signatory, SigningDate
from kinerja.reports.registry import (
    UnknownReport,
    described,
    filename,
    kinds,
    render,
    render_data,
)
from kinerja.reports.skm_report import NoResponses, report_year
from kinerja.results.commandline import add_plan_year, resolve_year


class Command(NounCommand):
    summary = gettext_lazy("Write a document from the plan and the stored results.")
    legacy_verb = "write"  # the release before: kinerja report KIND

    def add_verbs(self, verbs: Any) -> None:
        write = verbs.add_parser(
            "write", help=_("write a document: %(kinds)s") % {"kinds": ", ".join(kinds())}
        )
        write.add_argument(
            "kind",
            metavar=_("KIND"),
            help=_("the document, one of %(kinds)s") % {"kinds": described()},
        )
        write.add_argument(
            "--format", "-f", dest="fmt", default="pdf", help=_("the file format (default: pdf)")
        )
        write.add_argument("-o", "--output", help=_("file to write (default: KIND-PLAN-YEAR.FMT)"))
        add_plan_year(write, _("the report year (default: the latest year with results)"))
        write.add_argument(
            "--issue",
            action="store_true",
            help=_(
                "issue the document: store this exact PDF as the next version, with a number, "
                "its SHA-256 and a QR code to its public verification page"
            ),
        )
        add_as_argument(write)
        signatory = verbs.add_parser(
            "signatory", help=_("record who signs the plan unit's documents from a date")
        )
        signatory.add_argument("--plan", help=_("plan code (default: the only plan loaded)"))
        signatory.add_argument("--role", choices=Signatory.Role.values, default=Signatory.Role.HEAD)
        signatory.add_argument("--name", required=True)
        signatory.add_argument("--nip", default="", help=_("18 digits"))
        signatory.add_argument("--rank", default="", help=_("rank and grade (pangkat/golongan)"))
        signatory.add_argument("--position", required=True, help=_("position (jabatan)"))
        signatory.add_argument("--from", dest="valid_from", type=date.fromisoformat, required=True)
        signatory.add_argument("--to", dest="valid_to", type=date.fromisoformat)
        signed = verbs.add_parser("signed", help=_("record the day a document was signed"))
        signed.add_argument("kind", choices=SigningDate.Kind.values)
        signed.add_argument("--plan", help=_("plan code (default: the only plan loaded)"))
        signed.add_argument("--year", type=int, required=True)
        signed.add_argument("--date", dest="day", type=date.fromisoformat, required=True)
        signed.add_argument("--place", default="")
        self.add_pk_verb(verbs)
        listing = verbs.add_parser("signing", help=_("list the signatories and signing dates"))
        listing.add_argument("--plan", help=_("plan code (default: the only plan loaded)"))

    def add_pk_verb(self, verbs: Any) -> None:
        agreement = verbs.add_parser(
            "pk",
            help=_(
                "write the PK of a level (camat: the Camat with the Wali Kota/Bupati; kasi: an "
                "officer with the Camat), or store its agreed version or a PK Perubahan"
            ),
        )
        add_plan_year(agreement, _("the PK's year (default: the latest year with results)"))
        agreement.add_argument("--level", choices=PkVersion.Level.values, default=pk.CAMAT)
        agreement.add_argument(
            "--officer", default="", help=_("the officer's position as the plan names it")
        )
        agreement.add_argument("--format", "-f", dest="fmt", choices=("pdf", "docx"), default="pdf")
        agreement.add_argument("-o", "--output", help=_("file to write"))
        agreement.add_argument(
            "--version", dest="pk_version", type=int, help=_("a stored version (default: latest)")
        )
        store = agreement.add_mutually_exclusive_group()
        store.add_argument(
            "--agree", action="store_true", help=_("store the PK as agreed on --date (version 1)")
        )
        store.add_argument(
            "--revise",
            action="store_true",
            help=_("store a PK Perubahan: a new version with --reason and --date"),
        )
        agreement.add_argument("--reason", default="")
        agreement.add_argument("--date", dest="day", type=date.fromisoformat)
        add_as_argument(agreement)

    def handle_pk(self, options: dict[str, Any]) -> None:
        plan = document_plan(options)
        year = resolve_year(plan, options["year"])
        level, officer = options["level"], options["officer"]
        try:
            if options["agree"] or options["revise"]:
                self.store_pk(plan, year, options)
            data = pk.build_level_pk(plan, year, None, level, officer, options["pk_version"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        fmt = options["fmt"]
        content = render_data("pk", fmt, data)
        who = f"-{slugify(officer)}" if level == pk.KASI else ""
        self.save(Path(options["output"] or f"pk-{level}{who}-{plan.code}-{year}.{fmt}"), content)
        for row in data.rows:
            self.stdout.write(f"{row.no}. {row.indicator}\t{row.target}")
        self.stdout.write(f"Program: {len(data.programs)}, anggaran {data.budget_total}")

    def store_pk(self, plan: Plan, year: int, options: dict[str, Any]) -> None:
        if options["day"] is None:
            raise CommandError(_("Give the date the PK was signed (--date YYYY-MM-DD)."))
        level, officer = options["level"], options["officer"]
        stored = pk.latest_version(
            pk.plan_for(plan, year), year, level, officer.strip() if level == pk.KASI else ""
        )
        if options["revise"] and stored is None:
            raise CommandError(_("No agreed PK to change yet: store it first with --agree."))
        if options["agree"] and stored is not None:
            raise CommandError(
                _("The PK is agreed already (version %(version)d): change it with --revise.")
                % {"version": stored.version}
            )
        try:
            saved = do_save_pk_version(
                acting_user(options), plan, year, level, officer, options["day"], options["reason"]
            )
        except PermissionDenied as exc:
            raise CommandError(
                _("You may not store PKs of %(unit)s.") % {"unit": plan.unit}
            ) from exc
        self.stdout.write(_("Stored PK version %(version)d.") % {"version": saved.version})

    def handle_write(self, options: dict[str, Any]) -> None:
        plan = document_plan(options)
        kind, fmt = options["kind"], options["fmt"]
        try:
            # The SKM report covers any year with responses, inside the plan's period or not.
            if kind == "skm":
                year = report_year(plan.unit, options["year"])
            else:
                year = resolve_year(plan, options["year"])
            if options["issue"]:
                content = self.issue(plan, kind, fmt, year, options)
            else:
                content = render(kind, fmt, plan, year)
        except (UnknownReport, NoResponses) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:  # a PK whose year lacks targets
            raise CommandError(" ".join(exc.messages)) from exc
        self.save(Path(options["output"] or filename(kind, fmt, plan, year)), content)

    def issue(self, plan: Plan, kind: str, fmt: str, year: int, options: dict[str, Any]) -> bytes:
        if fmt != "pdf":
            raise CommandError(_("Only the PDF of a document is issued (--format pdf)."))
        try:
            document = do_issue_document(acting_user(options), plan, kind, year)
        except PermissionDenied as exc:
            raise CommandError(
                _("You may not issue documents of %(unit)s.") % {"unit": plan.unit}
            ) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _("Issued %(number)s (version %(version)s), SHA-256 %(hash)s, verification: %(url)s")
            % {
                "number": document.number,
                "version": document.version,
                "hash": document.sha256,
                "url": verification_url(settings.KINERJA_PUBLIC_URL, document.code),
            }
        )
        with document.file.open("rb") as stored:
            content: bytes = stored.read()
        return content

    def handle_signatory(self, options: dict[str, Any]) -> None:
        plan = resolve_plan(options["plan"])
        data = SignatoryInput(
            role=options["role"],
            name=options["name"],
            nip=options["nip"],
            rank=options["rank"],
            position=options["position"],
            valid_from=options["valid_from"],
            valid_to=options["valid_to"],
        )
        try:
            saved = do_save_signatory(None, plan.unit, data)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(_("Recorded %(signatory)s.") % {"signatory": saved})

    def handle_signed(self, options: dict[str, Any]) -> None:
        plan = resolve_plan(options["plan"])
        try:
            saved = do_save_signing_date(
                None, plan.unit, options["kind"], options["year"], options["day"], options["place"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _("%(kind)s %(year)s signed on %(date)s.")
            % {"kind": saved.kind.upper(), "year": saved.year, "date": saved.date.isoformat()}
        )

    def handle_signing(self, options: dict[str, Any]) -> None:
        plan = resolve_plan(options["plan"])
        for s in Signatory.objects.filter(unit=plan.unit):
            until = s.valid_to.isoformat() if s.valid_to else "…"
            self.stdout.write(
                f"{s.get_role_display()}\t{s.name}\t{s.nip}\t{s.rank}\t{s.position}\t"
                f"{s.valid_from.isoformat()}–{until}"
            )
        for d in SigningDate.objects.filter(unit=plan.unit):
            self.stdout.write(f"{d.kind.upper()} {d.year}\t{d.date.isoformat()}\t{d.place}")


def document_plan(options: dict[str, Any]) -> Plan:
    """The plan a document of ``--year`` is written under: the one named by ``--plan``, else
    the year's own plan of the chain in force (an LKjIP or a PK of 2023 is written under the
    Renstra of 2023, not the one in force today)."""
    plan = resolve_plan(options["plan"])
    if not options["plan"] and options["year"] is not None:
        plan = plan_of_year(plan, options["year"])
    return plan


def plan_of_year(plan: Plan, year: int) -> Plan:
    """``plan`` when it holds ``year``, else the newest plan of its chain that does."""
    if year in plan.years:
        return plan
    return next((p for p in reversed(chain_of(plan)) if year in p.years), plan)
