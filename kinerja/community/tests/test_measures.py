from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kinerja.accounts.models import OrgUnit
from kinerja.community import measures
from kinerja.community.models import Activity, Group
from kinerja.lib import coremessages
from kinerja.test import other_kecamatan
from kinerja_core.coverage import ActivityRecord, GroupRecord, coverage_counts
from kinerja_core.formula import Formula, NotComputable
from kinerja_core.periods import Period

from .factories import make_activity, make_group

pytestmark = pytest.mark.django_db

MEASURES = {m.name: m for m in measures.MEASURES}

S1_1 = Formula.parse("groups_facilitated / groups_total * 100")
CAKUPAN = Formula.parse("groups_fostered_cumulative / groups_total * 100")
T1_1 = Formula.parse("(cakupan_pemas - prev(cakupan_pemas)) / prev(cakupan_pemas) * 100")


@pytest.fixture
def registry(wonoasih) -> dict[str, Group]:
    """Groups established/dissolved mid-year and on year edges, activities on 1 Jan and 31 Dec."""
    g = {
        "g1": make_group("G1", date(2015, 1, 1), kind="rt"),
        "g2": make_group("G2", date(2020, 7, 15), kind="rw"),
        "g3": make_group("G3", date(2010, 3, 1), date(2020, 6, 30), kind="lpmk"),
        "g4": make_group("G4", date(2021, 1, 1), kind="umkm"),
        "g5": make_group("G5", date(2019, 12, 31), kind="kube"),
        "g6": make_group("G6", date(2012, 5, 5), date(2019, 12, 31), kind="rt"),
        "g7": make_group("G7", date(2016, 2, 2), kind="posyandu", kelurahan="kel-pakistaji"),
    }
    other_kecamatan()
    g["g8"] = make_group("G8", date(2016, 2, 2), kelurahan="kel-pilang")
    make_activity(date(2019, 1, 1), [g["g1"], g["g3"]], "facilitation")
    make_activity(date(2019, 12, 31), [g["g5"], g["g6"]], "fostering")
    make_activity(date(2020, 12, 31), [g["g2"], g["g7"]], "fostering")
    make_activity(date(2021, 6, 15), [g["g4"], g["g1"], g["g8"]], "facilitation")
    return g


def counts(
    unit: str, period: Period, filters: dict[str, list[str]] | None = None
) -> tuple[Any, ...]:
    ou = OrgUnit.objects.get(code=unit)
    return (
        measures.groups_total(ou, period, filters or {}),
        measures.groups_facilitated(ou, period, filters or {}),
        measures.groups_fostered_cumulative(ou, period, filters or {}),
    )


def reference(unit: str, year: int, kinds=None, types=None) -> tuple[Any, ...]:
    ou = OrgUnit.objects.get(code=unit)
    groups = Group.objects.filter(ou.subtree_q("kelurahan")).select_related("kind")
    records = [GroupRecord(g.code, g.established, g.dissolved, g.kind.code) for g in groups]
    activities = [
        ActivityRecord(a.date, frozenset(g.code for g in a.groups.all()), a.type)
        for a in Activity.objects.prefetch_related("groups")
    ]
    c = coverage_counts(records, activities, year, kinds, types)
    return (c.total, c.facilitated, c.fostered_cumulative)


def test_it_counts_each_year_exactly(registry) -> None:
    assert counts("kec-wonoasih", Period(2018)) == (4, 0, 0)
    # the baseline year: G5 established on 31 Dec counts, G6 dissolved on 31 Dec counts
    assert counts("kec-wonoasih", Period(2019)) == (5, 4, 4)
    # G6 gone; G2 established mid-year counts; G3 dissolved mid-year counts
    assert counts("kec-wonoasih", Period(2020)) == (5, 2, 5)
    assert counts("kec-wonoasih", Period(2021)) == (5, 2, 5)
    # the other kecamatan's group and activity do not leak in; the city sees both
    assert counts("kota-probolinggo", Period(2021)) == (6, 3, 6)
    assert counts("kel-pakistaji", Period(2020)) == (1, 1, 1)


def test_it_matches_the_reference_for_every_year_unit_and_filter(registry) -> None:
    filters = [
        (None, None),
        (["rt"], None),
        (["rt", "posyandu"], None),
        (None, ["fostering"]),
        (None, ["facilitation"]),
        (["kube"], ["fostering"]),
    ]
    for unit in ["kec-wonoasih", "kel-pakistaji", "kota-probolinggo"]:
        for year in range(2018, 2023):
            for kinds, types in filters:
                given = {"kind": kinds or [], "activity_type": types or []}
                assert counts(unit, Period(year), given) == reference(unit, year, kinds, types), (
                    unit,
                    year,
                    kinds,
                    types,
                )


def test_it_applies_kind_and_activity_type_filters(registry) -> None:
    assert counts("kec-wonoasih", Period(2019), {"kind": ["rt"]}) == (2, 2, 2)
    assert counts("kec-wonoasih", Period(2019), {"activity_type": ["fostering"]}) == (5, 2, 2)
    assert counts("kec-wonoasih", Period(2020), {"activity_type": ["facilitation"]}) == (5, 0, 2)


def test_it_counts_a_quarter_from_the_first_of_january(registry) -> None:
    # Q2 2020 spans 1 Jan–30 Jun: G3 (dissolved 30 Jun) exists, G2 (from 15 Jul) not yet
    assert counts("kec-wonoasih", Period(2020, "quarter", 2)) == (4, 0, 3)
    assert counts("kec-wonoasih", Period(2019, "quarter", 1)) == (4, 2, 2)
    assert counts("kec-wonoasih", Period(2020, "quarter", 4)) == counts(
        "kec-wonoasih", Period(2020)
    )


def test_it_runs_one_query_per_measure(registry, django_assert_num_queries) -> None:
    unit = OrgUnit.objects.get(code="kec-wonoasih")
    for name in ["groups_total", "groups_facilitated", "groups_fostered_cumulative"]:
        compute = MEASURES[name].compute
        with django_assert_num_queries(1):
            assert isinstance(compute(unit, Period(2020), {"kind": ["rt"]}), int)


def indicators(unit: OrgUnit, year: int) -> tuple[Any, ...]:
    def values(y: int) -> dict[str, Any]:
        return {
            name: MEASURES[name].compute(unit, Period(y), {})
            for name in ["groups_total", "groups_facilitated", "groups_fostered_cumulative"]
        }

    now, before = values(year), values(year - 1)
    cakupan_now, cakupan_before = CAKUPAN.evaluate(now), CAKUPAN.evaluate(before)
    t1 = T1_1.evaluate({"cakupan_pemas": cakupan_now}, {"cakupan_pemas": cakupan_before})
    return S1_1.evaluate(now), cakupan_now, t1


def test_it_feeds_the_wonoasih_formulas_including_the_baseline(registry) -> None:
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    s1, cakupan, t1 = indicators(kec, 2020)
    assert s1 == Decimal(40)  # 2 of 5 facilitated in 2020
    assert cakupan == Decimal(100)  # 5 of 5 fostered up to 2020
    assert t1 == Decimal(25)  # (100 − 80) / 80 × 100, 80 = 4 of 5 in the baseline year 2019
    s1, cakupan, t1 = indicators(kec, 2019)
    assert s1 == Decimal(80) and cakupan == Decimal(80)
    # 2018: no group fostered yet, so the 2019 increase divides by zero: not computable
    assert isinstance(t1, NotComputable) and "nol" in coremessages.reason(t1)


def test_it_gives_not_computable_for_an_empty_kelurahan(registry) -> None:
    empty = OrgUnit.objects.get(code="kel-sumber-taman")
    assert counts("kel-sumber-taman", Period(2020)) == (0, 0, 0)
    s1, cakupan, t1 = indicators(empty, 2020)
    assert isinstance(s1, NotComputable) and "groups_total = 0" in coremessages.reason(s1)
    assert isinstance(cakupan, NotComputable) and isinstance(t1, NotComputable)


BATCH = ["groups_total", "groups_facilitated", "groups_fostered_cumulative"]


def test_its_batch_reader_gives_the_same_counts(registry, django_assert_num_queries) -> None:
    units = list(OrgUnit.objects.order_by("path"))  # city, both kecamatan, every kelurahan
    periods = [Period(y) for y in range(2018, 2023)] + [Period(2020, "quarter", 2)]
    filters = [
        {},
        {"kind": ["rt", "posyandu"]},
        {"kind": ["rt"], "activity_type": ["fostering"]},
        {"activity_type": ["fostering"]},
    ]
    reader = measures.CoverageBatch(units)
    for period in periods:
        for given in filters:
            # one query per period and activity types, whatever the kinds and measures
            first = not given or given == {"kind": ["rt"], "activity_type": ["fostering"]}
            for name in BATCH:
                with django_assert_num_queries(1 if first else 0):
                    batch = reader.values(name, period, given)
                first = False
                single = MEASURES[name].compute
                assert batch == {u.pk: single(u, period, given) for u in units}, (name, period)
    # a few units only, not starting at the root; none at all costs nothing
    kel = OrgUnit.objects.get(code="kel-pakistaji")
    assert measures.CoverageBatch([kel]).values("groups_total", Period(2020), {}) == {kel.pk: 1}
    with django_assert_num_queries(0):
        assert measures.CoverageBatch([]).values("groups_total", Period(2020), {}) == {}


def test_its_measures_name_the_batch_reader() -> None:
    assert set(MEASURES) == set(BATCH)
    for name in BATCH:
        assert MEASURES[name].batch is measures.CoverageBatch
