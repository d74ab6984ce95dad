"""The admin site: its log-in goes through Kinerja's (throttling, two-factor); superusers only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse


def admin_login_redirect(
    request: HttpRequest, extra_context: object = None
) -> HttpResponseRedirect:
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


def superuser_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)
