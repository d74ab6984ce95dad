"""Who signs an office's documents and when (docs/rules.md#signing).

A signatory holds a position in a unit for a span of days (a Camat replaced mid-year ends one
row and starts another); the superior party of the PK (the Wali Kota) is a signatory of the
unit too, in the superior role. A document's signing date is stored per unit, kind and year:
a document never takes the day it is printed.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit


class Signatory(models.Model):
    class Role(models.TextChoices):
        HEAD = "head", _("Head of the unit (first party)")
        SUPERIOR = "superior", _("Superior (second party of the PK)")

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="signatories")
    role = models.CharField(max_length=16, choices=Role.choices)
    name = models.CharField(max_length=200)
    nip = models.CharField(max_length=18, blank=True)
    rank = models.CharField(max_length=100, blank=True)  # pangkat/golongan
    position = models.CharField(max_length=200)  # jabatan
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "role", "valid_from"]
        indexes = [models.Index(fields=["unit", "role", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.position}: {self.name}"

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class SigningDate(models.Model):
    class Kind(models.TextChoices):
        PK = "pk", _("Performance agreement (PK)")
        LKJIP = "lkjip", _("Performance report (LKjIP)")
        SKM = "skm", _("Satisfaction survey report (SKM)")

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="signing_dates")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    date = models.DateField()
    place = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["unit", "year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year"], name="one_signing_date")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.date}"
