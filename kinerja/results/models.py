"""Stored results per indicator, unit and period; manual values; year approvals, locks and
the changes of locked years.

Pages read these rows and never compute: `kinerja results recompute` (or the button) fills them, and a
row keeps what it was computed from (inputs, formula, target) so an auditor can follow a number
back to its records.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja.plan.limits import BAND_KEY_LENGTH, MEASURE_NAME_LENGTH, STORED_NUMBER
from kinerja.plan.models import Indicator, Plan
from kinerja_core.periods import Period

# Stored precision of realisation and achievement: display rounds to the indicator's decimals
# (2 at most in practice). The plan file's checks hold numbers to the same range.
DECIMALS = STORED_NUMBER.decimal_places
MAX_DIGITS = STORED_NUMBER.max_digits


class Status(models.TextChoices):
    """Band keys come from the plan's bands; these are the states without an achievement."""

    NOT_MEASURED = "not_measured", _("not measured")
    NOT_COMPUTABLE = "not_computable", _("not computable")
    NO_TARGET = "no_target", _("no target")


class PeriodFields(models.Model):
    """The period of a row, by key ("2024", "2024-Q3") and by parts for filtering and sorting."""

    period_key = models.CharField(_("period"), max_length=10)
    period_kind = models.CharField(_("period kind"), max_length=10, default="year")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0)

    class Meta:
        abstract = True

    @property
    def period(self) -> Period:
        return Period.parse(self.period_key)

    def set_period(self, period: Period) -> None:
        for name, value in period_values(period).items():
            setattr(self, name, value)


def period_values(period: Period) -> dict[str, Any]:
    """The PeriodFields of ``period``, by field name."""
    return {
        "period_key": period.key,
        "period_kind": period.kind,
        "year": period.year,
        "quarter": period.index if period.kind == "quarter" else 0,
    }


class Result(PeriodFields):
    # No index of their own: each key leads one of the indexes in Meta (plan: the plan-year
    # index, indicator: the unique constraint, unit: the unit-plan index), which serve its
    # lookups, and a recompute writes ~47 000 rows through every index there is.
    plan = models.ForeignKey(Plan, models.PROTECT, related_name="results", db_index=False)
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="results", db_index=False)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="results", db_index=False)
    realisation = models.DecimalField(
        _("realisation"), max_digits=MAX_DIGITS, decimal_places=DECIMALS, null=True, blank=True
    )
    computable = models.BooleanField(_("computable"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    formula = models.TextField(_("formula used"), blank=True)
    target_value = models.DecimalField(
        _("target"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    target_low = models.DecimalField(
        _("target lower bound"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    target_high = models.DecimalField(
        _("target upper bound"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    achievement = models.DecimalField(
        _("achievement (%)"), max_digits=MAX_DIGITS, decimal_places=DECIMALS, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=BAND_KEY_LENGTH, blank=True)
    # The realisation rests on a value the office published (e.g. a past year's IKM taken from
    # its report) rather than on records: shown as "nilai terbit" wherever the number is.
    published = models.BooleanField(_("published value"), default=False)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["plan", "indicator__order", "unit__path", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_key"], name="one_result_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["plan", "period_kind", "year"]),
            # One unit's rows of a plan: the dashboard's trend charts and quarters, and each
            # sub-unit's year, without reading every unit's rows of the plan.
            models.Index(
                fields=["unit", "plan", "period_kind", "year"], name="result_unit_plan_kind_year"
            ),
        ]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.unit.code} · {self.period_key}"

    @property
    def target_is_range(self) -> bool:
        return self.target_value is None and self.target_low is not None


def evidence_path(instance: ManualValue, filename: str) -> str:
    return f"results/evidence/{instance.plan.code}/{instance.period_key}/{filename}"


class ManualValue(PeriodFields):
    """A number no module collects, typed in by staff with evidence: a plan's manual measure.

    For a quarter the value is the realisation up to the end of that quarter (year to date),
    as every measure is.
    """

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="manual_values")
    name = models.CharField(_("measure"), max_length=MEASURE_NAME_LENGTH)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="manual_values")
    value = models.DecimalField(_("value"), max_digits=MAX_DIGITS, decimal_places=DECIMALS)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True, max_length=300)
    evidence_type = models.CharField(max_length=100, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        ordering = ["plan", "name", "unit__path", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name", "unit", "period_key"], name="one_manual_value_per_period"
            )
        ]
        verbose_name = _("manual value")
        verbose_name_plural = _("manual values")

    def __str__(self) -> str:
        return f"{self.name} · {self.unit.code} · {self.period_key}: {self.value}"

    def label(self) -> str:
        for declared in self.plan.manual_measures:
            if declared["name"] == self.name:
                return str(declared.get("label") or self.name)
        return self.name


class YearLock(models.Model):
    """A reported year: recomputing no longer changes its results, it records the differences."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="year_locks")
    year = models.PositiveSmallIntegerField(_("year"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )
    locked_at = models.DateTimeField(_("locked at"))

    class Meta:
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="one_lock_per_plan_year")
        ]
        verbose_name = _("year lock")
        verbose_name_plural = _("year locks")

    def __str__(self) -> str:
        return f"{self.plan.code} {self.year}"


class YearApproval(models.Model):
    """A year's realisation on its way to a lock: the planner submits it, the unit head approves
    it or returns it with a note. Only an approved year can be locked.

    One row per plan and year holds the current state and the latest note; the steps before it
    (each submission, return and approval with its note) are in the row's history.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="year_approvals")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="one_approval_per_plan_year")
        ]
        verbose_name = _("year approval")
        verbose_name_plural = _("year approvals")

    def __str__(self) -> str:
        return f"{self.plan.code} {self.year}: {self.status}"


class ChangeFields(PeriodFields):
    """A recomputed result against the stored one, as two snapshots (see engine.Outcome)."""

    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.unit.code} · {self.period_key}"

    def realisation_before(self) -> Decimal | None:
        return value_of(self.before, "realisation")

    def realisation_after(self) -> Decimal | None:
        return value_of(self.after, "realisation")


class PendingChange(ChangeFields):
    """What a recompute found different from a locked year's stored result (not applied)."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="pending_changes")
    detected_at = models.DateTimeField(_("detected at"))

    class Meta:
        ordering = ["plan", "year", "indicator__order", "unit__path", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_key"], name="one_pending_change_per_period"
            )
        ]
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")


class ResultChange(ChangeFields):
    """The log of a locked year's result changed on purpose: who, when, why, before → after."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="result_changes")
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("result change")
        verbose_name_plural = _("result changes")


def value_of(snapshot: dict[str, Any] | None, field: str) -> Decimal | None:
    if not snapshot or snapshot.get(field) is None:
        return None
    return Decimal(snapshot[field])
