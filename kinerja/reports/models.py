"""Issued documents: the exact PDF an office published, frozen with its hash and number.

An issued file is stored under MEDIA_ROOT (so ``kinerja backup`` carries it with the evidence
files) and never rewritten: issuing again makes the next version and keeps the older ones
(docs/rules.md#issued-documents).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import OrgUnit
from kinerja.plan.models import Plan

# Verification codes are printed under the QR code and may be typed in from paper: no letters
# people confuse (0/o, 1/l/i).
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


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
