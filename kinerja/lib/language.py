"""The language figures and dates are written in: the active UI language, as the core names it."""

from __future__ import annotations

from django.utils.translation import get_language


def lang() -> str:
    """ "en" while English is active, else "id" (the product's language, also with none active)."""
    return "en" if (get_language() or "id").startswith("en") else "id"
