"""What a process keeps drawn or worded is bounded by named settings (kinerja/settings.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings

from kinerja.lib import charts, coremessages
from kinerja_core.errors import Code, Message

NAMES = ("KINERJA_TREND_CHARTS_KEPT", "KINERJA_WORDED_MESSAGES_KEPT")


def read(tmp_path: Path, **given: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in NAMES}
    env.update(KINERJA_VAR_DIR=str(tmp_path), **given)
    code = "import kinerja.settings as s; print(" + ", ".join(f"s.{n}" for n in NAMES) + ")"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_the_bounds_have_defaults_and_keep_one_at_least(tmp_path: Path) -> None:
    assert read(tmp_path) == ["2048", "1024"]
    assert read(tmp_path, KINERJA_TREND_CHARTS_KEPT="10", KINERJA_WORDED_MESSAGES_KEPT="5") == [
        "10",
        "5",
    ]
    assert read(tmp_path, KINERJA_TREND_CHARTS_KEPT="0", KINERJA_WORDED_MESSAGES_KEPT="-3") == [
        "1",
        "1",
    ]


def test_the_chart_memo_holds_as_many_charts_as_set() -> None:
    info = charts._trend_chart.cache_info()
    assert info.maxsize == django_settings.KINERJA_TREND_CHARTS_KEPT


def test_the_worded_messages_are_dropped_when_the_memo_is_full(settings: Any) -> None:
    settings.KINERJA_WORDED_MESSAGES_KEPT = 2
    coremessages.WORDED.clear()
    try:
        for year in (2020, 2021, 2022):
            coremessages.text(Message.of(Code.IKM_NO_RESPONDENTS, year=year))
            assert len(coremessages.WORDED) <= 2
        assert len(coremessages.WORDED) == 1  # full at the third: emptied, then the third kept
    finally:
        coremessages.WORDED.clear()
