"""The ``kinerja`` console script: ``kinerja NOUN VERB`` (``kinerja plan load FILE``) with the
settings preset and help in the UI language (kinerja/lib/commands.py).

``kinerja --help`` lists Kinerja's nouns and their verbs; every Django command (migrate,
createsuperuser, runserver, ...) works too, e.g. ``kinerja migrate``. ``kinerja bench`` runs with
the settings that install the benchmark app (kinerja/benchmarks/settings.py), which no other
command loads.
"""

from __future__ import annotations

import os
import sys
import textwrap

SETTINGS = "kinerja.settings"
BENCH_SETTINGS = "kinerja.benchmarks.settings"


def choose_settings(args: list[str]) -> None:
    if args[:1] == ["bench"] and os.environ.get("DJANGO_SETTINGS_MODULE", SETTINGS) == SETTINGS:
        os.environ["DJANGO_SETTINGS_MODULE"] = BENCH_SETTINGS
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    choose_settings(args)
    if not args or args[0] in {"-h", "--help", "help"} and len(args) == 1:
        print(overview())
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kinerja", *args])


def overview() -> str:
    import django
    from django.core.management import get_commands, load_command_class
    from django.utils import translation
    from django.utils.translation import gettext as _

    from kinerja.lib.commands import NounCommand, cli_language, verb_names

    django.setup()
    translation.activate(cli_language())

    nouns, aliases = [], []
    for name, app in sorted(get_commands().items()):
        if not app.startswith("kinerja."):
            continue
        command = load_command_class(app, name)
        if isinstance(command, NounCommand):
            verbs = verb_names(command.create_parser("kinerja", name))
            nouns.append(f"  {name:<10} {command.help.strip().splitlines()[0]}")
            nouns.append(f"  {'':<10} {' · '.join(verbs)}")
            if command.legacy_verb:
                aliases.append(f"{name} … → {name} {command.legacy_verb} …")
        elif hasattr(command, "alias_of"):
            noun, verb = command.alias_of
            aliases.append(f"{name} → {noun} {verb or '…'}")
    lines = [
        _("Kinerja: performance accountability (IKU, SKM/IKM, community empowerment coverage)."),
        "",
        _("Usage: kinerja NOUN VERB [options]    (kinerja NOUN --help for each)"),
        "",
        _("Commands:"),
        *nouns,
        "",
        _("Old spellings, working until the next release: %(aliases)s.")
        % {"aliases": "; ".join(sorted(aliases))},
        "",
        _("Benchmarks (make bench): kinerja bench --help."),
        _(
            "Django's own commands work too: migrate, createsuperuser, changepassword, "
            "runserver, shell, dbshell, check, ... (kinerja help --commands lists them all)."
        ),
    ]
    return "\n".join(line if line.startswith("  ") else textwrap.fill(line, 100) for line in lines)


if __name__ == "__main__":
    main()
