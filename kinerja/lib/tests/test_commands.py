"""The command line: ``kinerja NOUN VERB``, the spellings of the release before as aliases that
name the new one, and help in the UI language (Indonesian unless LANGUAGE asks for English)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import checks
from django.core.checks.registry import registry
from django.core.management import call_command, get_commands, load_command_class
from django.utils import translation

from kinerja.benchmarks.management.commands.bench import Command as BenchCommand
from kinerja.lib.commands import NounCommand, verb_names, verbs_of

KINERJA = str(Path(sys.executable).parent / "kinerja")

# Every spelling of the release before and the one that replaces it.
OLD_SPELLINGS = {
    "community": "registry",
    "recompute": "results recompute",
    "iku": "results iku",
    "ikm": "survey ikm",
    "sample-size": "survey sample-size",
    "worker": "jobs run",
    "serve": "server run",
    "restore": "backup restore",
    "reset_two_factor": "user reset-two-factor",
}
LEGACY_VERBS = {"demo": "load", "backup": "create", "report": "write"}


def kinerja(tmp_path: Path, *args: str, language: str | None = None) -> Any:
    env = {k: v for k, v in os.environ.items() if k not in {"LANGUAGE", "DJANGO_SETTINGS_MODULE"}}
    env["KINERJA_VAR_DIR"] = str(tmp_path)
    if language is not None:
        env["LANGUAGE"] = language
    return subprocess.run(
        [KINERJA, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def words(text: str) -> str:
    return " ".join(text.split())


def kinerja_commands() -> dict[str, Any]:
    return {
        name: load_command_class(app, name)
        for name, app in get_commands().items()
        if app.startswith("kinerja.")
    }


def test_every_kinerja_command_is_a_noun_with_verbs_or_an_old_spelling() -> None:
    commands = kinerja_commands()
    nouns = {name for name, c in commands.items() if isinstance(c, NounCommand)}
    aliases = {name: c.alias_of for name, c in commands.items() if hasattr(c, "alias_of")}
    assert set(commands) == nouns | set(aliases)
    assert {
        old: " ".join(v for v in target if v) for old, target in aliases.items()
    } == OLD_SPELLINGS
    for old, (noun, verb) in aliases.items():
        verbs = verb_names(commands[noun].create_parser("kinerja", noun))
        assert verb in verbs if verb else verbs == ["import", "export"], old
    assert {n: commands[n].legacy_verb for n in nouns if commands[n].legacy_verb} == LEGACY_VERBS
    assert "kinerja.benchmarks" not in settings.INSTALLED_APPS  # only its own settings have it


def help_texts(command: NounCommand, noun: str) -> list[str]:
    """Everything ``kinerja NOUN --help`` and ``kinerja NOUN VERB --help`` print of their own."""
    parser = type(command)().create_parser("kinerja", noun)
    texts = [parser.description or ""]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            texts += [str(a.help) for a in action._choices_actions]
    for verb in verbs_of(parser).values():
        texts += [str(a.help) for a in verb._actions if a.help]
    return texts


def test_every_help_text_has_an_indonesian_translation() -> None:
    nouns = {n: c for n, c in kinerja_commands().items() if isinstance(c, NounCommand)}
    nouns["bench"] = BenchCommand()
    for noun, command in nouns.items():
        with translation.override("id"):
            indonesian = help_texts(command, noun)
        with translation.override("en"):
            english = help_texts(command, noun)
        untranslated = [en for en, id_ in zip(english, indonesian, strict=True) if en == id_]
        assert untranslated == [], noun


def test_the_new_grammar_and_an_old_spelling_give_the_same_answer(tmp_path: Path) -> None:
    new = kinerja(tmp_path, "survey", "sample-size", "1000", "--json")
    old = kinerja(tmp_path, "sample-size", "1000", "--json")
    assert new.returncode == old.returncode == 0, old.stderr
    assert '"sample": 278' in new.stdout and old.stdout == new.stdout
    assert new.stderr == ""
    assert old.stderr.splitlines() == [
        "`kinerja sample-size` adalah ejaan lama dan dihapus pada rilis berikutnya: "
        "gunakan `kinerja survey sample-size`."
    ]


def test_an_old_spelling_without_a_verb_runs_the_verb_it_meant(tmp_path: Path) -> None:
    done = kinerja(tmp_path, "report", "iku", "--help", language="en")
    assert done.returncode == 0
    assert done.stdout.startswith("usage: kinerja report write")
    assert done.stderr.splitlines() == [
        "`kinerja report` is an old spelling and goes in the next release: use "
        "`kinerja report write`."
    ]
    noun_help = kinerja(tmp_path, "backup", "--help")
    assert noun_help.stderr == "" and "create" in noun_help.stdout and "restore" in noun_help.stdout


@pytest.mark.parametrize(
    ("old", "new"),
    [(["demo"], ["demo", "load"]), (["backup", "x.tar.gz"], ["backup", "create", "x.tar.gz"])],
)
def test_it_tells_an_old_spelling_by_its_missing_verb(old: list[str], new: list[str]) -> None:
    command = load_command_class(get_commands()[old[0]], old[0])
    assert isinstance(command, NounCommand)
    assert command.is_old_spelling(["kinerja", *old])
    assert not command.is_old_spelling(["kinerja", *new])
    assert not command.is_old_spelling(["kinerja", old[0], "--help"])


def test_help_is_indonesian_unless_language_asks_for_english(tmp_path: Path) -> None:
    indonesian = kinerja(tmp_path, "plan", "--help")
    assert indonesian.returncode == 0
    assert indonesian.stdout.startswith("pemakaian: kinerja plan")
    assert "Memuat, mengekspor, atau memeriksa berkas rencana" in words(indonesian.stdout)
    assert "tampilkan bantuan ini lalu keluar" in words(indonesian.stdout)
    english = kinerja(tmp_path, "plan", "--help", language="en_GB:id")
    assert "Load, export or check a plan file" in words(english.stdout)
    overview = kinerja(tmp_path)
    assert "Pemakaian: kinerja OBJEK TINDAKAN" in overview.stdout
    assert "recompute → results recompute" in words(overview.stdout)


def test_bench_runs_with_the_settings_that_install_it(tmp_path: Path) -> None:
    done = kinerja(tmp_path, "bench", "--help")
    assert done.returncode == 0, done.stderr
    assert "generate" in done.stdout and "crash" in done.stdout


class _Checked(NounCommand):
    summary = "checked verbs"
    verbs_without_url_checks = frozenset({"store"})

    def add_verbs(self, verbs: Any) -> None:
        verbs.add_parser("store")
        verbs.add_parser("show")

    def handle(self, *args: Any, **options: Any) -> None:
        pass  # only the checks before a verb are tested


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("verb", "expected"), [("store", {"models"}), ("show", {"models", "urls"})]
)
def test_a_verb_that_only_stores_runs_every_check_but_the_url_configurations(
    verb: str, expected: set[str]
) -> None:
    ran: set[str] = set()

    def url_check(**kwargs: Any) -> list[checks.CheckMessage]:
        ran.add("urls")
        return []

    def model_check(**kwargs: Any) -> list[checks.CheckMessage]:
        ran.add("models")
        return []

    checks.register(url_check, checks.Tags.urls)
    checks.register(model_check, checks.Tags.models)
    try:
        call_command(_Checked(), verb, skip_checks=False)
    finally:
        registry.registered_checks.difference_update({url_check, model_check})
    assert ran == expected
    survey = load_command_class("kinerja.surveys", "survey")
    assert isinstance(survey, NounCommand) and "import" in survey.verbs_without_url_checks


WROTE = {"id": "Tersimpan {} ({} bita).", "en": "Wrote {} ({} bytes)."}


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "export", "wonoasih-2020-2024", "-o", "rencana.yaml"],
        ["registry", "export", "-o", "registri.xlsx"],
        ["registry", "export", "--kind", "activities", "-o", "kegiatan.csv"],
        ["budget", "export", "--unit", "kec-wonoasih", "--year", "2024", "-o", "anggaran.csv"],
        ["budget", "export", "--unit", "kec-wonoasih", "--year", "2024", "-o", "anggaran.xlsx"],
    ],
)
def test_an_export_says_what_it_wrote_in_the_ui_language(
    wonoasih: Any, tmp_path: Path, argv: list[str]
) -> None:
    target = tmp_path / argv[-1]
    for language, line in WROTE.items():
        out = StringIO()
        with translation.override(language):
            call_command(*argv[:-1], str(target), stdout=out)
        size = target.stat().st_size
        grouped = f"{size:,}".replace(",", "." if language == "id" else ",")
        assert size > 0 and out.getvalue() == line.format(target, grouped) + "\n"


def test_plan_load_and_history_speak_the_ui_language(wonoasih: Any, tmp_path: Path) -> None:
    path = tmp_path / "rencana.yaml"
    call_command("plan", "export", "wonoasih-2020-2024", "-o", str(path), stdout=StringIO())
    said = {}
    for language in ("id", "en"):
        out = StringIO()
        with translation.override(language):
            call_command("plan", "load", str(path), stdout=out)
            call_command("plan", "history", "wonoasih-2020-2024", stdout=out)
        said[language] = out.getvalue()
    assert said["id"].startswith(
        "Rencana wonoasih-2020-2024 dimuat: 2 tujuan, 4 indikator, 2020–2024.\n"
    )
    assert said["en"].startswith(
        "Loaded plan wonoasih-2020-2024: 2 goals, 4 indicators, 2020–2024."
    )
    assert "ditambahkan 4" in said["id"] and "added 4" in said["en"]
