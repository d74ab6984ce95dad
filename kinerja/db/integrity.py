"""The database's own checks after the crash test: nothing torn by the kills.

SQLite: ``PRAGMA integrity_check`` and ``foreign_key_check``. PostgreSQL: amcheck's
``bt_index_check`` on every index of the survey tables (when the extension can be created), and
no response without its day row in the rollup (``responses_without_tally``, whose twin
``responses_without_tally_orm`` asks the ORM). All on the primary; the engine's own checks have
no ORM twin.
"""

from __future__ import annotations

from django.db import transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Exists, OuterRef

from kinerja.surveys.models import DailyTally, Response

from .routing import writer


def responses_without_tally() -> int:
    """Responses whose (service, day) has no rollup row."""
    with writer(Response).cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {Response._meta.db_table} r "  # noqa: S608
            f"LEFT JOIN {DailyTally._meta.db_table} d ON d.service_id = r.service_id AND d.day = r.day "
            "WHERE d.id IS NULL"
        )
        return int(cursor.fetchone()[0])


def responses_without_tally_orm() -> int:
    tallies = DailyTally.objects.filter(service_id=OuterRef("service_id"), day=OuterRef("day"))
    return Response.stored.filter(~Exists(tallies)).count()


def integrity_problems() -> list[str]:
    """["ok"] when the database's own checks find nothing, else what they found."""
    connection = writer(Response)
    problems: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            problems = [r[0] for r in cursor.fetchall() if r[0] != "ok"]
            cursor.execute("PRAGMA foreign_key_check")
            problems += [f"foreign key: {r}" for r in cursor.fetchall()]
            return problems or ["ok"]
        try:
            # A savepoint: a failed check must not abort the caller's transaction.
            with transaction.atomic(using=connection.alias):
                _check_indexes(cursor)
        except Exception as exc:  # noqa: BLE001 - any amcheck failure is a finding to report
            problems.append(f"amcheck: {exc}")
    missing = responses_without_tally()
    if missing:
        problems.append(f"{missing} responses without a rollup row")
    return problems or ["ok"]


def _check_indexes(cursor: CursorWrapper) -> None:
    cursor.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
    cursor.execute(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am a ON a.oid = c.relam "
        "WHERE t.relname IN (%s, %s) AND a.amname = 'btree'",
        [Response._meta.db_table, DailyTally._meta.db_table],
    )
    for (index,) in cursor.fetchall():
        cursor.execute("SELECT bt_index_check(%s::regclass, true)", [index])
