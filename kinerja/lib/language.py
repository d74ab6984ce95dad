"""The language figures and dates are written in: the active UI language, as the core names it."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language


def lang() -> str:
    """ "en" while English is active, else "id" (the product's language, also with none active)."""
    return "en" if (get_language() or "id").startswith("en") else "id"


def clock(moment: datetime, seconds: bool = False) -> str:
    """The time of day people read, local (WIB) and the Indonesian way with a dot: "14.10"
    ("14.10.05" with seconds), in every language, as the dashboard's cards write it."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%H.%M.%S" if seconds else "%H.%M")
