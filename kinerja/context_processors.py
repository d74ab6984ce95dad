from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def site(request: HttpRequest) -> dict[str, Any]:
    from kinerja.web.models import DemoMarker
    from kinerja.web.navigation import MENU

    menu = []
    for name, label in MENU:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        menu.append({"url": url, "label": label, "active": active})
    demo = settings.KINERJA_DEMO_BANNER and DemoMarker.objects.exists()
    return {"menu": menu, "demo_data": demo}
