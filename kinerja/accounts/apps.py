from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kinerja.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation units")

    def ready(self) -> None:
        from django.contrib import admin

        from .adminlogin import admin_login_redirect

        # The admin's own log-in form would skip throttling and two-factor: send it to ours.
        admin.site.login = admin_login_redirect  # type: ignore[method-assign]
