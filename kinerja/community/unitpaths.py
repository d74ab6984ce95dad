"""Which org unit an activity or its evidence belongs to, for the audit log (kinerja/audit/tracked.py
names these functions; the audit app, a floor below community, does not import its models)."""

from __future__ import annotations

from typing import Any

from kinerja.audit.tracked import common_path

from .models import Activity, ActivityGroup


def activity_unit_path(activity: Any) -> str:
    """An activity belongs where its groups are. A new activity's links are written after the
    activity row, so its creation entry may carry no unit; later entries carry it."""
    if activity.pk is None:
        return ""
    paths = ActivityGroup.objects.filter(activity_id=activity.pk).values_list(
        "group__kelurahan__path", flat=True
    )
    return common_path(sorted(set(paths)))


def evidence_unit_path(evidence: Any) -> str:
    activity = Activity.objects.filter(pk=evidence.activity_id).first()
    return activity_unit_path(activity) if activity is not None else ""
