"""Writes of the results app: recompute, manual values, year approval, year locks and applying
locked changes.

Views, commands and the demo call these and nothing else, so the rules hold everywhere: a
recompute stores only real changes (an unchanged row keeps its computed_at), a year is locked
only once its realisation is approved, a locked year's results never change silently, and every
applied change is logged with who, when and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.audit import chain
from kinerja.audit.models import AuditEntry
from kinerja.db import stale
from kinerja.db.results import create_results, update_results
from kinerja.db.routing import write_alias
from kinerja.lib.evidence import evidence_type
from kinerja.lib.models import StaleMark
from kinerja.plan.models import Indicator, Plan
from kinerja.plan.targets import with_targets
from kinerja_core.periods import Period, quarters

from .engine import Evaluator, Outcome
from .models import (
    ManualValue,
    PendingChange,
    Result,
    ResultChange,
    YearApproval,
    YearLock,
    period_values,
)
from .recompute_lock import recompute_transaction

Progress = Callable[[Iterable[Any], int], Iterable[Any]]
User = AuthUser | AnonymousUser


def no_progress(items: Iterable[Any], total: int) -> Iterable[Any]:
    return items


def plan_years(plan: Plan) -> list[int]:
    """The baseline year (if any) then the plan's years: every year results exist for."""
    return ([plan.baseline_year] if plan.baseline_year else []) + plan.years


def recompute_periods(plan: Plan, years: Iterable[int] | None = None) -> list[Period]:
    """Each year with its four quarters; the baseline year only as a whole year."""
    wanted = set(years) if years is not None else None
    periods: list[Period] = []
    for year in plan_years(plan):
        if wanted is not None and year not in wanted:
            continue
        periods.append(Period(year))
        if year in plan.years:
            periods.extend(quarters(year))
    return periods


def recompute_units(plan: Plan) -> list[OrgUnit]:
    """The plan's unit and every unit under it (a kecamatan and its kelurahan, or a city's)."""
    return list(plan.unit.subtree().order_by("path"))


@dataclass
class RecomputeSummary:
    plan: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    pending: int = 0

    def __str__(self) -> str:
        # Read by officers after the button: results counted in plain words, no internals.
        return _(
            "%(plan)s: %(created)s new results, %(updated)s changed, %(unchanged)s unchanged, "
            "%(deleted)s removed; %(pending)s changes wait in locked years until applied"
        ) % {
            "plan": self.plan,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "pending": self.pending,
        }


def plan_indicators(evaluator: Evaluator, kinds: frozenset[str] | None = None) -> list[Indicator]:
    """Every definition any version of the plan holds (each period computes those in force in
    its year), with their targets; of ``kinds`` given, only those that read data of one of them
    (a measure's source)."""
    indicators = list(Indicator.objects.filter(plan=evaluator.plan))
    if kinds is not None:
        indicators = [ind for ind in indicators if evaluator.data_kinds(ind) & kinds]
    return with_targets(indicators)


def compute_outcomes(
    evaluator: Evaluator,
    units: list[OrgUnit],
    periods: list[Period],
    progress: Progress,
    indicators: list[Indicator] | None = None,
) -> Iterator[tuple[Indicator, OrgUnit, Period, Outcome]]:
    if indicators is None:
        indicators = plan_indicators(evaluator)
    targets = {ind.pk: list(ind.targets.all()) for ind in indicators}
    # Measures with a batch form are then read once per period for all the units.
    evaluator.batch_over(units)
    pairs = [(unit, period) for unit in units for period in periods]
    for unit, period in progress(pairs, len(pairs)):
        for indicator in indicators:
            if not indicator.in_force(period.year):
                continue
            yield (
                indicator,
                unit,
                period,
                evaluator.outcome(indicator, targets[indicator.pk], unit, period),
            )


def require_on_plan(user: User | None, action: str, unit: OrgUnit) -> None:
    """``user`` None is the system (a command without ``--as``, the demo): full rights."""
    if user is not None and not access.can(user, action, unit):
        raise PermissionDenied(action)


def do_recompute(
    plan: Plan,
    years: Iterable[int] | None = None,
    progress: Progress = no_progress,
    user: User | None = None,
) -> RecomputeSummary:
    """Compute every indicator of ``plan`` for every unit and period and store what changed.

    One recompute of a plan at a time: a second one waits for the first (a bounded time), then
    runs on what the first stored, or raises ``RecomputeBusy`` (see recompute_lock.py).
    """
    require_on_plan(user, access.EDIT_RESULTS, plan.unit)
    periods = recompute_periods(plan, years)
    year_set = {p.year for p in periods}
    summary = RecomputeSummary(plan.code)
    # Stored reasons and labels are text: fix the language so a recompute by an English-speaking
    # user does not "change" every row.
    with translation.override(settings.LANGUAGE_CODE), recompute_transaction(plan):
        started = timezone.now()
        outcomes = compute_outcomes(Evaluator(plan), recompute_units(plan), periods, progress)
        store_outcomes(plan, outcomes, year_set, summary)
        # The marks this run has worked off; a later write keeps its own (docs/rules.md#live-results).
        StaleMark.objects.filter(plan=plan, year__in=year_set, marked_at__lte=started).delete()
    return summary


def store_outcomes(
    plan: Plan,
    outcomes: Iterable[tuple[Indicator, OrgUnit, Period, Outcome]],
    year_set: set[int],
    summary: RecomputeSummary,
    unit_ids: set[int] | None = None,
) -> None:
    """Compare ``outcomes`` with the stored results of ``year_set`` (of ``unit_ids`` only, when
    given) and store what changed; called inside the plan's recompute transaction."""
    scope = Scope(plan, year_set, unit_ids)
    write_changes(scope, compare_outcomes(scope, outcomes, summary))


@dataclass(frozen=True)
class Scope:
    """The stored rows a recompute compares with: a plan's in some years, of some units and
    indicators only when given (None: all)."""

    plan: Plan
    years: set[int]
    unit_ids: set[int] | None = None
    indicator_ids: set[int] | None = None

    def where(self) -> dict[str, Any]:
        where: dict[str, Any] = {"plan": self.plan, "year__in": sorted(self.years)}
        if self.unit_ids is not None:
            where["unit_id__in"] = sorted(self.unit_ids)
        if self.indicator_ids is not None:
            where["indicator_id__in"] = sorted(self.indicator_ids)
        return where


@dataclass(frozen=True)
class Seen:
    """What a comparison read: each stored result and pending change by id with the time it was
    written (every write of either sets that time), and the locked years. Two equal reads saw
    the same rows with the same values."""

    results: dict[int, Any]
    pending: dict[int, Any]
    locked: frozenset[int]


def seen_now(scope: Scope) -> Seen:
    """``Seen`` of the rows there are now: their ids and times only, a few cheap reads."""
    alias = write_alias(Result)
    where = scope.where()
    # Unordered: the models' orderings join the indicators and units.
    results = Result.objects.using(alias).filter(**where).order_by()
    pending = PendingChange.objects.using(alias).filter(**where).order_by()
    return Seen(
        dict(results.values_list("pk", "computed_at")),
        dict(pending.values_list("pk", "detected_at")),
        locked_years(scope),
    )


def locked_years(scope: Scope) -> frozenset[int]:
    locks = YearLock.objects.using(write_alias(YearLock))
    years = locks.filter(plan=scope.plan, year__in=scope.years).values_list("year", flat=True)
    return frozenset(years)


@dataclass
class Changes:
    """What a comparison found to write: new and changed results (their values, the time of
    the write is added when they are written), results no longer produced, pending changes."""

    seen: Seen
    create: list[dict[str, Any]] = field(default_factory=list)
    update: list[dict[str, Any]] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    new_pending: list[PendingChange] = field(default_factory=list)
    changed_pending: list[PendingChange] = field(default_factory=list)
    drop_pending: list[int] = field(default_factory=list)


def compare_outcomes(
    scope: Scope,
    outcomes: Iterable[tuple[Indicator, OrgUnit, Period, Outcome]],
    summary: RecomputeSummary,
) -> Changes:
    """Compare ``outcomes`` with the stored rows of ``scope`` and count them in ``summary``;
    writes nothing, so it may run before the recompute transaction (then that transaction
    checks that ``Changes.seen`` is still what there is: ``seen_now``)."""
    plan = scope.plan
    alias = write_alias(Result)
    stored_rows = Result.objects.using(alias).filter(**scope.where())
    locked = locked_years(scope)
    # Each stored row as (id, year, snapshot): read as plain values, not model instances,
    # since a city has ~47 000 rows and a recompute usually leaves most of them unchanged.
    existing: dict[tuple[int, int, str], tuple[int, int, dict[str, Any]]] = {}
    times: dict[int, Any] = {}
    for (
        pk,
        indicator_id,
        unit_id,
        period_key,
        year,
        computed_at,
        *fields,
    ) in stored_rows.order_by().values_list(
        "pk", "indicator_id", "unit_id", "period_key", "year", "computed_at", *Outcome.FIELDS
    ):
        existing[(indicator_id, unit_id, period_key)] = (
            pk,
            year,
            Outcome(**dict(zip(Outcome.FIELDS, fields, strict=True))).snapshot(),
        )
        times[pk] = computed_at
    pending = {
        (p.indicator_id, p.unit_id, p.period_key): p
        for p in PendingChange.objects.using(alias).filter(**scope.where()).order_by()
    }
    changes = Changes(Seen(times, {p.pk: p.detected_at for p in pending.values()}, locked))
    for indicator, unit, period, outcome in outcomes:
        key = (indicator.pk, unit.pk, period.key)
        found = existing.pop(key, None)
        waiting = pending.pop(key, None)
        if found is None and waiting is None and period.year not in locked:
            changes.create.append(new_values(plan, indicator, unit, period, outcome))
            continue
        snapshot = outcome.snapshot()
        before = found[2] if found is not None else None
        if before == snapshot:
            summary.unchanged += 1
            if waiting is not None:
                changes.drop_pending.append(waiting.pk)
            continue
        if period.year in locked:
            summary.pending += 1
            if waiting is None:
                change = PendingChange(
                    plan=plan, indicator=indicator, unit=unit, before=before, after=snapshot
                )
                change.set_period(period)
                changes.new_pending.append(change)
            elif waiting.after != snapshot or waiting.before != before:
                waiting.before, waiting.after = before, snapshot
                changes.changed_pending.append(waiting)
            continue
        if waiting is not None:
            changes.drop_pending.append(waiting.pk)
        values = new_values(plan, indicator, unit, period, outcome)
        if found is None:
            changes.create.append(values)
        else:
            changes.update.append({"pk": found[0], **values})
    # Rows no longer produced (a unit or period left the plan) go, except in locked years.
    changes.stale = [pk for pk, year, _ in existing.values() if year not in locked]
    changes.drop_pending += [p.pk for p in pending.values() if p.year not in locked]
    summary.created, summary.updated = len(changes.create), len(changes.update)
    summary.deleted = len(changes.stale)
    return changes


def new_values(
    plan: Plan, indicator: Indicator, unit: OrgUnit, period: Period, outcome: Outcome
) -> dict[str, Any]:
    """The stored fields of ``outcome`` (but its time, which ``write_changes`` sets)."""
    return {
        "plan_id": plan.pk,
        "indicator_id": indicator.pk,
        "unit_id": unit.pk,
        **period_values(period),
        **outcome.fields(),
    }


def write_changes(scope: Scope, changes: Changes) -> None:
    """Write what ``compare_outcomes`` found, stamped now; inside the recompute transaction."""
    now = timezone.now()
    Result.objects.filter(pk__in=changes.stale).delete()
    PendingChange.objects.filter(pk__in=changes.drop_pending).delete()
    # Stored results are evidence an auditor traces: their history rows are written in bulk too,
    # one per created or changed result, without a signal per row.
    # Stamped in place: the rows are this run's own, and a city's 47 000 copies cost ~0,3 s.
    for values in (*changes.create, *changes.update):
        values["computed_at"] = now
    create_results(scope.plan.pk, scope.years, changes.create)
    # Every field is known, so the history row written for the update is whole.
    update_results(changes.update, [*Outcome.FIELDS, "computed_at"])
    for change in (*changes.new_pending, *changes.changed_pending):
        change.detected_at = now
    PendingChange.objects.bulk_create(changes.new_pending, batch_size=500)
    PendingChange.objects.bulk_update(
        changes.changed_pending, ["before", "after", "detected_at"], batch_size=500
    )


# -- manual values ----------------------------------------------------------------------------


def manual_names(plan: Plan) -> list[str]:
    return [m["name"] for m in plan.manual_measures]


@transaction.atomic
def do_save_manual_value(
    plan: Plan,
    name: str,
    unit: OrgUnit,
    period: Period,
    value: Decimal,
    user: User | None = None,
    note: str = "",
    evidence: UploadedFile[bytes] | None = None,
) -> ManualValue:
    """Store (or replace) the value of a plan's manual measure for a unit and period."""
    require_on_plan(user, access.EDIT_RESULTS, unit)
    if name not in manual_names(plan):
        raise ValidationError(
            _("%(name)s is not a manual measure of plan %(plan)s") % {"name": name, "plan": plan}
        )
    if period.kind not in ("year", "quarter") or period.year not in plan_years(plan):
        raise ValidationError(
            _("%(period)s is not a year or quarter of the plan period") % {"period": period.key}
        )
    if not unit.path.startswith(plan.unit.path):
        raise ValidationError(_("%(unit)s is not covered by this plan") % {"unit": unit})
    row = ManualValue.objects.filter(plan=plan, name=name, unit=unit, period_key=period.key).first()
    if row is None:
        row = ManualValue(plan=plan, name=name, unit=unit)
        row.set_period(period)
    row.value, row.note = value, note
    row.entered_by = user if user is not None and user.is_authenticated else None
    if evidence is not None:
        if row.evidence:
            row.evidence.delete(save=False)
        row.evidence_type = evidence_type(evidence, evidence.size)
        row.evidence.save(evidence.name or "bukti", evidence, save=False)
    row.save()
    stale.mark_units([(unit.pk, period.year)], kind="manual")
    return row


# -- year approval ----------------------------------------------------------------------------

State = YearApproval.State
# simple-history keeps a change reason of at most 100 characters; the whole note is in the row.
REASON_LENGTH = 100


@dataclass(frozen=True)
class Step:
    """A move of a year's approval to a state: who may make it and from which states."""

    action: str  # the access action needed on the plan's unit
    allowed_from: tuple[str, ...]
    refusal: Any  # lazy text with %(year)s and %(status)s, for a year in another state


STEPS: dict[str, Step] = {
    State.SUBMITTED: Step(
        access.SUBMIT,
        (State.DRAFT, State.RETURNED),
        gettext_lazy("%(year)s cannot be submitted: it is %(status)s."),
    ),
    State.APPROVED: Step(
        access.APPROVE,
        (State.SUBMITTED,),
        gettext_lazy("Only a submitted year can be approved; %(year)s is %(status)s."),
    ),
    # An approved year that is not locked yet can be returned too: that withdraws the approval
    # when an error is found before the lock.
    State.RETURNED: Step(
        access.APPROVE,
        (State.SUBMITTED, State.APPROVED),
        gettext_lazy("Only a submitted or approved year can be returned; %(year)s is %(status)s."),
    ),
}


SELF_APPROVAL_REFUSED = gettext_lazy(
    "You submitted %(year)s yourself: another person must approve it (separation of duties)."
)


def is_own_submission(row: YearApproval | None, user: User) -> bool:
    """Whether ``user`` submitted the year now waiting in ``row``."""
    return row is not None and row.submitted_by_id is not None and row.submitted_by_id == user.pk


def self_approval_refused(row: YearApproval | None, user: User) -> bool:
    """Separation of duties: nobody approves what they submitted, unless a one-person office
    turned that off (KINERJA_ALLOW_SELF_APPROVAL; see docs/security.md)."""
    return is_own_submission(row, user) and not settings.KINERJA_ALLOW_SELF_APPROVAL


def log_self_approval(plan: Plan, row: YearApproval, user: User) -> None:
    chain.append(
        AuditEntry.Action.SELF_APPROVAL,
        actor=user,
        model="results.yearapproval",
        object_id=str(row.pk),
        object_repr=str(row),
        unit_path=plan.unit.path,
        changes={"plan": plan.code, "year": row.year, "submitted_by": user.get_username()},
        reason=(
            "approved by the person who submitted it: self-approval is allowed on this "
            "installation (KINERJA_ALLOW_SELF_APPROVAL, a one-person office)"
        ),
    )


def check_plan_year(plan: Plan, year: int) -> None:
    if year not in plan_years(plan):
        raise ValidationError(
            _("%(year)s is not a year of plan %(plan)s") % {"year": year, "plan": plan.code}
        )


@transaction.atomic
def move_year(plan: Plan, year: int, user: User, to: str, note: str) -> YearApproval:
    """Move the year's approval to state ``to`` as ``user``, after the checks every step shares:
    permission, a year of the plan, not locked, a state the step may start from.

    The note becomes the history entry's reason and the user its actor (also when no request is
    around, as in a command), so the audit log tells each step's who, when and why.
    """
    step = STEPS[to]
    if not access.can(user, step.action, plan.unit):
        raise PermissionDenied(step.action)
    check_plan_year(plan, year)
    if YearLock.objects.filter(plan=plan, year=year).exists():
        raise ValidationError(
            _("%(year)s is locked; its approval can no longer change.") % {"year": year}
        )
    row = YearApproval.objects.select_for_update().filter(plan=plan, year=year).first()
    if row is None:
        row = YearApproval(plan=plan, year=year)
    if row.status not in step.allowed_from:
        raise ValidationError(step.refusal % {"year": year, "status": row.get_status_display()})
    own_approval = to == State.APPROVED and is_own_submission(row, user)
    if own_approval and self_approval_refused(row, user):
        raise ValidationError(SELF_APPROVAL_REFUSED % {"year": year})
    now = timezone.now()
    if to == State.SUBMITTED:
        row.submitted_by, row.submitted_at = user, now
        row.decided_by, row.decided_at = None, None
    else:
        row.decided_by, row.decided_at = user, now
    row.status, row.note = to, note.strip()
    # Read by django-simple-history when the row is saved (attributes it does not declare).
    row._change_reason = row.note[:REASON_LENGTH]  # type: ignore[attr-defined]
    row._history_user = user  # type: ignore[attr-defined]
    row.save()
    if own_approval:
        log_self_approval(plan, row, user)
    return row


def do_submit_year(plan: Plan, year: int, user: User, note: str = "") -> YearApproval:
    """The planner hands a year's realisation to the unit head for approval."""
    return move_year(plan, year, user, State.SUBMITTED, note)


def do_approve_year(plan: Plan, year: int, user: User, note: str = "") -> YearApproval:
    """The unit head accepts a submitted year: it may now be locked."""
    return move_year(plan, year, user, State.APPROVED, note)


def do_return_year(plan: Plan, year: int, user: User, note: str) -> YearApproval:
    """The unit head sends a year back to the planner, saying what to correct (required)."""
    if not note.strip():
        raise ValidationError(_("Write a note saying what must be corrected."))
    return move_year(plan, year, user, State.RETURNED, note)


# -- year locks -------------------------------------------------------------------------------


@transaction.atomic
def do_lock_year(plan: Plan, year: int, user: User | None) -> YearLock:
    """Lock a reported year: from now on a recompute records differences instead of storing them.

    The one place a lock is made, so its conditions (the user may lock on the plan's unit, and
    the unit head approved the year) hold for the page, the command and the API alike.
    """
    if user is None or not access.can(user, access.LOCK, plan.unit):
        raise PermissionDenied(access.LOCK)
    check_plan_year(plan, year)
    existing = YearLock.objects.filter(plan=plan, year=year).first()
    if existing is not None:
        return existing  # locking twice is harmless
    if not YearApproval.objects.filter(plan=plan, year=year, status=State.APPROVED).exists():
        raise ValidationError(
            _(
                "%(year)s cannot be locked before the unit head approves its realisation: "
                "submit it for approval first."
            )
            % {"year": year}
        )
    lock, _created = YearLock.objects.get_or_create(
        plan=plan, year=year, defaults={"locked_by": user, "locked_at": timezone.now()}
    )
    return lock


@transaction.atomic
def do_apply_pending(plan: Plan, year: int, reason: str, user: User | None = None) -> int:
    """Apply the pending changes of a locked year, logging each with ``reason``; returns how many."""
    require_on_plan(user, access.LOCK, plan.unit)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for changing the results of a locked year."))
    now = timezone.now()
    changes = list(
        PendingChange.objects.filter(plan=plan, year=year).select_related("indicator", "unit")
    )
    rows = {
        (r.indicator_id, r.unit_id, r.period_key): r
        for r in Result.objects.filter(plan=plan, year=year)
    }
    by = user if user is not None and user.is_authenticated else None
    for change in changes:
        row = rows.get((change.indicator_id, change.unit_id, change.period_key))
        before = Outcome.of(row).snapshot() if row is not None else None
        if row is None:
            row = Result(plan=plan, indicator=change.indicator, unit=change.unit)
            row.set_period(change.period)
        Outcome.from_snapshot(change.after).apply_to(row)
        row.computed_at = now
        row.save()
        log = ResultChange(
            plan=plan,
            indicator=change.indicator,
            unit=change.unit,
            before=before,
            after=change.after,
            reason=reason,
            changed_by=by,
            changed_at=now,
        )
        log.set_period(change.period)
        log.save()
    PendingChange.objects.filter(pk__in=[c.pk for c in changes]).delete()
    return len(changes)
