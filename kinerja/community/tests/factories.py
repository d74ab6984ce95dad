"""Small hand-made registries for the community tests."""

from __future__ import annotations

from datetime import date

from kinerja.accounts.models import OrgUnit
from kinerja.community.models import Activity, ActivityGroup, Group, GroupKind


def make_group(
    code: str,
    established: date,
    dissolved: date | None = None,
    kind: str = "rt",
    kelurahan: str = "kel-wonoasih",
    name: str | None = None,
) -> Group:
    return Group.objects.create(
        code=code,
        name=name or f"Kelompok {code}",
        kind=GroupKind.objects.get(code=kind, city=None),
        kelurahan=OrgUnit.objects.get(code=kelurahan),
        established=established,
        dissolved=dissolved,
    )


def make_activity(
    day: date, groups: list[Group], type: str = "facilitation", title: str | None = None
) -> Activity:
    activity = Activity.objects.create(date=day, type=type, title=title or f"Kegiatan {day}")
    ActivityGroup.objects.bulk_create([ActivityGroup(activity=activity, group=g) for g in groups])
    return activity
