"""kinerja report write KIND --format FMT -o FILE: write a document (IKU, PK, capaian, SKM)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.cli import acting_user, add_as_argument
from kinerja.lib.commands import NounCommand
from kinerja.plan.commandline import resolve_plan
from kinerja.plan.models import Plan
from kinerja.reports.actions import do_issue_document
from kinerja.reports.issuing import verification_url
from kinerja.reports.registry import RENDERERS, UnknownReport, filename, render
from kinerja.reports.skm_report import NoResponses, report_year
from kinerja.results.commandline import add_plan_year, resolve_year


class Command(NounCommand):
    summary = gettext_lazy("Write a document from the plan and the stored results.")
    legacy_verb = "write"  # the release before: kinerja report KIND

    def add_verbs(self, verbs: Any) -> None:
        write = verbs.add_parser(
            "write",
            help=_("write a document: %(kinds)s")
            % {
                "kinds": "; ".join(
                    f"{kind} ({', '.join(formats)})" for kind, formats in RENDERERS.items()
                )
            },
        )
        write.add_argument("kind", help=_("iku, pk, capaian or skm"))
        write.add_argument("--format", "-f", dest="fmt", default="pdf", help=_("pdf, docx or xlsx"))
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

    def handle_write(self, options: dict[str, Any]) -> None:
        plan = resolve_plan(options["plan"])
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
        out = Path(options["output"] or filename(kind, fmt, plan, year))
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc}") from exc
        self.stdout.write(f"Wrote {out} ({len(content):,} bytes).")

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
