"""Contract: the stale marks' upsert and its ORM twin write the same marks, count the same
writes and queue the recompute in the same cases; and the marks are the ones docs/rules.md
(live results) asks for. A wrong mark set leaves results stale for good."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from kinerja.db import stale
from kinerja.lib.models import StaleMark

from .conftest import Tree, outcome, raw_rows, unit

AT = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
Marker = Callable[..., int]
TWINS = [stale.mark_units, stale.mark_units_orm]


@pytest.fixture
def plans(tree: Tree) -> dict[str, Any]:
    """ "kota" 2021-2023 (baseline 2020) over the whole tree and "kec" 2023-2027 (baseline 2022)
    over the kecamatan: kel is in both; "kec_x" and "kecax" only in the first (their paths start
    like the kecamatan's but are not under it); "lain" is in no plan."""
    plan = apps.get_model("plan", "Plan")
    unit("lain", "city")
    made = {
        "kota": plan.objects.create(
            code="kota",
            title="kota",
            unit=tree.city,
            start_year=2021,
            end_year=2023,
            baseline_year=2020,
        ),
        "kec": plan.objects.create(
            code="kec",
            title="kec",
            unit=tree.kec,
            start_year=2023,
            end_year=2027,
            baseline_year=2022,
        ),
    }
    StaleMark.objects.all().delete()
    return made


def rows() -> list[tuple[Any, ...]]:
    return raw_rows(StaleMark, ["plan_id", "unit_id", "year", "marked_at", "writes", "kinds"])


def queued() -> bool:
    """Whether this transaction will run the hooks (queue the recompute) when it commits."""
    connection = transaction.get_connection()
    return any(entry[1] is stale.run_hooks for entry in connection.run_on_commit)


def marks() -> set[tuple[str, str, int]]:
    return {
        (m.plan.code, m.unit.code, m.year) for m in StaleMark.objects.select_related("plan", "unit")
    }


@pytest.fixture
def watched() -> Iterator[list[int]]:
    """Counts the hooks run; registered for the test only."""
    runs: list[int] = []
    hook = lambda: runs.append(1)  # noqa: E731
    stale.on_marked(hook)
    yield runs
    stale.hooks.remove(hook)


CASES: list[tuple[str, list[tuple[str, int | None]], set[tuple[str, str, int]]]] = [
    # kel is in both plans; 2021 and 2022 are in kota's period, kec starts at 2023
    # (baseline 2022).
    (
        "two plans",
        [("kel", 2021)],
        {("kota", "kel", 2021), ("kota", "kel", 2022), ("kec", "kel", 2022)},
    ),
    # The last year of kota: its next year is outside it, not outside kec.
    (
        "plan end",
        [("kel", 2023)],
        {("kota", "kel", 2023), ("kec", "kel", 2023), ("kec", "kel", 2024)},
    ),
    # kota's baseline, and kec's baseline for the kecamatan.
    (
        "baseline",
        [("kel", 2020), ("kec", 2022)],
        {
            ("kota", "kel", 2020),
            ("kota", "kel", 2021),
            ("kota", "kec", 2022),
            ("kota", "kec", 2023),
            ("kec", "kec", 2022),
            ("kec", "kec", 2023),
        },
    ),
    # Outside any plan; and paths that start like the kecamatan's: only kota's.
    (
        "outside",
        [("lain", 2021), ("wild", 2027), ("near", 2022)],
        {("kota", "kecax", 2022), ("kota", "kecax", 2023)},
    ),
    # Every year of each plan.
    (
        "year None",
        [("kel", None)],
        {
            *(("kota", "kel", y) for y in range(2020, 2024)),
            *(("kec", "kel", y) for y in range(2022, 2028)),
        },
    ),
    # Every year and one year of a unit in one write: every year, each mark written once;
    # beside it a year of another unit.
    (
        "year None and a year",
        [("kel", None), ("kel", 2021), ("kec", 2027)],
        {
            *(("kota", "kel", y) for y in range(2020, 2024)),
            *(("kec", "kel", y) for y in range(2022, 2028)),
            ("kec", "kec", 2027),
        },
    ),
    ("nothing", [], set()),
]


def pairs(tree: Tree, wanted: list[tuple[str, int | None]]) -> list[tuple[int, int | None]]:
    codes = {"kel": tree.kel, "kec": tree.kec, "wild": tree.wild, "near": tree.near}
    lain = apps.get_model("accounts", "OrgUnit").objects.get(code="lain")
    return [(codes.get(name, lain).pk, year) for name, year in wanted]


@pytest.mark.parametrize(("case", "wanted", "expected"), CASES, ids=[c[0] for c in CASES])
def test_both_write_the_marks_the_rules_ask_for(
    tree: Tree, plans: Any, case: str, wanted: Any, expected: Any
) -> None:
    given = pairs(tree, wanted)

    def written() -> tuple[set[tuple[str, str, int]], list[tuple[Any, ...]], bool]:
        return marks(), rows(), queued()

    fast = outcome(lambda: stale.mark_units(given, AT), written)
    twin = outcome(lambda: stale.mark_units_orm(given, AT), written)
    assert fast == twin
    assert fast[1][0] == expected
    assert fast[0] == len(expected)
    assert fast[1][2] is bool(expected)  # a new mark queues the recompute


@pytest.mark.parametrize("mark", TWINS)
def test_a_second_write_moves_the_mark_and_counts_it_without_queuing(
    tree: Tree, plans: Any, mark: Marker
) -> None:
    stale.mark_units([(tree.kel.pk, 2021)], AT)  # committed by an earlier write
    transaction.get_connection().run_on_commit.clear()

    def again() -> int:
        return mark([(tree.kel.pk, 2021)], LATER)

    def seen() -> tuple[list[tuple[Any, ...]], bool, set[datetime]]:
        return rows(), queued(), set(StaleMark.objects.values_list("marked_at", flat=True))

    written, (state, moved, stamps) = outcome(again, seen)
    assert written == 3 and not moved
    assert {(r[2], r[4]) for r in state} == {(2021, 2), (2022, 2)}
    assert stamps == {LATER}
    # One more mark (kel 2023) is new: that write queues the recompute.
    _written, (_state, new) = outcome(
        lambda: mark([(tree.kel.pk, 2021), (tree.kel.pk, 2022)], LATER), lambda: (rows(), queued())
    )
    assert new


def test_a_plan_or_unit_written_meanwhile_is_seen_by_the_next_mark(tree: Tree, plans: Any) -> None:
    """Nothing is cached between calls: the plans and paths of now are what marks."""
    plans["kota"].end_year = 2025
    plans["kota"].save()
    stale.mark_units([(tree.kel.pk, 2024)], AT)
    assert ("kota", tree.kel.pk, 2025) in {(p, u, y) for p, u, y in marks_by_id()}
    tree.kel.parent = tree.wild  # moved out of the kecamatan: only kota covers it now
    tree.kel.save()
    StaleMark.objects.all().delete()
    stale.mark_units([(tree.kel.pk, 2023)], AT)
    assert {p for p, _u, _y in marks_by_id()} == {"kota"}


def marks_by_id() -> set[tuple[str, int, int]]:
    return {(m.plan.code, m.unit_id, m.year) for m in StaleMark.objects.select_related("plan")}


def test_many_pairs_are_sent_in_chunks(tree: Tree, plans: Any, settings: Any) -> None:
    units = [unit(f"k{i}", "kelurahan", tree.kec) for i in range(stale.CHUNK + 3)]
    given = [(u.pk, 2024) for u in units]
    fast = outcome(lambda: stale.mark_units(given, AT), rows)
    twin = outcome(lambda: stale.mark_units_orm(given, AT), rows)
    assert fast == twin
    assert fast[0] == 2 * len(units)  # kec 2024 and 2025


def test_the_hooks_run_once_per_committed_transaction(
    tree: Tree, plans: Any, watched: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        stale.mark_units([(tree.kel.pk, 2021)], AT)
        stale.mark_units([(tree.kec.pk, 2021)], AT)
    assert watched == [1]
    with django_capture_on_commit_callbacks(execute=True):
        stale.mark_units([(tree.kel.pk, 2021)], LATER)  # moves marks only
    assert watched == [1]


def test_requeue_runs_the_hooks_only_when_marks_wait(
    tree: Tree, plans: Any, watched: list[int]
) -> None:
    stale.requeue()
    assert watched == []
    StaleMark.objects.create(plan=plans["kota"], unit=tree.kel, year=2021, marked_at=AT)
    stale.requeue()
    assert watched == [1]


def test_a_mark_keeps_the_kind_of_every_write_since_it_was_made(tree: Tree, plans: Any) -> None:
    """A survey write, then a community write of the next year: the marks both reach hold
    both kinds, the others one; the twins agree."""

    def writes(mark: Marker) -> Callable[[], int]:
        return lambda: (
            mark([(tree.kel.pk, 2021)], AT, kind="surveys")
            + mark([(tree.kel.pk, 2022)], LATER, kind="community")
        )

    def kinds() -> dict[tuple[str, int], frozenset[str] | None]:
        return {
            (m.plan.code, m.year): stale.kinds_of(m.kinds)
            for m in StaleMark.objects.select_related("plan")
        }

    fast = outcome(writes(stale.mark_units), lambda: (rows(), kinds()))
    twin = outcome(writes(stale.mark_units_orm), lambda: (rows(), kinds()))
    assert fast == twin
    both = frozenset({"surveys", "community"})
    assert fast[1][1] == {
        ("kota", 2021): frozenset({"surveys"}),
        ("kota", 2022): both,
        ("kec", 2022): both,
        ("kota", 2023): frozenset({"community"}),
        ("kec", 2023): frozenset({"community"}),
    }


def test_a_write_of_no_known_kind_and_a_plan_load_mark_every_kind(tree: Tree, plans: Any) -> None:
    stale.mark_units([(tree.kel.pk, 2021)], AT, kind="manual")
    stale.mark_units([(tree.kel.pk, 2021)], LATER)
    stale.mark_plan(plans["kec"])
    assert {stale.kinds_of(k) for k in StaleMark.objects.values_list("kinds", flat=True)} == {None}
    assert stale.kinds_of(stale.kind_bit("manual")) == frozenset({"manual"})
    with pytest.raises(ValueError):
        stale.kind_bit("nothing of ours")
