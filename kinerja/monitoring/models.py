"""Quarterly monitoring: the Rencana Aksi (Renaksi) of a plan's unit and year, its quarter
targets and actions, the quarterly reports with their narratives, and in-app notifications.

The rules the fields follow are in docs/rules.md#rencana-aksi-and-quarterly-reports.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja.plan.models import Indicator, Plan


class Renaksi(models.Model):
    """The Rencana Aksi of one plan, unit and year."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="renaksi")
    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["plan", "unit", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "year"], name="one_renaksi_per_year")
        ]
        verbose_name = _("action plan (Rencana Aksi)")
        verbose_name_plural = _("action plans (Rencana Aksi)")

    def __str__(self) -> str:
        return f"{self.plan.code} {self.unit.code} {self.year}"


class TargetMode(models.TextChoices):
    CUMULATIVE = "cumulative", _("cumulative (year to date)")
    PER_QUARTER = "per_quarter", _("per quarter")


class QuarterTargets(models.Model):
    """One indicator's four quarter targets in a Renaksi, and how they are meant."""

    renaksi = models.ForeignKey(Renaksi, models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    mode = models.CharField(
        _("quarter targets are"),
        max_length=12,
        choices=TargetMode.choices,
        default=TargetMode.CUMULATIVE,
    )
    q1 = models.DecimalField(_("Q1 target"), max_digits=14, decimal_places=4)
    q2 = models.DecimalField(_("Q2 target"), max_digits=14, decimal_places=4)
    q3 = models.DecimalField(_("Q3 target"), max_digits=14, decimal_places=4)
    q4 = models.DecimalField(_("Q4 target"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["renaksi", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["renaksi", "indicator"], name="one_quarter_target_row_per_indicator"
            )
        ]
        verbose_name = _("quarter targets")
        verbose_name_plural = _("quarter targets")

    def __str__(self) -> str:
        return f"{self.renaksi} {self.indicator.code}"

    def values(self) -> list[object]:
        return [self.q1, self.q2, self.q3, self.q4]


class RenaksiAction(models.Model):
    """A kegiatan / sub-kegiatan that delivers an indicator, who answers for it and when."""

    renaksi = models.ForeignKey(Renaksi, models.CASCADE, related_name="actions")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    name = models.CharField(_("activity / sub-activity (kegiatan / sub-kegiatan)"), max_length=500)
    # The nomenclature code of the budget line as text, not a foreign key: the line is looked up
    # by the Renaksi's unit, year and this code when read, so it survives the budget's re-import
    # (budgetlinks.py; docs/rules.md#rencana-aksi-and-quarterly-reports).
    budget_code = models.CharField(_("budget code"), max_length=40, blank=True)
    position = models.CharField(_("responsible position"), max_length=300)
    months = models.JSONField(_("months"), default=list)

    class Meta:
        ordering = ["renaksi", "indicator__order", "pk"]
        verbose_name = _("Rencana Aksi action")
        verbose_name_plural = _("Rencana Aksi actions")

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.name}"


class QuarterReport(models.Model):
    """The laporan triwulan of one plan, unit, year and quarter: its approval state."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    late = models.BooleanField(_("late (terlambat)"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["plan", "unit", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "year", "quarter"], name="one_report_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_to_4"
            ),
        ]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")

    def __str__(self) -> str:
        return f"{self.plan.code} {self.unit.code} {self.year}-Q{self.quarter}: {self.status}"


class QuarterNarrative(models.Model):
    """Why an indicator stands where it does in a quarter, and what is done about it."""

    report = models.ForeignKey(QuarterReport, models.CASCADE, related_name="narratives")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    drivers = models.TextField(_("supporting factors (faktor pendorong)"), blank=True)
    obstacles = models.TextField(_("inhibiting factors (faktor penghambat)"), blank=True)
    follow_up = models.TextField(_("efforts / follow-up (upaya / tindak lanjut)"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))
    late = models.BooleanField(_("late (terlambat)"), default=False)

    class Meta:
        ordering = ["report", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="one_narrative_per_indicator"
            )
        ]
        verbose_name = _("quarterly narrative")
        verbose_name_plural = _("quarterly narratives")

    def __str__(self) -> str:
        return f"{self.report} {self.indicator.code}"

    @property
    def complete(self) -> bool:
        return all(t.strip() for t in (self.drivers, self.obstacles, self.follow_up))


class Notification(models.Model):
    """A message to one user inside Kinerja (and by e-mail when a mail server is set)."""

    class Kind(models.TextChoices):
        WINDOW_OPEN = "window_open", _("reporting window open")
        WINDOW_CLOSING = "window_closing", _("reporting window closing")
        RETURNED = "returned", _("report returned")
        EARLY_WARNING = "early_warning", _("early warning")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # Makes a repeated sweep (window opening, early warning) notify once.
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key")
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text}"
