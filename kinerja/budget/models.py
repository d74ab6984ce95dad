"""Budget lines: per unit and year, program → kegiatan → sub-kegiatan with pagu and realisasi."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja.plan.models import Indicator, Objective

from . import nomenclature

# Rupiah with sen: 16 digits before the mark hold any regional budget (10^16 > Rp 9 kuadriliun).
AMOUNT_DIGITS = 18
AMOUNT_PLACES = 2
QUARTERS = (1, 2, 3, 4)


class BudgetLine(models.Model):
    class Level(models.TextChoices):
        URUSAN = nomenclature.URUSAN, _("urusan")
        BIDANG = nomenclature.BIDANG, _("bidang")
        PROGRAM = nomenclature.PROGRAM, _("program")
        KEGIATAN = nomenclature.KEGIATAN, _("kegiatan")
        SUB_KEGIATAN = nomenclature.SUB_KEGIATAN, _("sub-kegiatan")

    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="budget_lines", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=nomenclature.CODE_MAX_LENGTH)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    name = models.CharField(_("name"), max_length=500)
    budget = models.DecimalField(
        _("budget (pagu)"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES
    )
    spent = models.DecimalField(
        _("realisation (realisasi)"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES
    )
    spent_q1 = models.DecimalField(
        _("realisation, quarter 1"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
    )
    spent_q2 = models.DecimalField(
        _("realisation, quarter 2"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
    )
    spent_q3 = models.DecimalField(
        _("realisation, quarter 3"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
    )
    spent_q4 = models.DecimalField(
        _("realisation, quarter 4"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
    )
    over_budget = models.BooleanField(
        _("realisation above pagu allowed"),
        default=False,
        help_text=_("Tick only when the realisation really exceeds the pagu (a budget shift)."),
    )
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="budget_lines", verbose_name=_("objectives (sasaran)")
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="budget_lines", verbose_name=_("indicators")
    )

    class Meta:
        ordering = ["unit", "year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "code"], name="budget_line_unique_code")
        ]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def quarter_values(self) -> list[object]:
        return [self.spent_q1, self.spent_q2, self.spent_q3, self.spent_q4]
