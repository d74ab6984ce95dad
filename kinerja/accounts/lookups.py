"""The org unit a page or an API call names, for a user allowed to act there (one look-up for
every view: 404 when there is no such unit, PermissionDenied when the user may not)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from . import access
from .models import OrgUnit


def get_unit_or_404(user: access.UserLike, code: str, action: str = access.VIEW) -> OrgUnit:
    unit = get_object_or_404(OrgUnit, code=code)
    access.require(user, action, unit)
    return unit
