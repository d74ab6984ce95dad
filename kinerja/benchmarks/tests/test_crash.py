"""The crash test in its short form: gunicorn SIGKILLed under load loses nothing acknowledged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KINERJA = str(Path(sys.executable).parent / "kinerja")


@pytest.mark.skipif(
    bool(os.environ.get("KINERJA_DATABASE_URL")),
    reason="the short crash test runs on its own SQLite file; make bench runs it on PostgreSQL",
)
def test_it_stores_every_acknowledged_submission_exactly_once_across_kills(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KINERJA_DATABASE_URL"}
    env["KINERJA_VAR_DIR"] = str(tmp_path)
    subprocess.run(
        [KINERJA, "migrate", "--no-input", "-v", "0", "--skip-checks"], env=env, check=True
    )
    done = subprocess.run(
        [KINERJA, "bench", "crash", "--submissions", "200", "--kills", "3", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["lost"] == [] and report["duplicated"] == []
    assert report["integrity"] == ["ok"] and report["rollup_equal"]
    assert report["acknowledged"] >= 190 and report["broken_connections"] > 0
    assert report["ok"] and done.returncode == 0
