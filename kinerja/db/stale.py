"""Marking stored results out of date, in the transaction of the write that made them so.

Every write that feeds a measure (a survey response from any channel, an activity, a group, a
manual value, a plan load) calls ``mark_units``: each plan covering a written unit gets a
``StaleMark`` per unit and year the write touches, plus the next year (``prev()`` formulas read
the year before). The mark is an upsert that moves ``marked_at`` forward, so a write made while a
recompute runs keeps its mark (docs/rules.md#live-results). Plain ORM: no hand-written SQL.

Once the transaction commits, the hooks registered with ``on_marked`` run (the results app
enqueues its background recompute there), once per transaction however many marks it wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.lib.models import StaleMark

MARK_FIELDS = ["plan", "unit", "year"]
hooks: list[Callable[[], None]] = []


def on_marked(hook: Callable[[], None]) -> None:
    """Run ``hook`` after each transaction that wrote marks has committed."""
    if hook not in hooks:
        hooks.append(hook)


def run_hooks() -> None:
    for hook in hooks:
        hook()


def span(start: int, end: int, baseline: int | None) -> set[int]:
    """The years a plan stores results for: its baseline year and its period."""
    return set(range(start, end + 1)) | ({baseline} if baseline else set())


def mark_units(units: Iterable[tuple[int, int | None]]) -> int:
    """Mark (unit id, year) pairs stale for every plan covering the unit; returns the marks
    written. Year None is every year of the plan (a group's change reaches all its years)."""
    pairs = set(units)
    if not pairs:
        return 0
    paths = dict(
        OrgUnit.objects.filter(pk__in={unit_id for unit_id, _ in pairs}).values_list("pk", "path")
    )
    wanted = {(unit_id, paths[unit_id], year) for unit_id, year in pairs if unit_id in paths}
    # Read by app label: the plan app sits above this floor and may not be imported here.
    # Only the columns needed: this runs on every public survey post.
    plans = apps.get_model("plan", "Plan").objects.values_list(
        "pk", "start_year", "end_year", "baseline_year", "unit__path"
    )
    now = timezone.now()
    marks = {}
    for plan_id, start, end, baseline, plan_path in plans:
        years = span(start, end, baseline)
        for unit_id, path, year in wanted:
            if not path.startswith(plan_path):
                continue
            touched_years = years if year is None else {year, year + 1} & years
            for touched in touched_years:
                marks[(plan_id, unit_id, touched)] = StaleMark(
                    plan_id=plan_id, unit_id=unit_id, year=touched, marked_at=now
                )
    return store(list(marks.values()))


def mark_plan(plan: Any) -> int:
    """Every unit and year of ``plan`` (a plan loaded or revised changes all its results)."""
    now = timezone.now()
    units = plan.unit.subtree().values_list("pk", flat=True)
    return store(
        [
            StaleMark(plan_id=plan.pk, unit_id=unit_id, year=year, marked_at=now)
            for unit_id in units
            for year in sorted(span(plan.start_year, plan.end_year, plan.baseline_year))
        ]
    )


def store(marks: list[StaleMark]) -> int:
    if not marks:
        return 0
    StaleMark.objects.bulk_create(
        marks,
        update_conflicts=True,
        unique_fields=MARK_FIELDS,
        update_fields=["marked_at"],
        batch_size=500,
    )
    # One hook per transaction: it is queued once, and goes with the transaction if it rolls back.
    connection = transaction.get_connection()
    if not any(entry[1] is run_hooks for entry in connection.run_on_commit):
        transaction.on_commit(run_hooks)
    return len(marks)
