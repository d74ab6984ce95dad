from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kinerja.demo.loader import run_demo


class Command(BaseCommand):
    help = "Load the Wonoasih plan and the demo data (DATA CONTOH) into the configured database; idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        run_demo(self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(_("Demo data loaded (labelled DATA CONTOH on every page)."))
        )
