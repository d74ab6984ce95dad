from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kinerja.reports"
    label = "reports"

    def ready(self) -> None:
        from django.core import checks

        from .esign import check_signing_certificate

        checks.register(check_signing_certificate)
