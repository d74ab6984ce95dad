from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict[str, Any]:
    # Lazy: pages that show no menu (the public survey form, on every citizen's phone) skip
    # its ten URL reversals.
    return {"menu": SimpleLazyObject(lambda: _menu(request)), "demo_data": _demo_data()}


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
