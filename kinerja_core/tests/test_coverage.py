from __future__ import annotations

from datetime import date
from decimal import Decimal

from kinerja_core.coverage import (
    ActivityRecord,
    CoverageCounts,
    GroupRecord,
    coverage_counts,
    exists_in_year,
    increase_percent,
    percent,
)
from kinerja_core.errors import Code
from kinerja_core.formula import NotComputable

GROUPS = [
    GroupRecord("RT01", date(2010, 1, 1), None, "RT"),
    GroupRecord("RT02", date(2010, 1, 1), date(2020, 1, 1), "RT"),  # dissolved on 1 Jan 2020
    GroupRecord("PKK", date(2015, 5, 1), None, "TP PKK"),
    GroupRecord("KT", date(2020, 12, 31), None, "Karang Taruna"),  # founded last day of 2020
    GroupRecord("KWT", date(2021, 1, 1), None, "Kelompok Tani/KWT"),
    GroupRecord("OLD", date(2005, 1, 1), date(2019, 12, 31), "RW"),  # gone before 2020
]

ACTIVITIES = [
    ActivityRecord(date(2019, 6, 1), frozenset({"RT01", "OLD"})),
    ActivityRecord(date(2020, 3, 1), frozenset({"PKK"})),
    ActivityRecord(date(2020, 12, 31), frozenset({"KT"}), "fostering"),
    ActivityRecord(date(2021, 1, 1), frozenset({"KWT", "RT01"})),
    ActivityRecord(date(2021, 2, 1), frozenset({"UNKNOWN"})),
]


def test_it_knows_which_groups_exist_in_a_year() -> None:
    by_code = {g.code: g for g in GROUPS}
    assert exists_in_year(by_code["RT02"], 2020)  # dissolved on 1 Jan: existed that day
    assert not exists_in_year(by_code["RT02"], 2021)
    assert exists_in_year(by_code["KT"], 2020)
    assert not exists_in_year(by_code["KT"], 2019)
    assert not exists_in_year(by_code["OLD"], 2020)
    assert exists_in_year(by_code["OLD"], 2019)


def test_it_counts_total_facilitated_and_fostered_per_year() -> None:
    assert coverage_counts(GROUPS, ACTIVITIES, 2019) == CoverageCounts(4, 2, 2)
    # 2020: RT01, RT02, PKK, KT exist; PKK and KT have 2020 activities; RT01 was fostered in 2019.
    assert coverage_counts(GROUPS, ACTIVITIES, 2020) == CoverageCounts(4, 2, 3)
    # 2021: RT01, PKK, KT, KWT exist; RT01 and KWT active in 2021; all four fostered by then.
    assert coverage_counts(GROUPS, ACTIVITIES, 2021) == CoverageCounts(4, 2, 4)
    assert coverage_counts(GROUPS, ACTIVITIES, 2010) == CoverageCounts(3, 0, 0)


def test_it_filters_by_kind_and_activity_type() -> None:
    assert coverage_counts(GROUPS, ACTIVITIES, 2020, kinds={"RT"}) == CoverageCounts(2, 0, 1)
    assert coverage_counts(
        GROUPS, ACTIVITIES, 2020, activity_types={"fostering"}
    ) == CoverageCounts(4, 1, 1)
    assert coverage_counts(GROUPS, ACTIVITIES, 2020, kinds=set()) == CoverageCounts(0, 0, 0)


def test_it_counts_a_group_once_however_many_activities() -> None:
    groups = [GroupRecord("A", date(2020, 1, 1), None)]
    activities = [ActivityRecord(date(2020, m, 1), frozenset({"A"})) for m in range(1, 13)]
    assert coverage_counts(groups, activities, 2020) == CoverageCounts(1, 1, 1)


def test_it_computes_percentages() -> None:
    assert percent(1, 4) == Decimal(25)
    third = percent(Decimal(1), Decimal(3))
    assert isinstance(third, Decimal)
    assert str(third).startswith("33.3333333333333333333333333333")
    assert percent(0, 0) == NotComputable.of(Code.VALUE_ZERO_DENOMINATOR)
    assert CoverageCounts(0, 0, 0).facilitated_percent == NotComputable.of(Code.COVERAGE_NO_GROUPS)
    reason = NotComputable.of(Code.VALUE_MISSING, name="x")
    assert percent(reason, 4) is reason
    counts = coverage_counts(GROUPS, ACTIVITIES, 2020)
    assert counts.facilitated_percent == Decimal(50)
    assert counts.fostered_percent == Decimal(75)


def test_it_computes_the_year_on_year_increase() -> None:
    assert increase_percent(Decimal(60), Decimal(50)) == Decimal(20)
    assert increase_percent(Decimal(40), Decimal(50)) == Decimal(-20)
    assert increase_percent(Decimal(60), Decimal(0)) == NotComputable.of(
        Code.COVERAGE_PREVIOUS_ZERO
    )
    reason = NotComputable.of(Code.VALUE_NOT_MEASURED)
    assert increase_percent(reason, Decimal(5)) is reason
    assert increase_percent(Decimal(5), reason) is reason
