from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict[str, Any]:
    # Lazy: pages that show no menu (the public survey form, on every citizen's phone) skip
    # its ten URL reversals.
    return {
        "menu": SimpleLazyObject(lambda: _menu(request)),
        "demo_data": _demo_data(),
        # Lazy too: read only by the pages of signed-in staff (the header, the home page).
        "unread_notifications": SimpleLazyObject(lambda: _unread(request)),
        "early_warnings": SimpleLazyObject(lambda: _early_warnings(request)),
    }


def _unread(request: HttpRequest) -> int:
    from kinerja.monitoring.models import Notification

    if not request.user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=request.user.pk, read_at__isnull=True).count()


def _early_warnings(request: HttpRequest) -> list[Any]:
    from kinerja.monitoring.queries import warnings_for
    from kinerja.results.quarterly import reads_of

    return warnings_for(request.user, reads_of(request))


def _menu(request: HttpRequest) -> list[dict[str, Any]]:
    from kinerja.site.navigation import MENU

    menu = []
    for name, label in MENU:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        menu.append({"url": url, "label": label, "active": active})
    return menu


def _demo_data() -> bool:
    from kinerja.lib.models import DemoMarker

    return settings.KINERJA_DEMO_BANNER and DemoMarker.objects.exists()
