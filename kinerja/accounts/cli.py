"""Who a command-line import acts as: ``--as USER`` applies that user's roles.

Without ``--as`` a command runs with the full rights of whoever can run commands on the server
(an administrator), and the audit entry names the command line instead of a user.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

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
