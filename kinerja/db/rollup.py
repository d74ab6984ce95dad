"""The daily rollup's statements: adding to day rows, the rollup's version, tallies of a subtree.

``surveys/rollup.py`` decides what to add and when the version goes up; this module only says
it to the database. The upsert and the version are one ``INSERT … ON CONFLICT`` each (the same
text on SQLite and PostgreSQL): the increments happen in the database, so concurrent writers
never lose each other's counts. The tally read is the ORM's aggregate written out once per
process: building and compiling that aggregate cost about twice the query itself, and an IKM is
asked for every cell of a results page.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Sum

from kinerja.accounts.models import OrgUnit
from kinerja.surveys.models import TOTAL_FIELDS, DailyTally, PublishedIkm, RollupVersion, Service

from .routing import read_alias, write_alias

COUNTERS = ("respondents", *TOTAL_FIELDS, "sum_s2")
# The names of a tally's sums, as ``tally_sums`` returns them.
SUM_NAMES = ("n", "s2", *TOTAL_FIELDS)
TallySums = dict[str, int | None]


class TallyAddition(NamedTuple):
    """What to add to the day row of one service (negative to take away)."""

    service_id: int
    unit_id: int
    day: date | str  # a date, or ISO text as the importer has it
    respondents: int
    totals: Sequence[int]
    sum_s2: int


@functools.cache  # the same text on every backend; built on every public POST otherwise
def _upsert_sql() -> str:
    table = DailyTally._meta.db_table
    columns = ", ".join(["service_id", "unit_id", "day", *COUNTERS])
    marks = ", ".join(["%s"] * (3 + len(COUNTERS)))
    added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT (service_id, day) DO UPDATE SET {added}"
    )


def add_to_tallies(rows: Sequence[TallyAddition]) -> None:
    """Add each row to its (service, day) row, creating it if missing: one executemany."""
    params = [[r.service_id, r.unit_id, r.day, r.respondents, *r.totals, r.sum_s2] for r in rows]
    with connections[write_alias(DailyTally)].cursor() as cursor:
        cursor.executemany(_upsert_sql(), params)


def add_to_tallies_orm(rows: Sequence[TallyAddition]) -> None:
    """``add_to_tallies`` in the ORM: an UPDATE by F() expressions, else a new row."""
    alias = write_alias(DailyTally)
    with transaction.atomic(using=alias):
        for r in rows:
            values = dict(zip(COUNTERS, [r.respondents, *r.totals, r.sum_s2], strict=True))
            day_rows = DailyTally.objects.using(alias).filter(service_id=r.service_id, day=r.day)
            if not day_rows.update(**{c: F(c) + v for c, v in values.items()}):
                DailyTally.objects.using(alias).create(
                    service_id=r.service_id, unit_id=r.unit_id, day=r.day, **values
                )


@functools.cache
def _version_sql() -> tuple[str, str]:
    table = RollupVersion._meta.db_table
    return (
        f"INSERT INTO {table} (id, number) VALUES (1, 1) "  # noqa: S608 - our names
        f"ON CONFLICT (id) DO UPDATE SET number = {table}.number + 1",
        f"SELECT number FROM {table} WHERE id = 1",  # noqa: S608 - our names
    )


def raise_version() -> None:
    """One more on the rollup's version (its one row, id 1, created at 1)."""
    with connections[write_alias(RollupVersion)].cursor() as cursor:
        cursor.execute(_version_sql()[0])


def raise_version_orm() -> None:
    alias = write_alias(RollupVersion)
    with transaction.atomic(using=alias):
        versions = RollupVersion.objects.using(alias).filter(pk=1)
        if not versions.update(number=F("number") + 1):
            RollupVersion.objects.using(alias).create(pk=1, number=1)


def read_version() -> int:
    """The rollup's version; 0 before it was first raised."""
    with connections[read_alias(RollupVersion)].cursor() as cursor:
        cursor.execute(_version_sql()[1])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def read_version_orm() -> int:
    number = RollupVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    return int(number or 0)


def tally_sums(path: str, start: date, end: date, codes: Sequence[str] = ()) -> TallySums:
    """Sums of the day rows of a unit subtree (by its ``path``) between two days (inclusive),
    of the services with these codes (all when none): one SQL aggregate."""
    return _read_tally(path, start, end, codes, None)[0]


def tally_sums_and_published(
    path: str, unit_id: int, year: int, start: date, end: date, codes: Sequence[str] = ()
) -> tuple[TallySums, bool]:
    """``tally_sums``, and whether the unit has a published IKM in force for ``year``, in the
    same statement: the single IKM would otherwise pay a second query on every call to learn
    what is almost always "no" (a published value is the rare history of a unit's year)."""
    sums, published = _read_tally(path, start, end, codes, (unit_id, year))
    return sums, bool(published)


def tally_sums_and_published_orm(
    path: str, unit_id: int, year: int, start: date, end: date, codes: Sequence[str] = ()
) -> tuple[TallySums, bool]:
    in_force = PublishedIkm.objects.filter(unit_id=unit_id, year=year, in_force=True)
    return tally_sums_orm(path, start, end, codes), in_force.exists()


def _read_tally(
    path: str, start: date, end: date, codes: Sequence[str], published: tuple[int, int] | None
) -> tuple[TallySums, int]:
    connection = connections[read_alias(DailyTally)]
    ops = connection.ops
    params: list[Any] = [] if published is None else [*published, True]
    params += [
        ops.prep_for_like_query(path) + "%",
        ops.adapt_datefield_value(start),
        ops.adapt_datefield_value(end),
        *codes,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_tally_sql(connection, len(codes), published is not None), params)
        row = cursor.fetchone()
    if published is None:
        return dict(zip(SUM_NAMES, row, strict=True)), 0
    return dict(zip(SUM_NAMES, row[1:], strict=True)), int(row[0])


def tally_sums_orm(path: str, start: date, end: date, codes: Sequence[str] = ()) -> TallySums:
    rows = DailyTally.objects.filter(unit__path__startswith=path, day__gte=start, day__lte=end)
    if codes:
        rows = rows.filter(service__code__in=list(codes))
    sums: dict[str, Any] = {"n": Sum("respondents"), "s2": Sum("sum_s2")}
    sums.update({name: Sum(name) for name in TOTAL_FIELDS})
    return rows.aggregate(**sums)


_tally_statements: dict[tuple[str, int, bool], str] = {}


def _tally_sql(connection: BaseDatabaseWrapper, services: int, published: bool = False) -> str:
    key = (connection.alias, services, published)
    if key not in _tally_statements:
        q = connection.ops.quote_name
        sums = ", ".join(f"SUM(t.{q(c)})" for c in ("respondents", "sum_s2", *TOTAL_FIELDS))
        if published:
            # A scalar subquery, not a join: it adds one column without touching the aggregate.
            sums = (
                f"(SELECT COUNT(*) FROM {q(PublishedIkm._meta.db_table)} p "  # noqa: S608
                f"WHERE p.{q('unit_id')} = %s AND p.{q('year')} = %s "
                f"AND p.{q('in_force')} = %s), {sums}"
            )
        # "path LIKE 'prefix%'" exactly as the ORM's startswith, escaping included.
        operators: dict[str, str] = connection.operators  # type: ignore[attr-defined]
        starts_with = operators["startswith"] % "%s"
        sql = (
            f"SELECT {sums} FROM {q(DailyTally._meta.db_table)} t "  # noqa: S608 - our names
            f"INNER JOIN {q(OrgUnit._meta.db_table)} u ON u.{q('id')} = t.{q('unit_id')} "
        )
        if services:
            sql += f"INNER JOIN {q(Service._meta.db_table)} s ON s.{q('id')} = t.{q('service_id')} "
        sql += f"WHERE u.{q('path')} {starts_with} AND t.{q('day')} >= %s AND t.{q('day')} <= %s"
        if services:
            sql += f" AND s.{q('code')} IN ({', '.join(['%s'] * services)})"
        _tally_statements[key] = sql
    return _tally_statements[key]
