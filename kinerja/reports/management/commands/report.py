"""kinerja report write KIND --format FMT -o FILE: write a document (IKU, PK, capaian, SKM)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.lib.commands import NounCommand
from kinerja.plan.commandline import resolve_plan
from kinerja.reports.registry import RENDERERS, UnknownReport, filename, render
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

    def handle_write(self, options: dict[str, Any]) -> None:
        plan = resolve_plan(options["plan"])
        year = resolve_year(plan, options["year"])
        kind, fmt = options["kind"], options["fmt"]
        try:
            content = render(kind, fmt, plan, year)
        except UnknownReport as exc:
            raise CommandError(str(exc)) from exc
        out = Path(options["output"] or filename(kind, fmt, plan, year))
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc}") from exc
        self.stdout.write(f"Wrote {out} ({len(content):,} bytes).")
