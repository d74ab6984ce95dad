"""The service a page or an API call names (by ``pk`` or ``slug``), for a user allowed to act on
its unit (one look-up for every staff view and the API: 404 when there is no such service,
PermissionDenied when the user may not). The public form finds services by its own cached path
(formcache.py)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from kinerja.accounts import access

from .models import Service


def get_service_or_404(
    user: access.UserLike, action: str = access.VIEW, **lookup: int | str
) -> Service:
    service = get_object_or_404(Service.objects.select_related("unit"), **lookup)
    access.require(user, action, service.unit)
    return service
