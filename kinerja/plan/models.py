"""The plan as data: goals (tujuan) > objectives (sasaran) > indicators, with their targets.

Indicators hold a formula over named measures; the text printed in the official document is kept
beside it verbatim (``explanation``) because the document, not our formula, is what gets signed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja_core.achievement import DEFAULT_BANDS, POLARITIES, Band, TargetRange
from kinerja_core.achievement import Polarity as RatedPolarity

# The core's polarities by the name an indicator stores.
RATED_POLARITIES: dict[str, RatedPolarity] = {name: name for name in POLARITIES}


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="plans", verbose_name=_("unit"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    document = models.JSONField(_("document"), default=dict, blank=True)
    profile_function = models.TextField(_("function (fungsi)"), blank=True)
    profile_tasks = models.JSONField(_("tasks (tugas)"), default=list, blank=True)
    manual_measures = models.JSONField(_("manually entered measures"), default=list, blank=True)
    # Empty means the default bands of kinerja_core.achievement (≥100 met, ≥85 near, else not).
    bands = models.JSONField(_("interpretation bands"), default=list, blank=True)
    notes = models.JSONField(_("reading notes"), default=list, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    # The plan this one carries on (a new Renstra after the old), by code: the old plan may be
    # loaded later or again without breaking the link (docs/rules.md#plans-continuing-plans).
    continues = models.CharField(_("continues plan"), max_length=80, blank=True)
    # Old indicator code -> {"kind", "new", "reason"} (kinerja.plan.planfile.crosswalk.LinkJSON).
    crosswalk = models.JSONField(_("crosswalk"), default=dict, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def effective_bands(self) -> tuple[Band, ...]:
        if not self.bands:
            return DEFAULT_BANDS
        return tuple(
            Band(
                minimum=None if b["minimum"] is None else Decimal(b["minimum"]),
                key=b["key"],
                label=b["label"],
                colour=b["colour"],
            )
            for b in self.bands
        )


class Goal(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="goals")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("goal (tujuan)"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="goal_code_per_plan")]
        verbose_name = _("goal (tujuan)")
        verbose_name_plural = _("goals (tujuan)")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Objective(models.Model):
    goal = models.ForeignKey(Goal, models.CASCADE, related_name="objectives")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("objective (sasaran)"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["goal__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "code"], name="objective_code_per_goal")
        ]
        verbose_name = _("objective (sasaran)")
        verbose_name_plural = _("objectives (sasaran)")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    class Level(models.TextChoices):
        GOAL = "goal", _("Goal (tujuan)")
        OBJECTIVE = "objective", _("Objective (sasaran)")

    class Unit(models.TextChoices):
        PERCENT = "percent", _("percent")
        INDEX = "index", _("index")
        NUMBER = "number", _("number")

    class Polarity(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")
        # Both sides of the target (or of a range target's band) are worse (docs/rules.md#capaian).
        STABLE = "stable", _("stable within the range")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(Goal, models.CASCADE, related_name="indicators")
    objective = models.ForeignKey(
        Objective, models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("indicator"), max_length=500)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    iku = models.BooleanField(_("key indicator (IKU)"), default=True)
    explanation = models.TextField(_("explanation / formula as printed"), blank=True)
    formula = models.TextField(_("computable formula"))
    derived = models.JSONField(_("derived measures"), default=dict, blank=True)
    bindings = models.JSONField(_("measure bindings"), default=dict, blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    polarity = models.CharField(
        _("polarity"), max_length=10, choices=Polarity.choices, default=Polarity.HIGHER
    )
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=2)
    cap = models.DecimalField(
        _("achievement cap (%)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    responsible = models.CharField(_("responsible officer"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # The years this definition is in force (docs/rules.md#plan-revisions): None is open-ended.
    # A revision closes the old row and adds a new one, so earlier years keep their definition.
    valid_from = models.PositiveSmallIntegerField(_("in force from"), null=True, blank=True)
    valid_until = models.PositiveSmallIntegerField(_("in force until"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            # One current definition per code; closed ones (valid_until set) keep the same code.
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=models.Q(valid_until__isnull=True),
                name="indicator_code_per_plan",
            )
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def in_force(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_until is None or year <= self.valid_until
        )

    @property
    def unit_suffix(self) -> str:
        return "%" if self.unit == self.Unit.PERCENT else ""

    @property
    def rated_polarity(self) -> RatedPolarity:
        """The polarity as kinerja_core.achievement takes it: the stored value is the core's
        name (a test keeps the choices and the core's names the same)."""
        return RATED_POLARITIES.get(self.polarity, "higher")


class Target(models.Model):
    """A yearly (quarter 0) or quarterly target; a range target has low and high instead."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4, null=True, blank=True)
    low = models.DecimalField(
        _("lower bound"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    high = models.DecimalField(
        _("upper bound"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="one_target_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=0, quarter__lte=4), name="target_quarter_0_to_4"
            ),
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        period = f"{self.year}" + (f" T{self.quarter}" if self.quarter else "")
        return f"{self.indicator.code} {period}: {self.value if self.value is not None else f'{self.low}–{self.high}'}"

    @property
    def is_range(self) -> bool:
        return self.value is None and self.low is not None and self.high is not None

    def comparable(self) -> Decimal | TargetRange | None:
        """The target as kinerja_core.achievement compares a realisation with it."""
        if self.is_range:
            assert self.low is not None and self.high is not None
            return TargetRange(self.low, self.high)
        return self.value


class PlanVersion(models.Model):
    """One stored version of a plan: the file as loaded, in force from ``effective_from`` on
    until a later version's year (docs/rules.md#plan-revisions). Never changed once written."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    effective_from = models.PositiveSmallIntegerField(_("in force from"))
    reason = models.TextField(_("reason"), blank=True)
    decree = models.CharField(_("decree (number, date)"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stored by"),
    )
    created_at = models.DateTimeField(_("stored at"))
    # The canonical text of the file this version stored, and how it differs from the previous.
    text = models.TextField(_("plan file"))
    summary = models.JSONField(_("summary of the difference"), default=dict, blank=True)
    changes = models.JSONField(_("difference"), default=list, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_version_number_per_plan")
        ]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.number} ({self.effective_from})"
