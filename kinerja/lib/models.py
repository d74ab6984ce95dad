from __future__ import annotations

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
