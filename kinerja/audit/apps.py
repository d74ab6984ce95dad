from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kinerja.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from . import recorders

        recorders.connect()
