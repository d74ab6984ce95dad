"""The command line's grammar: ``kinerja NOUN VERB`` (``kinerja plan load``, ``kinerja survey
import``, ``kinerja results recompute``).

Each noun is one Django command (a ``NounCommand``) with one sub-command per verb, handled by its
``handle_<verb>`` method. Help texts go through gettext, so ``kinerja plan --help`` speaks the UI
language: Indonesian unless the LANGUAGE environment variable asks for English (``cli_language``).

The spellings of the release before (``kinerja recompute``, ``kinerja serve``, ``kinerja backup
FILE``) stay for one release: each prints one line on stderr naming the new spelling, then runs
it. A renamed command is an ``alias`` module; an old spelling of a noun without a verb is the
noun's ``legacy_verb``. Deleting the aliases next release deletes those modules and attributes.
"""

from __future__ import annotations

import argparse
import os
from abc import ABCMeta, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO, TypeVar, cast

from django.conf import settings
from django.core.checks import Tags
from django.core.checks.registry import registry
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from tqdm import tqdm

from kinerja.lib.language import lang
from kinerja_core.numbers import format_decimal

HELP_FLAGS = ("-h", "--help")
# The help of the options argparse and Django give every command, to be shown translated.
STANDARD_OPTIONS = {
    "help": gettext_noop("show this help message and exit"),
    "version": gettext_noop("Show program's version number and exit."),
    "verbosity": gettext_noop(
        "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose "
        "output"
    ),
    "settings": gettext_noop(
        'The Python path to a settings module, e.g. "myproject.settings.main". If this isn\'t '
        "provided, the DJANGO_SETTINGS_MODULE environment variable will be used."
    ),
    "pythonpath": gettext_noop(
        'A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".'
    ),
    "traceback": gettext_noop("Display a full stack trace on CommandError exceptions."),
    "no_color": gettext_noop("Don't colorize the command output."),
    "force_color": gettext_noop("Force colorization of the command output."),
    "skip_checks": gettext_noop("Skip system checks."),
}


def cli_language() -> str:
    """The language of the command line: the first of LANGUAGE (``en``, ``en_US:id``) that the
    site offers, else the site's own (``LANGUAGE_CODE``). LANG and LC_* are not read: a server's
    locale is often English without anyone asking for English messages."""
    offered = {code for code, _name in settings.LANGUAGES}
    for entry in os.environ.get("LANGUAGE", "").split(":"):
        code = entry.split(".")[0].split("_")[0].split("-")[0].lower()
        if code in offered:
            return code
    return str(settings.LANGUAGE_CODE)


def deprecation_note(old: str, new: str) -> str:
    return _(
        "`kinerja %(old)s` is an old spelling and goes in the next release: use `kinerja %(new)s`."
    ) % {"old": old, "new": new}


def verbs_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The verbs of a noun's parser and their parsers, in the order they were added."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def verb_names(parser: argparse.ArgumentParser) -> list[str]:
    return list(verbs_of(parser))


class HelpFormatter(DjangoHelpFormatter):
    """Django's help layout with argparse's own word translated too."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


def translate_parser(parser: argparse.ArgumentParser) -> None:
    """argparse's and Django's own words of a parser in the active language."""
    parser.formatter_class = HelpFormatter
    parser._positionals.title = _("positional arguments")
    parser._optionals.title = _("options")
    for action in parser._actions:
        if action.dest in STANDARD_OPTIONS and action.help:
            action.help = _(STANDARD_OPTIONS[action.dest])


T = TypeVar("T")


class NounCommand(BaseCommand, metaclass=ABCMeta):
    """``kinerja NOUN VERB``: subclasses say what the noun is about in ``summary`` (a lazy
    translation), add their verbs in ``add_verbs`` and handle each in ``handle_<verb>`` (dashes as
    underscores) with the parsed options."""

    summary: str | Promise = ""
    # The verb an old spelling without a verb meant (``kinerja demo`` → ``demo load``), or None.
    legacy_verb: str | None = None
    # Verbs that read only the files they are given: no system checks, no configured database.
    verbs_without_checks: frozenset[str] = frozenset()
    # Verbs that only store data: every system check but the URL configuration's, which imports
    # every view of the site (half a second before a survey import could start).
    verbs_without_url_checks: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = str(self.summary)  # in the language active now, not at import

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(
            dest="verb", required=True, metavar=_("VERB"), title=_("verbs")
        )
        self.add_verbs(verbs)
        for verb_parser in verbs_of(parser).values():
            translate_parser(verb_parser)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.summary)  # the language may have changed since __init__
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        translate_parser(parser)
        return parser

    @abstractmethod
    def add_verbs(self, verbs: Any) -> None:
        """Add each verb's sub-parser to ``verbs`` (every noun has its own)."""

    def progress_bar(self, items: Iterable[T], **options: Any) -> tqdm[T]:
        """A progress bar on standard error, none when it is not a terminal. It writes to the raw
        stream (typed by hand: the stubs see OutputWrapper's attributes as callables), since
        OutputWrapper would end every redraw of the bar with a newline."""
        out = cast(TextIO, self.stderr._out)
        return tqdm(items, file=out, disable=None, **options)

    def save(self, out: Path, content: bytes) -> None:
        """Write a file the command made and say so, its size the way the UI language writes it
        ("Tersimpan iku.pdf (48.213 bita).")."""
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": out, "error": exc.strerror or exc}
            ) from exc
        self.stdout.write(
            _("Wrote %(file)s (%(size)s bytes).")
            % {"file": out, "size": format_decimal(len(content), 0, lang())}
        )

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "handle_" + options["verb"].replace("-", "_"))(options)

    def execute(self, *args: Any, **options: Any) -> Any:
        verb = options.get("verb")
        if verb in self.verbs_without_checks:
            options["skip_checks"] = True
        elif verb in self.verbs_without_url_checks:
            self.requires_system_checks = sorted(registry.tags_available() - {Tags.urls})
        return super().execute(*args, **options)

    def is_old_spelling(self, argv: list[str]) -> bool:
        """``kinerja NOUN ARGS`` without a verb, as the release before spelled it."""
        rest = argv[2:]
        if self.legacy_verb is None or (rest and rest[0] in HELP_FLAGS):
            return False
        return not rest or rest[0] not in verb_names(self.create_parser(argv[0], argv[1]))

    def print_help(self, prog_name: str, subcommand: str) -> None:
        translation.activate(cli_language())
        super().print_help(prog_name, subcommand)

    def run_from_argv(self, argv: list[str]) -> None:
        # Only a command line chooses the language; call_command keeps the caller's.
        translation.activate(cli_language())
        if self.is_old_spelling(argv):
            noun = argv[1]
            self.stderr.write(
                deprecation_note(noun, f"{noun} {self.legacy_verb}"), style_func=self.style.WARNING
            )
            argv = [*argv[:2], str(self.legacy_verb), *argv[2:]]
        super().run_from_argv(argv)


def alias(noun: str, verb: str | None = None) -> type[BaseCommand]:
    """The command of an old spelling: it runs ``kinerja NOUN VERB`` with the arguments it was
    given (without ``verb``, the old command's own verb is kept: ``community import`` →
    ``registry import``)."""

    class Alias(BaseCommand):
        alias_of = (noun, verb)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.help = _("Old spelling of kinerja %(new)s; goes in the next release.") % {
                "new": " ".join([noun, *([verb] if verb else [])])
            }

        def add_arguments(self, parser: CommandParser) -> None:
            parser.add_argument("args", nargs=argparse.REMAINDER)

        def run_from_argv(self, argv: list[str]) -> None:
            translation.activate(cli_language())
            old = argv[1:2] + (argv[2:3] if verb is None else [])
            new = [noun, *([verb] if verb else argv[2:3])]
            self.stderr.write(
                deprecation_note(" ".join(old), " ".join(new)), style_func=self.style.WARNING
            )
            target = load_command_class(get_commands()[noun], noun)
            target.run_from_argv([argv[0], noun, *([verb] if verb else []), *argv[2:]])

        def handle(self, *args: Any, **options: Any) -> None:
            call_command(
                noun, *([verb] if verb else []), *args, stdout=self.stdout, stderr=self.stderr
            )

    return Alias
