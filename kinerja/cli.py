"""The ``kinerja`` console script: the project's management commands with the settings preset.

``kinerja --help`` lists Kinerja's own commands; every Django command (migrate, createsuperuser,
runserver, ...) works too, e.g. ``kinerja migrate``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"} and len(args) == 1:
        print(overview())
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kinerja", *args])


def overview() -> str:
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    own = sorted((name, app) for name, app in get_commands().items() if app.startswith("kinerja."))
    lines = [
        "Kinerja: performance accountability (IKU, SKM/IKM, community empowerment coverage).",
        "",
        "Usage: kinerja COMMAND [options]    (kinerja COMMAND --help for each)",
        "",
        "Commands:",
    ]
    for name, app in own:
        help_text = load_command_class(app, name).help.strip().splitlines()[0]
        lines.append(f"  {name:<14} {help_text}")
    lines += [
        "",
        "Django's own commands work too: migrate, createsuperuser, changepassword, runserver,",
        "shell, dbshell, check, ... (kinerja help --commands lists them all).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
