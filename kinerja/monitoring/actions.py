"""Every write of quarterly monitoring: the Rencana Aksi, the quarterly report's narratives and
its submit/approve/return steps, and reading a notification.

Each action takes the acting user and checks access itself (kinerja/accounts/access.py); the
approval steps reuse the year approval's roles (``results.actions.STEPS``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit
from kinerja.plan.models import Indicator, Plan
from kinerja.results.actions import REASON_LENGTH, STEPS, check_plan_year
from kinerja.results.queries import year_target

from . import budgetlinks, notifications, rules
from .models import (
    Notification,
    QuarterNarrative,
    QuarterReport,
    QuarterTargets,
    Renaksi,
    RenaksiAction,
    TargetMode,
)
from .queries import quarter_rows

State = QuarterReport.State


def stamp(at: datetime | None) -> datetime:
    """The time an entry is stamped with: now, or the ``at`` a loader of entries made earlier
    gives (the demo loads quarterly reports as entered in their reporting window). Pages, the
    API and commands never pass one; a time in the future or without a time zone is refused."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValidationError({"at": _("The entry time needs a time zone.")})
    if at > now:
        raise ValidationError({"at": _("The entry time %(at)s is in the future.") % {"at": at}})
    return at


def require_in_plan(user: User | None, action: str, plan: Plan, unit: OrgUnit) -> None:
    """``user`` may do ``action`` in ``unit``, a unit of the plan (None: the command line)."""
    if user is not None:
        access.require(user, action, unit)
    if not unit.path.startswith(plan.unit.path):
        raise ValidationError(_("%(unit)s is not under the plan's unit.") % {"unit": unit})


def renaksi_for(plan: Plan, unit: OrgUnit, year: int) -> Renaksi:
    check_plan_year(plan, year)
    renaksi, _created = Renaksi.objects.get_or_create(plan=plan, unit=unit, year=year)
    return renaksi


def own_indicator(plan: Plan, indicator: Indicator) -> None:
    if indicator.plan_id != plan.pk:
        raise ValidationError(
            _("%(code)s is not an indicator of this plan.") % {"code": indicator.code}
        )


@transaction.atomic
def do_save_quarter_targets(
    user: User | None,
    plan: Plan,
    unit: OrgUnit,
    year: int,
    indicator: Indicator,
    targets: list[Decimal],
    mode: str = TargetMode.CUMULATIVE,
) -> QuarterTargets:
    """Store an indicator's four quarter targets, refused when they end the year elsewhere than
    the year's target (docs/rules.md#rencana-aksi-and-quarterly-reports)."""
    require_in_plan(user, access.EDIT_PLAN, plan, unit)
    own_indicator(plan, indicator)
    if len(targets) != 4:
        raise ValidationError(_("Give four quarter targets."))
    if mode not in TargetMode.values:
        raise ValidationError({"mode": _("Unknown kind of quarter targets: %(m)s") % {"m": mode}})
    target = year_target(indicator, year)
    if rules.contradicts_year(targets, mode, indicator, target):
        raise ValidationError(
            {
                "q4": _(
                    "%(code)s: the quarter targets give %(implied)s for the year, but the "
                    "year's target is %(target)s."
                )
                % {
                    "code": indicator.code,
                    "implied": rules.year_value_of(targets, mode, indicator),
                    "target": target,
                }
            }
        )
    row, _created = QuarterTargets.objects.update_or_create(
        renaksi=renaksi_for(plan, unit, year),
        indicator=indicator,
        defaults={
            "mode": mode,
            "q1": targets[0],
            "q2": targets[1],
            "q3": targets[2],
            "q4": targets[3],
        },
    )
    return row


def check_action_fields(
    unit: OrgUnit, year: int, name: str, budget_code: str, position: str, months: Iterable[int]
) -> None:
    """The rules of an action's fields; its budget code must name a line of the unit's budget of
    the year when the unit has one (budgetlinks.py)."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Name the activity (kegiatan / sub-kegiatan).")
    elif len(name) > settings.KINERJA_RENAKSI_ACTION_MAX_CHARS:
        errors["name"] = _("The activity's name is longer than %(n)s characters.") % {
            "n": settings.KINERJA_RENAKSI_ACTION_MAX_CHARS
        }
    if (problem := budgetlinks.code_problem(unit, year, budget_code)) is not None:
        errors["budget_code"] = problem
    if not position.strip():
        errors["position"] = _("Name the responsible position.")
    elif len(position) > 300:
        errors["position"] = _("The position is longer than %(n)s characters.") % {"n": 300}
    months = list(months)
    if not months or any(m not in range(1, 13) for m in months):
        errors["months"] = _("Choose the months (1–12) the activity runs in.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_add_renaksi_action(
    user: User | None,
    plan: Plan,
    unit: OrgUnit,
    year: int,
    indicator: Indicator,
    *,
    name: str,
    budget_code: str,
    position: str,
    months: Iterable[int],
) -> RenaksiAction:
    """Add an activity that delivers an indicator to the year's Renaksi."""
    require_in_plan(user, access.EDIT_PLAN, plan, unit)
    own_indicator(plan, indicator)
    months = sorted(set(months))
    check_action_fields(unit, year, name, budget_code, position, months)
    return RenaksiAction.objects.create(
        renaksi=renaksi_for(plan, unit, year),
        indicator=indicator,
        name=name.strip(),
        budget_code=budget_code.strip(),
        position=position.strip(),
        months=months,
    )


@transaction.atomic
def do_delete_renaksi_action(user: User | None, action: RenaksiAction) -> None:
    renaksi = action.renaksi
    require_in_plan(user, access.EDIT_PLAN, renaksi.plan, renaksi.unit)
    action.delete()


def report_for(plan: Plan, unit: OrgUnit, year: int, quarter: int) -> QuarterReport:
    check_plan_year(plan, year)
    if quarter not in range(1, 5):
        raise ValidationError(_("A quarter is 1 to 4."))
    report, _created = QuarterReport.objects.select_for_update().get_or_create(
        plan=plan, unit=unit, year=year, quarter=quarter
    )
    return report


def label_of(name: str) -> str:
    field = QuarterNarrative._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.verbose_name)


@transaction.atomic
def do_save_quarter_narrative(
    user: User | None,
    plan: Plan,
    unit: OrgUnit,
    year: int,
    quarter: int,
    indicator: Indicator,
    text: rules.NarrativeText,
    *,
    at: datetime | None = None,
) -> QuarterNarrative:
    """Store an indicator's narrative for a quarter; after the reporting window it is marked late.
    ``at``: when it was entered, for loaders only (see ``stamp``); now by default."""
    require_in_plan(user, access.EDIT_RESULTS, plan, unit)
    own_indicator(plan, indicator)
    limit = settings.KINERJA_QUARTER_NARRATIVE_MAX_CHARS
    too_long = {
        field: _("%(field)s is longer than %(n)s characters (%(got)s).")
        % {"field": label_of(field), "n": limit, "got": len(value)}
        for field, value in text.fields().items()
        if len(value) > limit
    }
    if too_long:
        raise ValidationError(too_long)
    report = report_for(plan, unit, year, quarter)
    if report.status in (State.SUBMITTED, State.APPROVED):
        raise ValidationError(
            _("The report is %(status)s; it can no longer change.")
            % {"status": report.get_status_display()}
        )
    now = stamp(at)
    row, _created = QuarterNarrative.objects.update_or_create(
        report=report,
        indicator=indicator,
        defaults={
            **{k: v.strip() for k, v in text.fields().items()},
            "entered_by": user,
            "entered_at": now,
            "late": rules.is_late(year, quarter, timezone.localdate(now)),
        },
    )
    return row


def missing_narratives(report: QuarterReport) -> list[str]:
    """The codes of the lagging indicators without a complete narrative."""
    written = {n.indicator_id: n for n in report.narratives.all()}
    return [
        row.indicator.code
        for row in quarter_rows(report.plan, report.unit, report.year)
        if row.quarters[report.quarter - 1].lagging
        and not (row.indicator.pk in written and written[row.indicator.pk].complete)
    ]


@transaction.atomic
def do_move_quarter(
    user: User | None,
    plan: Plan,
    unit: OrgUnit,
    year: int,
    quarter: int,
    to: str,
    note: str = "",
    *,
    at: datetime | None = None,
) -> QuarterReport:
    """Move a quarter's report ``to`` a state, one step of its approval: submitted (to the head;
    lagging indicators need their narrative first), approved (by the head, not by who submitted
    it), returned (by the head, with a note saying what to correct; its submitter is notified).
    ``at``: when the step was made, for loaders only (see ``stamp``); now by default."""
    step = STEPS[to]
    if user is not None and not access.can(user, step.action, unit):
        raise PermissionDenied(step.action)
    require_in_plan(None, step.action, plan, unit)
    if to == State.RETURNED and not note.strip():
        raise ValidationError({"note": _("Write a note saying what must be corrected.")})
    report = report_for(plan, unit, year, quarter)
    if report.status not in step.allowed_from:
        raise ValidationError(
            _("The report of Q%(q)s %(year)s is %(status)s: it cannot go to %(to)s.")
            % {
                "q": quarter,
                "year": year,
                "status": report.get_status_display(),
                "to": State(to).label,
            }
        )
    now = stamp(at)
    if to == State.SUBMITTED:
        missing = missing_narratives(report)
        if missing:
            raise ValidationError(
                _("Lagging indicators need all three narrative fields before submitting: %(codes)s")
                % {"codes": ", ".join(missing)}
            )
        report.submitted_by, report.submitted_at = user, now
        report.late = rules.is_late(year, quarter, timezone.localdate(now))
        report.decided_by, report.decided_at = None, None
    else:
        if (
            to == State.APPROVED
            and user is not None
            and report.submitted_by_id == user.pk
            and not settings.KINERJA_ALLOW_SELF_APPROVAL
        ):
            raise ValidationError(
                _("You submitted this report yourself: another person must approve it.")
            )
        report.decided_by, report.decided_at = user, now
    report.status, report.note = to, note.strip()
    # Read by django-simple-history when the row is saved, as for the year approval: the audit
    # log tells each step's who and why, also from a command.
    report._change_reason = report.note[:REASON_LENGTH]  # type: ignore[attr-defined]
    report._history_user = user  # type: ignore[attr-defined]
    report.save()
    if to == State.RETURNED:
        notifications.report_returned(report)
    return report


def do_read_notification(user: User, notification: Notification) -> None:
    """Mark one's own notification read."""
    if notification.user_id != user.pk:
        raise PermissionDenied("notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
