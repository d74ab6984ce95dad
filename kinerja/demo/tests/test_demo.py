from __future__ import annotations

import pytest

from kinerja.accounts.models import OrgUnit
from kinerja.community.measures import (
    groups_facilitated,
    groups_fostered_cumulative,
    groups_total,
)
from kinerja.community.models import Activity, ActivityGroup, Group
from kinerja.demo import community as demo
from kinerja_core.periods import Period

pytestmark = pytest.mark.django_db


def test_it_loads_a_believable_registry_once(wonoasih) -> None:
    summary = demo.load(wonoasih)
    assert "DATA CONTOH" in summary
    groups, activities, links = (
        Group.objects.count(),
        Activity.objects.count(),
        ActivityGroup.objects.count(),
    )
    assert 100 <= groups <= 200
    assert Group.objects.filter(dissolved__isnull=False).exists()
    assert Group.objects.filter(established__year__gte=2020).exists()
    assert set(Group.objects.values_list("kelurahan__code", flat=True)) == {
        u.code for u in wonoasih.unit.subtree().filter(level="kelurahan")
    }
    assert Activity.objects.filter(date__year=2019).exists()
    assert Activity.objects.filter(date__year=2024).exists()
    demo.load(wonoasih)  # idempotent
    assert (Group.objects.count(), Activity.objects.count(), ActivityGroup.objects.count()) == (
        groups,
        activities,
        links,
    )


def test_it_makes_coverage_rise_year_on_year(wonoasih) -> None:
    demo.load(wonoasih)
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    facilitated, cumulative = [], []
    for year in range(2019, 2025):
        total = groups_total(kec, Period(year))
        facilitated.append(groups_facilitated(kec, Period(year)) / total)
        cumulative.append(groups_fostered_cumulative(kec, Period(year)) / total)
    assert cumulative == sorted(cumulative) and cumulative[0] < cumulative[-1]
    assert facilitated[-1] > facilitated[0]
    assert 0.1 < facilitated[0] < 0.35 and 0.3 < facilitated[-1] < 0.55
