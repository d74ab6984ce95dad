"""Per-process caches behind the public questionnaire: the service of a link, and the blank page.

On every citizen's GET and POST, building the ORM look-up of the service (and its unit) and
rendering the blank page cost more than everything else the view does. Neither cache can go
stale: each request still reads the service's row, with SQL the ORM compiled once per process
(``kinerja.db.formcache``), and a cached object or page is used only while that row, the
language, kiosk mode and the demo-data flag are what they were when it was made. A service
switched off or changed is seen by the very next request in every worker.

The blank page is rendered with two slots, filled in per request: the CSRF token (masked anew
for each visitor, which also sets the CSRF cookie) and the one-time form token. Re-shown forms
(with errors) are rendered in full.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from kinerja.db.formcache import active_service_row, active_services

from .models import Service

# Plain words (nothing HTML escaping changes) that no rendered page contains otherwise.
CSRF_SLOT = "kinerja-slot-csrf-9f3c"
TOKEN_SLOT = "kinerja-slot-token-9f3c"  # noqa: S105 - a placeholder, not a secret
# Bounds, so a province's thousands of services cannot grow a worker without limit; the oldest
# entry goes first (re-made on its next request).
MAX_SERVICES = 4096
MAX_PAGES = 512


@dataclass(frozen=True)
class Found:
    """An active service as its link found it, and its row as the database has it now."""

    service: Service
    row: tuple[Any, ...]
    demo_data: bool  # demo data is loaded: the page is labelled (as the context processor does)


_services: dict[str, Found] = {}
_pages: dict[tuple[str, str, bool], tuple[tuple[Any, ...], str]] = {}


def _remember(cache: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    cache.pop(key, None)
    while len(cache) >= limit:
        del cache[next(iter(cache))]
    cache[key] = value


def active_service(slug: str) -> Found:
    """The active service of a public link (404 otherwise), read anew on every request."""
    stored = active_service_row(slug)
    if stored is None:
        raise Http404("No active survey service matches the given query.")
    row = stored.row
    cached = _services.get(slug)
    if cached is not None and cached.row == row:
        return cached
    service = get_object_or_404(active_services(), slug=slug)
    found = Found(service, row, settings.KINERJA_DEMO_BANNER and stored.demo_data)
    _remember(_services, slug, found, MAX_SERVICES)
    return found


def blank_page(
    request: HttpRequest,
    found: Found,
    kiosk: bool,
    token: str,
    render: Callable[[str, dict[str, Any]], str],
) -> str | None:
    """The blank form page for this request with its form ``token``, or None when it cannot
    come from the cache. ``render(form_token, extra_context)`` renders the page in full."""
    if settings.DEBUG or request.META.get("QUERY_STRING", "") not in ("", "kiosk=1"):
        # Any other query string shows up in the page (the language switch returns to it).
        return None
    key = (found.service.slug, get_language(), kiosk)
    cached = _pages.get(key)
    if cached is None or cached[0] != found.row:
        html = render(TOKEN_SLOT, {"csrf_token": CSRF_SLOT, "demo_data": found.demo_data})
        _remember(_pages, key, (found.row, html), MAX_PAGES)
    else:
        html = cached[1]
    return html.replace(CSRF_SLOT, get_token(request)).replace(TOKEN_SLOT, token)
