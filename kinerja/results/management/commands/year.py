"""kinerja year submit|approve|return|lock YEAR: a plan year's approval and lock, as on its page.

Each verb is the page's action (``kinerja.results.actions``), taken as the user given with
``--as``: the same permission, separation of duties and audit entry as a click on the page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.cli import acting_user
from kinerja.lib.commands import NounCommand
from kinerja.plan.commandline import resolve_plan
from kinerja.results.actions import do_approve_year, do_lock_year, do_return_year, do_submit_year

MOVES = {"submit": do_submit_year, "approve": do_approve_year, "return": do_return_year}


class Command(NounCommand):
    summary = gettext_lazy(
        "A plan year: submit its realisation, approve or return it, lock it once approved."
    )

    def add_verbs(self, verbs: Any) -> None:
        helps = {
            "submit": _("hand the year's realisation to the unit head for approval"),
            "approve": _("approve a submitted year (then it may be locked)"),
            "return": _("send a submitted year back, saying what to correct (--note)"),
            "lock": _(
                "lock an approved year: later recomputes record differences as pending instead "
                "of storing them"
            ),
        }
        for verb, text in helps.items():
            parser = verbs.add_parser(verb, help=text)
            parser.add_argument("year", type=int, help=_("the year, e.g. 2024"))
            parser.add_argument("--plan", help=_("plan code (default: the only plan loaded)"))
            parser.add_argument(
                "--as",
                dest="as_user",
                metavar="USER",
                required=True,
                help=_("the user who acts: their roles decide, and the audit log names them"),
            )
            if verb != "lock":
                parser.add_argument("--note", default="", help=_("the note kept with the step"))

    def handle(self, *args: Any, **options: Any) -> None:
        plan = resolve_plan(options["plan"])
        user = acting_user(options)
        assert user is not None  # --as is required
        verb, year = options["verb"], options["year"]
        try:
            if verb == "lock":
                do_lock_year(plan, year, user)
            else:
                row = MOVES[verb](plan, year, user, options["note"])
        except PermissionDenied:
            raise CommandError(
                _("%(user)s may not %(verb)s %(year)s of plan %(plan)s")
                % {"user": user.username, "verb": verb, "year": year, "plan": plan.code}
            ) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if verb == "lock":
            self.stdout.write(
                _("%(year)s of plan %(plan)s is locked.") % {"year": year, "plan": plan.code}
            )
        else:
            self.stdout.write(
                _("%(year)s of plan %(plan)s: %(status)s.")
                % {"year": year, "plan": plan.code, "status": row.get_status_display()}
            )
