"""kinerja demo load: the Wonoasih plan and its demo data, labelled DATA CONTOH while loaded."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.demo.loader import run_demo
from kinerja.lib.commands import NounCommand


class Command(NounCommand):
    summary = gettext_lazy("The demo data (DATA CONTOH) of Kecamatan Wonoasih.")
    legacy_verb = "load"  # the release before: kinerja demo

    def add_verbs(self, verbs: Any) -> None:
        verbs.add_parser(
            "load",
            help=_(
                "load the Wonoasih plan and the demo data into the configured database; idempotent"
            ),
        )

    def handle_load(self, options: dict[str, Any]) -> None:
        run_demo(self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(_("Demo data loaded (labelled DATA CONTOH on every page)."))
        )
