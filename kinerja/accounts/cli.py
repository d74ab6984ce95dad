"""Who a command-line import acts as: ``--as USER`` applies that user's roles; and the org unit
a command names by its code (``resolve_unit``, as ``plan.commandline.resolve_plan`` for plans).

Without ``--as`` a command runs with the full rights of whoever can run commands on the server
(an administrator), and the audit entry names the command line instead of a user.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from .models import OrgUnit

COMMAND_LINE = "kinerja (command line)"


def add_as_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help=_(
            "act as this user: their roles limit what may be changed, and the audit log names "
            "them (default: full rights, logged as a command-line import)"
        ),
    )


def acting_user(options: dict[str, Any]) -> User | None:
    username = options.get("as_user")
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    return user


def resolve_unit(code: str) -> OrgUnit:
    """The org unit with this code; a CommandError naming the code when there is none."""
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"no org unit with code {code!r}")
    return unit
