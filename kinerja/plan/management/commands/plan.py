"""kinerja plan load|export|check|diff|history: the plan file in and out of the database, and
its versions."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.cli import acting_user, add_as_argument
from kinerja.lib.commands import NounCommand
from kinerja.plan.actions import (
    PlanRefused,
    Revision,
    check_plan_text,
    do_load_plan_text,
    load_refusals,
    plan_diff,
)
from kinerja.plan.commandline import resolve_plan
from kinerja.plan.diff import PlanDiff, kind_label
from kinerja.plan.limits import file_size_problem
from kinerja.plan.planfile import Problem, dump_plan, export_plan, has_errors
from kinerja.plan.versions import history_json, indicators_in_force


def read_text(path: str) -> str:
    try:
        too_large = file_size_problem(Path(path).stat().st_size)
        if too_large:  # before the file is read
            raise CommandError(f"{path}: {too_large}")
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(
            _("cannot read %(file)s: %(error)s") % {"file": path, "error": exc}
        ) from exc


# How the findings of a check are marked, one word a line (KESALAHAN, PERINGATAN, CATATAN).
SEVERITIES = {
    "error": gettext_lazy("ERROR"),
    "warning": gettext_lazy("WARNING"),
    "note": gettext_lazy("NOTE"),
}


def finding_line(problem: Problem) -> str:
    marker = str(SEVERITIES.get(problem.severity, problem.severity.upper()))
    return f"{marker:10} {problem}"


class Command(NounCommand):
    summary = gettext_lazy(
        "Load, export or check a plan file (IKU: goals, objectives, indicators, targets)."
    )

    def add_verbs(self, verbs: Any) -> None:
        load = verbs.add_parser(
            "load",
            help=_(
                "check a plan file and store it (replaces the plan of the same code atomically)"
            ),
        )
        load.add_argument("file", help=_("the plan file (YAML)"))
        add_as_argument(load)
        load.add_argument(
            "--revise",
            action="store_true",
            help=_("store a new version of the plan, in force from --effective on"),
        )
        load.add_argument("--effective", type=int, help=_("first year the new version is in force"))
        load.add_argument("--reason", default="", help=_("why the plan is revised (required)"))
        load.add_argument("--decree", default="", help=_('the decree: "NUMBER, DATE"'))
        export = verbs.add_parser("export", help=_("write a stored plan back to a plan file"))
        export.add_argument("code", help=_("the plan's code"))
        export.add_argument(
            "-o", "--output", required=True, help=_("file to write, or - for standard output")
        )
        diff = verbs.add_parser(
            "diff", help=_("what loading a plan file would change, without loading it")
        )
        diff.add_argument("file", help=_("the plan file (YAML)"))
        diff.add_argument("--effective", type=int, help=_("as a revision in force from this year"))
        diff.add_argument("--json", action="store_true", help=_("print the difference as JSON"))
        history = verbs.add_parser("history", help=_("the stored versions of a plan"))
        history.add_argument("code", help=_("the plan's code"))
        history.add_argument("--json", action="store_true", help=_("print the versions as JSON"))
        check = verbs.add_parser(
            "check", help=_("lint a plan file: errors exit 1, warnings and notes do not")
        )
        check.add_argument("file", help=_("the plan file (YAML)"))
        check.add_argument("--json", action="store_true", help=_("print the findings as JSON"))

    def handle_load(self, options: dict[str, Any]) -> None:
        revision = None
        if options["revise"]:
            if options["effective"] is None:
                raise CommandError(_("--revise needs --effective YEAR (the first year in force)"))
            revision = Revision(options["effective"], options["reason"], options["decree"])
        elif options["effective"] is not None or options["reason"] or options["decree"]:
            raise CommandError(_("--effective, --reason and --decree go with --revise"))
        try:
            plan = do_load_plan_text(read_text(options["file"]), acting_user(options), revision)
        except PlanRefused as exc:
            raise CommandError(
                _("the plan was refused; nothing was changed:")
                + "\n"
                + "\n".join(f"  - {p}" for p in exc.problems)
            ) from exc
        n = indicators_in_force(plan, None).count()
        self.stdout.write(
            _("Loaded plan %(code)s: %(goals)d goals, %(indicators)d indicators, %(years)s.")
            % {
                "code": plan.code,
                "goals": plan.goals.count(),
                "indicators": n,
                "years": f"{plan.start_year}–{plan.end_year}",
            }
        )

    def handle_export(self, options: dict[str, Any]) -> None:
        plan = resolve_plan(options["code"])
        text = dump_plan(export_plan(plan))
        if options["output"] == "-":
            self.stdout.write(text, ending="")
        else:
            self.save(Path(options["output"]), text.encode("utf-8"))

    def handle_diff(self, options: dict[str, Any]) -> None:
        doc, problems = check_plan_text(read_text(options["file"]))
        if doc is None or has_errors(problems):
            for p in problems:
                self.stdout.write(finding_line(p))
            sys.exit(1)
        effective = options["effective"]
        revision = None if effective is None else Revision(effective, "-")
        diff = plan_diff(doc, revision)
        refused = load_refusals(doc, revision)
        if options["json"]:
            payload = {
                "plan": doc.code,
                "effective": effective,
                "changes": diff.as_json(),
                "refused": [p.message for p in refused],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.print_diff(diff, refused)
        if refused:
            sys.exit(1)  # as `plan load` of the same file would

    def print_diff(self, diff: PlanDiff, refused: list[Problem]) -> None:
        for change in diff.changes:
            self.stdout.write(f"  {change.describe()}")
        if not diff:
            self.stdout.write(_("No difference from the stored plan."))
        for p in refused:
            self.stdout.write(f"{_('REFUSED'):10} {p}")

    def handle_history(self, options: dict[str, Any]) -> None:
        plan = resolve_plan(options["code"])
        data = history_json(plan)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for v in data["versions"]:
            counts = ", ".join(f"{kind_label(k)} {n}" for k, n in v["summary"].items() if n)
            self.stdout.write(
                f"v{v['number']}  {v['effective_from']}  {local_time(v['at'])}  {v['by'] or '-'}  "
                f"{v['reason'] or '-'}  {v['decree'] or ''}  {counts}".rstrip()
            )

    def handle_check(self, options: dict[str, Any]) -> None:
        doc, problems = check_plan_text(read_text(options["file"]))
        failed = doc is None or has_errors(problems)
        if options["json"]:
            payload = {
                "file": options["file"],
                "ok": not failed,
                "findings": [
                    {
                        "severity": p.severity,
                        "line": p.line,
                        "indicator": p.where,
                        "field": p.field,
                        "message": p.message,
                    }
                    for p in problems
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            for p in problems:
                self.stdout.write(finding_line(p))
            counts = {s: sum(p.severity == s for p in problems) for s in SEVERITIES}
            self.stdout.write(
                _("%(file)s: %(error)d errors, %(warning)d warnings, %(note)d notes")
                % {"file": options["file"], **counts}
            )
        if failed:
            sys.exit(1)


def local_time(iso: str) -> str:
    """A stored time as the history prints it: local, with its zone (7 Desember 2026 12.51 WIB)."""
    return dateformat.format(timezone.localtime(datetime.fromisoformat(iso)), "j F Y H.i T")
