"""The scratch database child processes share with a test: one they all reach, not the test's
own, and on PostgreSQL gone once the test is done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from kinerja.db.scratch import URL_VARIABLE, scratch_database

KINERJA = str(Path(sys.executable).parent / "kinerja")
RECORD = """
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
MigrationRecorder(connection).record_applied("scratch", "0001_first")
print(connection.vendor, connection.settings_dict["NAME"])
"""
READ = """
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
print(sorted(MigrationRecorder(connection).applied_migrations()))
"""


def child(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [KINERJA, "shell", "-v", "0", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


def test_children_share_a_database_of_their_own_dropped_afterwards(tmp_path: Path) -> None:
    on_postgresql = bool(os.environ.get(URL_VARIABLE))
    with scratch_database(tmp_path, KINERJA_ALLOWED_HOSTS="testserver") as env:
        assert env["KINERJA_VAR_DIR"] == str(tmp_path)
        assert env["KINERJA_ALLOWED_HOSTS"] == "testserver"
        vendor, name = child(env, RECORD).split()
        # A second process sees what the first wrote.
        assert child(env, READ) == "[('scratch', '0001_first')]"
        if on_postgresql:
            assert vendor == "postgresql" and name.startswith("kinerja_scratch_")
            assert env[URL_VARIABLE] != os.environ[URL_VARIABLE]
        else:
            assert vendor == "sqlite" and name == str(tmp_path / "kinerja.sqlite3")
            assert URL_VARIABLE not in env
    if on_postgresql:
        with pytest.raises(psycopg.OperationalError, match="does not exist"):
            psycopg.connect(env[URL_VARIABLE]).close()
