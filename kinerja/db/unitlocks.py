"""The unit's row lock that makes imports of one unit take turns."""

from __future__ import annotations

from kinerja.accounts.models import OrgUnit

from .routing import write_alias


def lock_unit(unit_id: int) -> None:
    """Hold the unit's row until the caller's transaction ends (PostgreSQL; SQLite's IMMEDIATE
    transaction already serialises every writer)."""
    OrgUnit.objects.using(write_alias(OrgUnit)).select_for_update().filter(pk=unit_id).first()
