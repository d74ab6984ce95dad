from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kinerja.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation units")

    def ready(self) -> None:
        from django.contrib import admin

        from .adminlogin import admin_login_redirect, superuser_only

        # The admin's own log-in form would skip throttling and two-factor: send it to ours.
        admin.site.login = admin_login_redirect  # type: ignore[method-assign]  # replaced on purpose
        # The admin sees every unit; roles per unit are enforced by kinerja.accounts.access on
        # the pages and the API, so the admin is for superusers (city administrators) only.
        admin.site.has_permission = superuser_only  # type: ignore[method-assign]  # on purpose
        # django-otp's own admin pages would show TOTP secrets as QR codes, add plain-text
        # recovery codes and delete devices without an audit entry: ours replace them.
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
        from . import checks

        checks.register()
