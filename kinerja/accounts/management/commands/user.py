"""kinerja user reset-two-factor USER: an administrator's reset of a user's two-factor log-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.actions import do_reset_two_factor
from kinerja.accounts.cli import acting_user, add_as_argument
from kinerja.lib.commands import NounCommand


class Command(NounCommand):
    summary = gettext_lazy("User accounts: an administrator's reset of a user's two-factor log-in.")

    def add_verbs(self, verbs: Any) -> None:
        reset = verbs.add_parser(
            "reset-two-factor",
            help=_(
                "reset a user's two-factor log-in (lost phone and recovery codes): their "
                "authenticator app and recovery codes stop working, they set up a new app at "
                "their next log-in; recorded in the audit log"
            ),
        )
        reset.add_argument("username", help=_("the user whose two-factor log-in is reset"))
        add_as_argument(reset)

    def handle_reset_two_factor(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        actor = acting_user(options)
        try:
            removed = do_reset_two_factor(actor, user)
        except PermissionDenied:
            raise CommandError(
                f"{actor} may not reset the two-factor log-in of {user}: only a superuser or an "
                "administrator of every unit where they hold a role may"
            ) from None
        if removed:
            self.stdout.write(
                f"Two-factor log-in of {user} reset: they set up a new app at their next log-in."
            )
        else:
            self.stdout.write(f"{user} had no two-factor log-in set up; nothing to reset.")
