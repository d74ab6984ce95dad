from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoMarker(models.Model):
    """Present while demo data is loaded: every page then carries the "DATA CONTOH" banner."""

    loaded_at = models.DateTimeField(auto_now=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("demo data marker")
        verbose_name_plural = _("demo data markers")

    def __str__(self) -> str:
        return f"DATA CONTOH ({self.loaded_at:%Y-%m-%d})"


class PendingUpload(models.Model):
    """An uploaded import file, checked and kept until its uploader confirms it (``pending``).

    The file itself lies under ``KINERJA_PENDING_UPLOAD_DIR`` by a random name; the row says
    whose it is, for which import (``purpose``, e.g. the unit it was checked for) and when it
    expires. Only its uploader can confirm it, once, before then.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey("auth.User", models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=200)
    filename = models.CharField(_("file"), max_length=300)
    # The file's name in KINERJA_PENDING_UPLOAD_DIR.
    path = models.CharField(max_length=100)
    size = models.BigIntegerField()
    # What the check was asked with (an element order, a kind of file), used again to store.
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("checked upload awaiting confirmation")
        verbose_name_plural = _("checked uploads awaiting confirmation")

    def __str__(self) -> str:
        return self.filename


# The kinds of data a stale mark stands for, bit i for MARK_KINDS[i]: the sources of the
# measures (the app that owns the data; "manual" for a plan's manual measures). Append only:
# the bits are stored.
MARK_KINDS = ("surveys", "community", "manual")
EVERY_KIND = 0x7FFF  # every bit, the largest value of the column


class StaleMark(models.Model):
    """A plan's stored results of ``unit`` (and the units above it) in ``year`` are out of date.

    Written in the transaction of every write that feeds a measure; the background recompute
    deletes the marks it has worked off (docs/rules.md#live-results). Plan and unit by name,
    not by import: this floor lies below both apps.
    """

    plan = models.ForeignKey("plan.Plan", models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.OrgUnit", models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    marked_at = models.DateTimeField()
    # The writes this mark stands for: 1 right after the write that created it, which is the
    # write that queues the recompute (kinerja/db/stale.py says why the others need not).
    writes = models.PositiveIntegerField(default=1)
    # The kinds of data written since the mark was made, one bit each (``MARK_KINDS``): a run
    # recomputes only the indicators that read them. A write naming no kind (a plan load), and a
    # mark made before kinds were kept, has every bit.
    kinds = models.PositiveSmallIntegerField(default=EVERY_KIND)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "year"], name="stale_mark_once")
        ]
        verbose_name = _("stale result mark")
        verbose_name_plural = _("stale result marks")

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.unit_id}/{self.year}"
