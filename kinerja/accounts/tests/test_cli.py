"""The command line's look-ups: the org unit a command names by its code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinerja.accounts.cli import resolve_unit


def test_it_finds_the_unit_a_command_names(wonoasih: Any) -> None:
    assert resolve_unit("kel-wonoasih").code == "kel-wonoasih"
    # A code is matched whole: neither a prefix nor another case finds a unit.
    for code in ("kel-atlantis", "kel-wono", "KEL-WONOASIH", ""):
        with pytest.raises(CommandError, match=f"no org unit with code {code!r}"):
            resolve_unit(code)


def test_commands_refuse_an_unknown_unit_by_its_code(wonoasih: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no org unit with code 'kel-atlantis'"):
        call_command(
            "registry", "export", "-o", str(tmp_path / "out.csv"), "--unit", "kel-atlantis"
        )
    with pytest.raises(CommandError, match="no org unit with code 'kel-atlantis'"):
        call_command("survey", "rebuild-rollup", "--unit", "kel-atlantis")
