"""Long imports write in short transactions: nobody waits behind them, nothing half-done shows.

A 1,5 M-row import once held SQLite's write lock for its whole length: citizens got "database
is locked" after 20 s. Now a file is stored a chunk at a time under a batch that no reader sees
until one last short transaction commits it (docs/security.md).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from kinerja.db import peek
from kinerja.surveys import batches, rollup
from kinerja.surveys.importing import import_bytes
from kinerja.surveys.models import DailyTally, ImportBatch, Response, Service
from kinerja_core.errors import InputError

from .conftest import HEADER, csv_text, worked_rows

KINERJA = str(Path(sys.executable).parent / "kinerja")
ON_POSTGRESQL = bool(os.environ.get("KINERJA_DATABASE_URL"))


def tally(kec: Any) -> int:
    from datetime import date

    return rollup.tally_for(kec, date(2024, 1, 1), date(2024, 12, 31)).respondents


def many_rows(count: int, day: str = "2024-03-05") -> str:
    """``count`` distinct rows (ages and scores vary, so no two share a key by accident)."""
    lines = [HEADER]
    for i in range(count):
        scores = ",".join(str(1 + (i >> k) % 4) for k in range(9))
        lines.append(f"{day} {8 + i % 7:02d}:{i % 60:02d},ktp,L,{17 + i % 60},SMA,Swasta,{scores},")
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_it_keeps_a_refused_import_invisible_uncounted_and_then_gone(
    kec: Any, service: Any, settings: Any
) -> None:
    settings.KINERJA_IMPORT_CHUNK_ROWS = 10
    lines = many_rows(35).splitlines()
    lines.append("2024-03-05,ktp,,,,,4,4,4,4,4,4,4,4,7,")  # row 37: U9 out of range
    seen: list[tuple[int, int, int]] = []

    def progress(_rows: int) -> None:
        # After each stored chunk, as any reader would look.
        seen.append((Response.stored.count(), Response.objects.count(), tally(kec)))

    with pytest.raises(InputError) as caught:
        import_bytes(kec, ("\n".join(lines) + "\n").encode(), "late.csv", progress=progress)
    assert [(p.row, p.field) for p in caught.value.problems] == [(37, "U9")]
    # Three chunks were really written, each in its own transaction, and none was ever seen.
    assert seen == [(10, 0, 0), (20, 0, 0), (30, 0, 0)]
    assert Response.stored.count() == 0 and DailyTally.objects.count() == 0
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_it_discards_the_rows_when_the_last_transaction_fails(
    kec: Any, service: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinerja.audit import chain

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    settings.KINERJA_IMPORT_CHUNK_ROWS = 10
    monkeypatch.setattr(chain, "append", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        import_bytes(kec, many_rows(25).encode(), "a.csv")
    assert Response.stored.count() == 0 and DailyTally.objects.count() == 0
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_it_shows_a_chunked_import_only_once_it_is_committed(
    kec: Any, service: Any, settings: Any
) -> None:
    settings.KINERJA_IMPORT_CHUNK_ROWS = 7
    seen: list[tuple[int, int]] = []
    result = import_bytes(
        kec,
        many_rows(30).encode(),
        "a.csv",
        progress=lambda _rows: seen.append((Response.objects.count(), tally(kec))),
    )
    assert seen == [(0, 0)] * 5
    assert (result.rows, result.inserted) == (30, 30)
    assert Response.objects.count() == 30 and tally(kec) == 30
    assert ImportBatch.objects.get().state == ImportBatch.State.COMMITTED


@pytest.mark.django_db
def test_it_stores_the_same_rows_and_rollup_in_chunks_as_in_one_piece(
    kec: Any, service: Any, settings: Any
) -> None:
    def imported(chunk: int) -> tuple[list[Any], list[Any], list[Any]]:
        settings.KINERJA_IMPORT_CHUNK_ROWS = chunk
        first = csv_text(worked_rows()[:20]) + many_rows(13, day="2024-03-07").split("\n", 1)[1]
        again = csv_text(worked_rows()) + many_rows(17, day="2024-03-07").split("\n", 1)[1]
        counts = [
            (r.rows, r.inserted, r.skipped)
            for r in (
                import_bytes(kec, first.encode(), "a.csv"),
                import_bytes(kec, again.encode(), "b.csv"),
            )
        ]
        fields = ["service_id", "submitted_at", "day", "session", "age", "u1", "u9", "import_key"]
        rows = sorted(Response.objects.values_list(*fields))
        tallies = sorted(DailyTally.objects.values_list("day", "respondents", "t1", "t9", "sum_s2"))
        rollup.rebuild()
        assert (
            sorted(DailyTally.objects.values_list("day", "respondents", "t1", "t9", "sum_s2"))
            == tallies
        )
        Response.stored.all().delete()
        DailyTally.objects.all().delete()
        ImportBatch.objects.all().delete()
        return counts, rows, tallies

    chunked = imported(4)
    assert chunked == imported(5000)
    assert chunked[0] == [(33, 33, 0), (46, 13, 33)]


@pytest.mark.django_db
def test_it_refuses_a_second_import_of_a_unit_while_one_is_being_stored(
    kec: Any, service: Any, people: Any
) -> None:
    running = ImportBatch.objects.create(
        unit=kec, filename="besar.csv", state=ImportBatch.State.RUNNING, owner=batches.owner_here()
    )
    with pytest.raises(InputError, match="masih disimpan") as caught:
        import_bytes(kec, csv_text(worked_rows()).encode(), "a.csv")
    assert "besar.csv" in str(caught.value)
    # A check only is not held up, and does not count the running import's rows as stored.
    Response.stored.create(
        service=service, unit=kec, submitted_at="2024-03-05T01:00:00Z", day="2024-03-05",
        channel="import", batch=running, import_key="import:x",
        **{f"u{i}": 4 for i in range(1, 10)},
    )  # fmt: skip
    assert import_bytes(kec, csv_text(worked_rows()).encode(), "a.csv", dry_run=True).inserted == 29
    # Another host's import, heard from recently, is alive too.
    ImportBatch.objects.filter(pk=running.pk).update(owner="elsewhere:1", touched_at=timezone.now())
    with pytest.raises(InputError, match="masih disimpan"):
        import_bytes(kec, csv_text(worked_rows()).encode(), "a.csv")
    running.delete()
    Response.stored.all().delete()
    assert import_bytes(kec, csv_text(worked_rows()).encode(), "a.csv").inserted == 29


@pytest.mark.django_db
def test_it_cleans_up_an_abandoned_import_at_the_next_one(
    kec: Any, service: Any, settings: Any
) -> None:
    settings.KINERJA_IMPORT_CHUNK_ROWS = 2
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    host = batches.owner_here().rsplit(":", 1)[0]
    gone = ImportBatch.objects.create(
        unit=kec,
        filename="mati.csv",
        state=ImportBatch.State.RUNNING,
        owner=f"{host}:{dead.stdout.strip()}",
    )
    for i in range(5):
        Response.stored.create(
            service=service, unit=kec, submitted_at="2024-03-05T01:00:00Z", day="2024-03-05",
            channel="import", batch=gone, import_key=f"import:{i}",
            **{f"u{k}": 4 for k in range(1, 10)},
        )  # fmt: skip
    assert Response.objects.count() == 0
    assert import_bytes(kec, csv_text(worked_rows()).encode(), "a.csv").inserted == 29
    assert not ImportBatch.objects.filter(pk=gone.pk).exists()
    assert Response.stored.count() == Response.objects.count() == 29
    # A silent one (no chunk for KINERJA_IMPORT_STALE_SECONDS) elsewhere goes with the command.
    ImportBatch.objects.create(
        unit=kec, filename="diam.csv", state=ImportBatch.State.RUNNING, owner="elsewhere:1",
        touched_at="2024-01-01T00:00:00Z",
    )  # fmt: skip
    call_command("survey", "clean-imports")
    assert ImportBatch.objects.filter(state=ImportBatch.State.RUNNING).count() == 0


# The real thing, across processes, on a SQLite file (PostgreSQL never held one lock for all).


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var = tmp_path_factory.mktemp("migrated")
    subprocess.run(
        [KINERJA, "migrate", "--no-input", "-v", "0", "--skip-checks"], env=environ(var), check=True
    )
    shell(var, SETUP)
    return var


def environ(var: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KINERJA_DATABASE_URL"}
    env.update(KINERJA_VAR_DIR=str(var), KINERJA_ALLOWED_HOSTS="testserver", **extra)
    return env


def shell(var: Path, code: str) -> str:
    done = subprocess.run(
        [KINERJA, "shell", "-v", "0", "-c", code],
        env=environ(var),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


SETUP = """
from kinerja.surveys.tests.conftest import units
from kinerja.surveys.actions import do_save_service
do_save_service(units(), code="ktp", name="KTP", yearly_users={2024: 1000})
"""


@pytest.fixture
def var(migrated: Path, tmp_path: Path) -> Path:
    for name in ("kinerja.sqlite3", "secret_key"):
        (tmp_path / name).write_bytes((migrated / name).read_bytes())
    return tmp_path


def database(var: Path) -> Path:
    return var / "kinerja.sqlite3"


@pytest.fixture
def long_import(var: Path) -> Iterator[Callable[[int], subprocess.Popen[str]]]:
    children: list[subprocess.Popen[str]] = []

    def start(rows: int) -> subprocess.Popen[str]:
        path = var / "besar.csv"
        path.write_text(many_rows(rows), encoding="utf-8")
        child = subprocess.Popen(
            [KINERJA, "survey", "import", str(path), "--unit", "kec-wonoasih"],
            env=environ(var, KINERJA_IMPORT_CHUNK_ROWS="200"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        return child

    yield start
    for child in children:
        if child.poll() is None:
            child.kill()
        child.communicate()


def wait_for_stored_rows(var: Path, child: subprocess.Popen[str], rows: int) -> None:
    """Until the running import has committed ``rows`` rows (its batch says so)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        stored = peek.running_batch_rows(database(var))
        if stored and stored >= rows:
            return
        time.sleep(0.05)
    raise AssertionError("the import never showed a stored chunk while running")


@pytest.mark.skipif(ON_POSTGRESQL, reason="a SQLite file shared by processes")
def test_it_leaves_nothing_of_a_killed_import_and_cleans_it_up_next_time(
    var: Path, long_import: Callable[[int], subprocess.Popen[str]]
) -> None:
    child = long_import(20_000)
    wait_for_stored_rows(var, child, 1000)
    child.send_signal(signal.SIGKILL)
    child.wait()
    stored = peek.count_rows(Response, database(var))
    assert stored >= 1000
    visible = shell(
        var,
        "from kinerja.surveys.models import Response, DailyTally;"
        "print(Response.objects.count(), DailyTally.objects.count())",
    )
    assert visible.split() == ["0", "0"]
    small = var / "kecil.csv"
    small.write_text(csv_text(worked_rows()), encoding="utf-8")
    subprocess.run(
        [KINERJA, "survey", "import", str(small), "--unit", "kec-wonoasih"],
        env=environ(var),
        check=True,
        capture_output=True,
    )
    assert peek.count_rows(Response, database(var)) == 29
    assert peek.batch_states(database(var)) == {"committed": 1}
    assert peek.respondents(database(var)) == 29


POST = """
import json, re, sys, time
from urllib.parse import urlencode
from django.test import Client
from django.urls import reverse
from kinerja.surveys.models import Response, Service
service = Service.objects.get(code="ktp")
url = reverse("surveys_public:form", args=[service.slug])
client = Client()
html = client.get(url).content.decode()
data = {f"u{i}": "3" for i in range(1, 10)}
data.update(token=re.search(r'name="token" value="([^"]+)"', html).group(1), gender="P", age="34")
print("ready", flush=True)
sys.stdin.readline()
started = time.perf_counter()
answer = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
seconds = time.perf_counter() - started
stored = Response.objects.filter(channel="online").count()
print(json.dumps({"status": answer.status_code, "seconds": seconds, "stored": stored}))
"""


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's one write lock is what a long import held")
def test_it_answers_a_citizen_within_a_second_while_a_long_import_runs(
    var: Path, long_import: Callable[[int], subprocess.Popen[str]]
) -> None:
    citizen = subprocess.Popen(
        [KINERJA, "shell", "-v", "0", "-c", POST],
        env=environ(var),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert citizen.stdin is not None and citizen.stdout is not None
    assert citizen.stdout.readline().strip() == "ready"
    child = long_import(40_000)
    wait_for_stored_rows(var, child, 1000)
    citizen.stdin.write("go\n")
    citizen.stdin.flush()
    answer = json.loads(citizen.stdout.readline())
    citizen.wait()
    assert answer["status"] == 302 and answer["stored"] == 1
    assert answer["seconds"] < 1.0
    # The import was still storing when the citizen's answer came back: a fair test.
    assert child.poll() is None
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert "stored 40000 new responses" in out


@pytest.mark.django_db(transaction=True)
def test_it_still_recognises_a_file_imported_before_the_keys_moved(kec: Any, service: Any) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(target: str | None) -> None:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        # None: every app's latest, so the apps whose migrations follow the surveys' come back too
        executor.migrate([("surveys", target)] if target else executor.loader.graph.leaf_nodes())

    # Link codes made from a name may be longer than the old schema's 20 characters.
    Service.objects.filter(pk=service.pk).update(slug="wn-ktp")
    data = csv_text(worked_rows()).encode()
    assert import_bytes(kec, data, "a.csv").inserted == 29
    # The column is there in both schemas: the ORM's count reads only it.
    legacy = Response.stored.filter(idempotency_key__startswith="import:")
    try:
        migrate("0002_response_fk_indexes_in_composites")  # where keys were global
        assert legacy.count() == 29
    finally:
        migrate(None)
    assert legacy.count() == 0
    again = import_bytes(kec, data, "a.csv")
    assert (again.inserted, again.skipped) == (0, 29)
