"""Which models keep a full history, and which org unit each row belongs to.

Every model listed here gets a django-simple-history historical model created in THIS app
(table ``audit_historical<model>``), so history tables and their migrations never land in the
owning app. A model is added here by name: a name that no longer imports fails loudly at start-up
rather than silently dropping a model from the audit trail.

``unit`` is the attribute path from a row to the OrgUnit it belongs to ("self" for OrgUnit, or
"fn:dotted.path" of a function returning the unit's path): the audit log is filtered by unit and
shown to those whose roles cover that unit.

Writes that bypass model signals (``bulk_create``, ``bulk_update``, ``QuerySet.update``) leave no
history; simple-history's ``bulk_create_with_history``/``bulk_update_with_history`` keep it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Tracked:
    model: str  # dotted path of the model class
    unit: str  # attribute path to its OrgUnit, or "self"
    excluded: tuple[str, ...] = field(default=())


TRACKED: tuple[Tracked, ...] = (
    Tracked("kinerja.accounts.models.OrgUnit", "self"),
    Tracked("kinerja.accounts.models.Membership", "unit"),
    Tracked("kinerja.plan.models.Plan", "unit"),
    Tracked("kinerja.plan.models.Goal", "plan.unit"),
    Tracked("kinerja.plan.models.Objective", "goal.plan.unit"),
    Tracked("kinerja.plan.models.Indicator", "plan.unit"),
    Tracked("kinerja.plan.models.Target", "indicator.plan.unit"),
    Tracked("kinerja.community.models.GroupKind", "city"),
    Tracked("kinerja.community.models.Group", "kelurahan"),
    Tracked(
        "kinerja.community.models.Activity", "fn:kinerja.community.unitpaths.activity_unit_path"
    ),
    Tracked(
        "kinerja.community.models.Evidence", "fn:kinerja.community.unitpaths.evidence_unit_path"
    ),
    Tracked("kinerja.surveys.models.Service", "unit"),
    Tracked("kinerja.surveys.models.ServiceVolume", "service.unit"),
    Tracked("kinerja.surveys.models.FollowUp", "unit"),
    Tracked("kinerja.surveys.models.PublishedIkm", "unit"),
    Tracked("kinerja.results.models.Result", "unit"),
    Tracked("kinerja.results.models.ManualValue", "unit"),
    Tracked("kinerja.results.models.YearLock", "plan.unit"),
    Tracked("kinerja.results.models.YearApproval", "plan.unit"),
)

# model label ("plan.target") → its Tracked entry, filled by register_history().
BY_LABEL: dict[str, Tracked] = {}


def register_history() -> None:
    import simple_history

    for spec in TRACKED:
        model: type[models.Model] = import_string(spec.model)
        if hasattr(model._meta, "simple_history_manager_attribute"):
            continue  # already registered (module imported twice in a test run)
        simple_history.register(
            model,
            app="kinerja.audit",
            excluded_fields=list(spec.excluded),
        )
        BY_LABEL[model._meta.label_lower] = spec


def common_path(paths: list[str]) -> str:
    """The deepest unit containing all of ``paths`` ("/a/b/c/" and "/a/b/d/" → "/a/b/")."""
    if not paths:
        return ""
    parts = [p.strip("/").split("/") for p in paths]
    shared: list[str] = []
    for names in zip(*parts, strict=False):
        if len(set(names)) != 1:
            break
        shared.append(names[0])
    return "/" + "/".join(shared) + "/" if shared else ""


def unit_path_of(instance: models.Model) -> str:
    """The materialised path of the row's org unit, or "" when it cannot be found."""
    spec = BY_LABEL.get(instance._meta.label_lower)
    if spec is None:
        return ""
    if spec.unit.startswith("fn:"):
        return str(import_string(spec.unit[3:])(instance))
    target: Any = instance
    if spec.unit != "self":
        try:
            for name in spec.unit.split("."):
                target = getattr(target, name)
                if target is None:
                    return ""
        except ObjectDoesNotExist:
            return ""
    return str(getattr(target, "path", "") or "")
