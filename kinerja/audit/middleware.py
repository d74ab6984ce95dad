"""Log refused access (403, and 401 from the API) in the audit chain."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kinerja.lib.clientip import client_ip

from . import chain
from .models import AuditEntry


class RefusedAccessMiddleware:
    """Every 401/403 answer becomes an ``access_refused`` entry naming the user and the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (401, 403):
            user = getattr(request, "user", None)
            chain.append(
                AuditEntry.Action.ACCESS_REFUSED,
                actor=user,
                object_repr=f"{request.method} {request.get_full_path()}",
                reason=str(response.status_code),
                ip=client_ip(request),
            )
        return response
