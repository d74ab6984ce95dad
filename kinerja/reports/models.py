"""Issued documents: the exact PDF an office published, frozen with its hash and number.

An issued file is stored under MEDIA_ROOT (so ``kinerja backup`` carries it with the evidence
files) and never rewritten: issuing again makes the next version and keeps the older ones
(docs/rules.md#issued-documents).

Who signs an office's documents and when (docs/rules.md#signing).

A signatory holds a position in a unit for a span of days (a Camat replaced mid-year ends one
row and starts another); the superior party of the PK (the Wali Kota) is a signatory of the
unit too, in the superior role. A document's signing date is stored per unit, kind and year:
a document never takes the day it is printed.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja.lib.verification_codes import new_code
from kinerja.plan.models import Plan

__all__ = ["IssuedDocument", "Signatory", "SigningDate", "new_code"]


def issued_path(instance: IssuedDocument, filename: str) -> str:
    return f"issued/{instance.unit.code}/{instance.year}/{filename}"


class IssuedDocument(models.Model):
    plan = models.ForeignKey(Plan, models.PROTECT, related_name="issued_documents")
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="issued_documents")
    kind = models.CharField(_("kind"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"))
    number = models.CharField(_("number"), max_length=80, unique=True)
    code = models.CharField(_("verification code"), max_length=20, unique=True, default=new_code)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=issued_path, max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    signed_by = models.CharField(_("electronic signature"), max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    # Kept as text too: the page still names the issuer after their account is removed.
    issued_by_name = models.CharField(_("issued by"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["unit", "kind", "year", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "year", "version"], name="issued_document_version"
            )
        ]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self) -> str:
        return f"{self.number} ({self.title})"


class Signatory(models.Model):
    class Role(models.TextChoices):
        HEAD = "head", _("Head of the unit (first party)")
        SUPERIOR = "superior", _("Superior (second party of the PK)")
        OFFICER = "officer", _("Officer of the unit (first party of a Sekcam/Kasi PK)")

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    name = models.CharField(_("name"), max_length=200)
    nip = models.CharField("NIP", max_length=18, blank=True)
    rank = models.CharField(_("rank (pangkat/golongan)"), max_length=100, blank=True)
    position = models.CharField(_("position (jabatan)"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "role", "valid_from"]
        indexes = [models.Index(fields=["unit", "role", "valid_from"])]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return f"{self.position}: {self.name}"

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class SigningDate(models.Model):
    class Kind(models.TextChoices):
        PK = "pk", _("Performance agreement (PK)")
        LKJIP = "lkjip", _("Performance report (LKjIP)")
        SKM = "skm", _("Satisfaction survey report (SKM)")

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="signing_dates", verbose_name=_("unit")
    )
    kind = models.CharField(_("document"), max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)

    class Meta:
        ordering = ["unit", "year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year"], name="one_signing_date")
        ]
        verbose_name = _("signing date")
        verbose_name_plural = _("signing dates")

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.date}"


class LkjipNarrative(models.Model):
    """What staff write for the LKjIP of a year, never generated (docs/rules.md#lkjip):
    per indicator the causes of success or failure with the solutions taken (analysis 5) and the
    programs and activities that supported or hindered (analysis 7); per unit the organisation
    and the strategic issues of chapter I. Keyed by indicator code, so a narrative follows the
    indicator across the versions of a plan."""

    class Kind(models.TextChoices):
        CAUSES = "causes", _("Causes of success or failure and the solutions taken")
        PROGRAMS = "programs", _("Programs and activities that supported or hindered")
        ORGANISATION = "organisation", _("Organisation")
        STRATEGIC_ISSUES = "issues", _("Strategic issues")

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="narratives", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("part"), max_length=16, choices=Kind.choices)
    # blank: about the unit
    indicator_code = models.CharField(_("indicator code"), max_length=40, blank=True)
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["unit", "year", "indicator_code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "indicator_code", "kind"], name="one_narrative"
            )
        ]
        verbose_name = _("LKjIP narrative")
        verbose_name_plural = _("LKjIP narratives")

    def __str__(self) -> str:
        return f"{self.year} {self.indicator_code or self.unit_id} {self.kind}"


class PkVersion(models.Model):
    """One agreed version of a PK (docs/rules.md#pk-per-level): version 1 is the original, each
    later one a PK Perubahan with its reason and date. The annex is kept as it was agreed (rows
    and programs as printed), so a later change of the plan or the budget never rewrites it."""

    class Level(models.TextChoices):
        CAMAT = "camat", _("Camat with the Wali Kota/Bupati")
        KASI = "kasi", _("Sekcam/Kasi with the Camat")

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="pk_versions")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    # The officer's position as the plan names it ("Kasi Pelayanan"); empty for the Camat.
    officer = models.CharField(_("officer"), max_length=200, blank=True)
    version = models.PositiveSmallIntegerField(_("version"))
    reason = models.TextField(_("reason for the change"), blank=True)
    date = models.DateField(_("date"))
    annex = models.JSONField(_("annex"))

    class Meta:
        ordering = ["plan", "year", "level", "officer", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "level", "officer", "version"], name="pk_version_unique"
            )
        ]
        verbose_name = _("PK version")
        verbose_name_plural = _("PK versions")

    def __str__(self) -> str:
        return f"PK {self.year} {self.level} {self.officer} v{self.version}"
