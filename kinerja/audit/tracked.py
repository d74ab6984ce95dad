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

A model tracked ``when_asked`` (survey responses) keeps history only for the saves an action
asks for (``ask_for_history``: a staff correction), never for its inserts or deletes: citizens'
answers arrive by the thousand on the public form's hot path and leave by the million when an
import is discarded, and neither is a change of a record someone typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.module_loading import import_string
from simple_history.models import HistoricalRecords

ASKED = "_history_asked"


@dataclass(frozen=True)
class Tracked:
    model: str  # dotted path of the model class
    unit: str  # attribute path to its OrgUnit, or "self"
    excluded: tuple[str, ...] = field(default=())
    when_asked: bool = False  # history only for the saves an action asks for (see above)
    # The model's labels before a rename ("monitoring.narrative"): audit entries keep the record
    # type they were hashed with, so the log finds a record's earlier entries under these.
    former: tuple[str, ...] = field(default=())
    # Fields whose history copies keep no index of their own: history rows are read by the
    # record's id and date, and each index is one more write per history row.
    unindexed: tuple[str, ...] = field(default=())


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
    Tracked(
        "kinerja.surveys.models.Response",
        "unit",
        excluded=("idempotency_key", "import_key"),  # one-time tokens, not what was answered
        when_asked=True,
    ),
    # A city's recompute writes ~47 000 history rows: the plan, indicator and unit indexes of
    # Django's foreign keys were three of their seven index writes, for no query (the result's
    # own id and the date find its history).
    Tracked("kinerja.results.models.Result", "unit", unindexed=("plan", "indicator", "unit")),
    Tracked("kinerja.results.models.ManualValue", "unit"),
    Tracked("kinerja.results.models.YearLock", "plan.unit"),
    Tracked("kinerja.results.models.YearApproval", "plan.unit"),
    Tracked("kinerja.budget.models.BudgetLine", "unit"),
    Tracked("kinerja.monitoring.models.Renaksi", "unit"),
    Tracked("kinerja.monitoring.models.QuarterTargets", "renaksi.unit"),
    Tracked("kinerja.monitoring.models.RenaksiAction", "renaksi.unit"),
    Tracked("kinerja.monitoring.models.QuarterReport", "unit"),
    Tracked(
        "kinerja.monitoring.models.QuarterNarrative",
        "report.unit",
        former=("monitoring.narrative",),
    ),
    Tracked("kinerja.reports.models.Signatory", "unit"),
    Tracked("kinerja.reports.models.SigningDate", "unit"),
    Tracked("kinerja.reports.models.IssuedDocument", "unit"),
    Tracked("kinerja.reports.models.LkjipNarrative", "unit"),
)

# model label ("plan.target") → its Tracked entry, filled by register_history().
BY_LABEL: dict[str, Tracked] = {}
# a former model label → the label of the model now ("monitoring.narrative" → ...quarternarrative).
RENAMED: dict[str, str] = {}


def labels_of(label: str) -> list[str]:
    """The record types the audit log holds a model's entries under: its label now and before
    any rename (entries keep the type they were hashed with)."""
    label = RENAMED.get(label, label)
    spec = BY_LABEL.get(label)
    return [label, *(spec.former if spec else ())]


class AskedHistoricalRecords(HistoricalRecords):  # type: ignore[misc]  # simple-history ships no types
    """History rows only for saves marked by ``ask_for_history``; no delete receivers at all,
    so Django deletes the rows of a query in one statement (a receiver makes it load each)."""

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            models.signals.pre_delete.disconnect(self.pre_delete, sender=sender)
            models.signals.post_delete.disconnect(self.post_delete, sender=sender)

    def post_save(
        self, instance: models.Model, created: bool, using: str | None = None, **kwargs: Any
    ) -> None:
        if getattr(instance, ASKED, False):
            delattr(instance, ASKED)
            super().post_save(instance, created, using=using, **kwargs)


def ask_for_history(instance: models.Model, user: Any = None, reason: str = "") -> None:
    """Mark ``instance`` so that its next save leaves a history row naming ``user`` (else the
    request's user) and ``reason``: for models tracked ``when_asked``."""
    setattr(instance, ASKED, True)
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]


def record_as_stored(instance: models.Model, stored_at: datetime) -> None:
    """Before the first asked-for change of ``instance`` (unchanged yet): its history row as it
    was stored, dated ``stored_at`` with no user, so the change shows what it changed. Written
    directly, not through the model's signal: it is no new event for the audit log."""
    manager = instance.history  # type: ignore[attr-defined]
    if manager.exists():
        return
    historical = manager.model
    historical.objects.create(
        history_date=stored_at,
        history_type="+",
        history_user=None,
        history_change_reason="",
        **{f.attname: getattr(instance, f.attname) for f in historical.tracked_fields},
    )


def register_history() -> None:
    import simple_history

    for spec in TRACKED:
        model: type[models.Model] = import_string(spec.model)
        if hasattr(model._meta, "simple_history_manager_attribute"):
            continue  # already registered (module imported twice in a test run)
        simple_history.register(
            model,
            app="kinerja.audit",
            records_class=AskedHistoricalRecords if spec.when_asked else None,
            excluded_fields=list(spec.excluded),
            no_db_index=list(spec.unindexed),
        )
        BY_LABEL[model._meta.label_lower] = spec
        RENAMED.update(dict.fromkeys(spec.former, model._meta.label_lower))


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
