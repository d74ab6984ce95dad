"""Marking stored results out of date, in the transaction of the write that made them so.

Every write that feeds a measure (a survey response from any channel, an activity, a group, a
manual value, a plan load) calls ``mark_units``: each plan covering a written unit gets a
``StaleMark`` per unit and year the write touches, plus the next year (``prev()`` formulas read
the year before). The mark is an upsert that moves ``marked_at`` forward, so a write made while a
recompute runs keeps its mark (docs/rules.md#live-results).

A mark also says which kinds of data were written (``kinds``, one bit per ``MARK_KINDS``: the
sources of the measures, surveys, community, manual): the upsert ORs the write's bit in, so a run
recomputes only the indicators that read what changed (a public post: the survey indicators,
not the registry's). A write that names no kind, and a plan load, sets every bit.

``mark_units`` is one hand-written ``INSERT … SELECT … ON CONFLICT DO UPDATE`` (the same text on
SQLite and PostgreSQL) over the (unit, year) pairs written, each year and the next worked out
here, that finds the covering plans by joining unit and plan paths in the database; pairs of
every year (year None) go in a second statement whose years come from the plans (a recursive
CTE). ``mark_units_orm`` is its ORM twin (a read of the unit paths, a read of every plan, then
the upsert). Every public survey post runs it: three statements became one, and no plan cache
has to be kept right across processes (a plan loaded or a unit moved by another process is seen
by the very next mark, because there is nothing to invalidate).

Who queues the recompute. A mark counts its ``writes``; the statement returns them. Only a
transaction that *created* a mark (``writes`` 1) queues the recompute, through the hooks
registered with ``on_marked``, once it has committed. A write that only moved an existing
mark's ``marked_at`` queues nothing, and its mark is still read, because:

- the mark it moved was created by a committed transaction, which queued a run after committing;
- a run deletes a mark only with the ``marked_at`` it read, and ends by queuing the next run
  while any mark is left (``kinerja/results/live.py``), so a run never stops with a mark there;
- a mark is gone only after a run read it; the mover's upsert waits for a run's uncommitted
  delete (PostgreSQL) or is serialised after it (SQLite), and then, the row being gone, inserts:
  it created the mark, so it queues a run itself;
- a worker killed mid-run leaves its marks; the worker that starts next queues a run for them
  (``requeue``, called by ``kinerja jobs run`` when it starts).

So every committed mark is read by a run that is queued or running: a public post pays neither
the look into the task queue nor its insert, except for the first post after a run. The queuing
follows the commit, so a process killed between the two leaves new marks that no run will read:
the running worker finds them on its next sweep (``requeue`` every
``KINERJA_WORKER_SWEEP_SECONDS``), which queues a run unless one waits already.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.lib.models import EVERY_KIND, MARK_KINDS, StaleMark

from .routing import write_alias

MARK_FIELDS = ["plan", "unit", "year"]
hooks: list[Callable[[], None]] = []


def on_marked(hook: Callable[[], None]) -> None:
    """Run ``hook`` after each transaction that wrote marks has committed."""
    if hook not in hooks:
        hooks.append(hook)


def run_hooks() -> None:
    for hook in hooks:
        hook()


def kind_bit(kind: str | None) -> int:
    """The bit of a data kind (a measure's source, one of ``MARK_KINDS``); every bit for None."""
    return EVERY_KIND if kind is None else 1 << MARK_KINDS.index(kind)


def kinds_of(bits: int) -> frozenset[str] | None:
    """The kinds of data ``bits`` stand for; None when a write naming no kind is among them
    (then every indicator may have changed)."""
    known = (1 << len(MARK_KINDS)) - 1
    if bits & ~known:
        return None
    return frozenset(kind for i, kind in enumerate(MARK_KINDS) if bits & (1 << i))


def span(start: int, end: int, baseline: int | None) -> set[int]:
    """The years a plan stores results for: its baseline year and its period."""
    return set(range(start, end + 1)) | ({baseline} if baseline else set())


# (unit id, year) pairs per statement: two parameters each, well under SQLite's limit.
CHUNK = 500


@functools.cache
def _mark_sql(pairs: int, every_year: bool) -> str:
    """The upsert of the marks of ``pairs`` (unit id, year) pairs, each a year a write touched,
    or (``every_year``) of ``pairs`` unit ids, each in every year of its plans."""
    mark = StaleMark._meta.db_table
    plan = apps.get_model("plan", "Plan")._meta.db_table
    unit = OrgUnit._meta.db_table
    if every_year:
        # Every year of any plan, each unit in each; the join keeps the years of its plans.
        values = ", ".join(["(CAST(%s AS INTEGER))"] * pairs)
        touched = (
            f"WITH RECURSIVE wanted(unit_id) AS (VALUES {values}), "  # noqa: S608 - our names
            f"years(year) AS (SELECT CAST(start_year AS INTEGER) FROM {plan} "
            f"UNION SELECT CAST(baseline_year AS INTEGER) FROM {plan} "
            "WHERE baseline_year IS NOT NULL "
            f"UNION SELECT year + 1 FROM years WHERE year < (SELECT MAX(end_year) FROM {plan})), "
            "touched(unit_id, year) AS (SELECT w.unit_id, y.year FROM wanted w, years y) "
        )
    else:
        values = ", ".join(["(CAST(%s AS INTEGER), CAST(%s AS INTEGER))"] * pairs)
        touched = f"WITH touched(unit_id, year) AS (VALUES {values}) "
    # The WHERE of the SELECT is also what SQLite needs to tell its upsert from a join's ON.
    return (
        f"{touched}INSERT INTO {mark} (plan_id, unit_id, year, marked_at, writes, kinds) "  # noqa: S608
        "SELECT p.id, u.id, t.year, %s, 1, CAST(%s AS INTEGER) "
        f"FROM touched t JOIN {unit} u ON u.id = t.unit_id "
        f"JOIN {plan} p ON (t.year BETWEEN p.start_year AND p.end_year "
        "OR t.year = p.baseline_year) "
        f"JOIN {unit} pu ON pu.id = p.unit_id "
        "WHERE substr(u.path, 1, length(pu.path)) = pu.path "
        "ON CONFLICT (plan_id, unit_id, year) DO UPDATE SET marked_at = excluded.marked_at, "
        f"writes = {mark}.writes + 1, kinds = {mark}.kinds | excluded.kinds "
        "RETURNING writes"
    )


def mark_units(
    units: Iterable[tuple[int, int | None]], now: datetime | None = None, kind: str | None = None
) -> int:
    """Mark (unit id, year) pairs stale for every plan covering the unit, at ``now``, for data
    of ``kind`` (a measure's source; None: any); returns the marks written. Year None is every
    year of the plan (a group's change reaches all its years). The run is queued after commit
    when a mark was created (see the module doc)."""
    pairs = set(units)
    every = sorted({unit_id for unit_id, year in pairs if year is None})
    # The written year and the next (prev() reads it); a unit of every year needs neither.
    touched = sorted(
        {
            (unit_id, touched)
            for unit_id, year in pairs
            if year is not None and unit_id not in every
            for touched in (year, year + 1)
        }
    )
    connection = connections[write_alias(StaleMark)]
    stamp = StaleMark._meta.get_field("marked_at").get_db_prep_save(
        now or timezone.now(), connection
    )
    writes: list[int] = []
    with connection.cursor() as cursor:
        for rows, every_year in ((touched, False), ([(u,) for u in every], True)):
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                params: list[Any] = [value for row in chunk for value in row]
                cursor.execute(_mark_sql(len(chunk), every_year), [*params, stamp, kind_bit(kind)])
                writes.extend(row[0] for row in cursor.fetchall())
    if 1 in writes:
        _after_commit()
    return len(writes)


def mark_units_orm(
    units: Iterable[tuple[int, int | None]], now: datetime | None = None, kind: str | None = None
) -> int:
    """``mark_units`` in the ORM: the unit paths, every plan, then the upsert in Python."""
    pairs = set(units)
    if not pairs:
        return 0
    paths = dict(
        OrgUnit.objects.filter(pk__in={unit_id for unit_id, _ in pairs}).values_list("pk", "path")
    )
    wanted = {(unit_id, paths[unit_id], year) for unit_id, year in pairs if unit_id in paths}
    # Read by app label: the plan app sits above this floor and may not be imported here.
    plans = apps.get_model("plan", "Plan").objects.values_list(
        "pk", "start_year", "end_year", "baseline_year", "unit__path"
    )
    keys: set[tuple[int, int, int]] = set()
    for plan_id, start, end, baseline, plan_path in plans:
        years = span(start, end, baseline)
        for unit_id, path, year in wanted:
            if not path.startswith(plan_path):
                continue
            touched_years = years if year is None else {year, year + 1} & years
            keys.update((plan_id, unit_id, touched) for touched in touched_years)
    return store(sorted(keys), now or timezone.now(), kind_bit(kind))


def mark_plan(plan: Any) -> int:
    """Every unit and year of ``plan`` (a plan loaded or revised changes all its results)."""
    units = plan.unit.subtree().values_list("pk", flat=True)
    years = sorted(span(plan.start_year, plan.end_year, plan.baseline_year))
    keys = [(plan.pk, unit_id, year) for unit_id in units for year in years]
    return store(keys, timezone.now(), EVERY_KIND)


def store(keys: Sequence[tuple[int, int, int]], now: datetime, bits: int) -> int:
    """Upsert the marks of (plan id, unit id, year) ``keys`` at ``now`` for the kinds ``bits``
    with the ORM: the marks there are locked, moved and get the bits, the others created (the
    run queued after commit if so)."""
    if not keys:
        return 0
    wanted = set(keys)
    with transaction.atomic(using=write_alias(StaleMark)):
        # A superset read by each column, then narrowed here: no OR of thousands of terms.
        near = StaleMark.objects.select_for_update().filter(
            plan_id__in={k[0] for k in wanted},
            unit_id__in={k[1] for k in wanted},
            year__in={k[2] for k in wanted},
        )
        found = {
            (plan_id, unit_id, year): pk
            for pk, plan_id, unit_id, year in near.values_list("pk", "plan_id", "unit_id", "year")
            if (plan_id, unit_id, year) in wanted
        }
        StaleMark.objects.filter(pk__in=found.values()).update(
            marked_at=now, writes=F("writes") + 1, kinds=F("kinds").bitor(bits)
        )
        created = [
            StaleMark(plan_id=p, unit_id=u, year=y, marked_at=now, kinds=bits)
            for p, u, y in sorted(wanted - found.keys())
        ]
        # A mark another transaction created meanwhile is moved, not refused; it gets the bits
        # in a second statement (an upsert of the ORM sets a column, it cannot OR into it).
        StaleMark.objects.bulk_create(
            created,
            update_conflicts=True,
            unique_fields=MARK_FIELDS,
            update_fields=["marked_at"],
            batch_size=500,
        )
        if created:
            taken = {
                pk
                for pk, plan_id, unit_id, year, kinds in near.values_list(
                    "pk", "plan_id", "unit_id", "year", "kinds"
                )
                if (plan_id, unit_id, year) in wanted and kinds & bits != bits
            }
            StaleMark.objects.filter(pk__in=taken).update(kinds=F("kinds").bitor(bits))
    if created:
        _after_commit()
    return len(wanted)


def _after_commit() -> None:
    """Run the hooks once this transaction commits; once per transaction however many marks
    it wrote, and with the transaction if it rolls back."""
    connection = transaction.get_connection(write_alias(StaleMark))
    if not any(entry[1] is run_hooks for entry in connection.run_on_commit):
        transaction.on_commit(run_hooks, using=write_alias(StaleMark))


def requeue() -> None:
    """Run the hooks now if marks wait (what a worker killed mid-run left: see the module doc)."""
    if StaleMark.objects.exists():
        run_hooks()
