"""kinerja monitoring notify: tell planners and heads about reporting windows and early warnings
(run daily, e.g. from cron; each person is told once per event)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.lib.commands import NounCommand
from kinerja.monitoring.notifications import sweep
from kinerja.plan.models import Plan


class Command(NounCommand):
    summary = gettext_lazy(
        "Quarterly monitoring: notifications of reporting windows and early warnings."
    )

    def add_verbs(self, verbs: Any) -> None:
        notify = verbs.add_parser(
            "notify",
            help=_(
                "notify planners of open and closing reporting windows, and heads and planners of "
                "early warnings (each person once per event)"
            ),
        )
        notify.add_argument(
            "--on", type=date.fromisoformat, help=_("as on this day, YYYY-MM-DD (default: today)")
        )

    def handle_notify(self, options: dict[str, Any]) -> None:
        on = options["on"] or timezone.localdate()
        told = sweep(Plan.objects.select_related("unit"), on)
        self.stdout.write(_("%(n)s notifications sent.") % {"n": told})
