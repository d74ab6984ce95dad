"""kinerja serve runs the background job worker beside gunicorn, and stops it with gunicorn."""

from __future__ import annotations

import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kinerja.ops import serving


@pytest.mark.django_db  # serve first checks the keys, and whether two-factor devices are stored
def test_it_names_the_worker_beside_gunicorn_unless_told_not_to() -> None:
    out = StringIO()
    call_command("server", "run", "--dry-run", stdout=out)
    first, second = out.getvalue().splitlines()
    assert "gunicorn kinerja.wsgi:application" in first
    assert second.endswith("-m kinerja.cli jobs run")
    out = StringIO()
    call_command("server", "run", "--dry-run", "--no-worker", stdout=out)
    assert len(out.getvalue().splitlines()) == 1


def test_it_restarts_a_dead_worker_and_stops_it_when_gunicorn_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serving, "WORKER_RESTART_SECONDS", 0.2)
    starts = tmp_path / "starts"
    web = [sys.executable, "-c", "import time; time.sleep(2); raise SystemExit(3)"]
    dying = [sys.executable, "-c", f"open({str(starts)!r}, 'a').write('x')"]
    assert serving.serve_with_worker(web, dying) == 3
    assert len(starts.read_text()) >= 2
    web = [sys.executable, "-c", "import time; time.sleep(1)"]
    lasting = [sys.executable, "-c", "import time; time.sleep(60)"]
    began = time.monotonic()
    assert serving.serve_with_worker(web, lasting) == 0
    assert time.monotonic() - began < 10  # the worker was stopped, not waited for
