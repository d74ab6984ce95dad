"""The public results page and IKM posters: read from the daily rollup, served from a cache.

Anyone may ask for any unit and period, so neither may cost more as responses grow: each
request reads what the page shows in a fixed handful of small indexed queries (the unit, the
period's tally from the daily rollup, its closed days kept under the rollup's version
(publictally.py), the year's service users, the follow-up plan, the demo flag;
``reports.public_report_data``), never raw responses. The rendered page, PDF or PNG
(a poster PDF is about a second of WeasyPrint) is then looked up under a digest of exactly that
data, the language and the kind of output. A rendering cannot go stale: whatever it shows
changes its key, so the next request after a new response or an edited follow-up renders anew.
Renderings live in the "public_pages" cache for KINERJA_PUBLIC_PAGE_CACHE_SECONDS, at most
KINERJA_PUBLIC_PAGE_CACHE_ENTRIES of them per process (docs/security.md). Rendering a poster
costs a worker about a second, and anyone can ask for one of thousands of unit and period
pairs, so a client may make at most KINERJA_PUBLIC_RENDER_RATE of them a minute (posters
already in the cache are served without counting); past it ``RenderRefused``.

The HTML page is cached with a slot for the CSRF token of its language switch, filled in per
request as the questionnaire's cached page is (formcache); a page with a query string (which
it shows in that switch) is rendered in full, from the same data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from kinerja.accounts.models import OrgUnit
from kinerja_core.periods import Period

from . import ratelimit, reports
from .formcache import CSRF_SLOT
from .forms import ELEMENT_NAMES

CACHE = "public_pages"
RESULTS_TEMPLATE = "surveys/public/results.html"

T = TypeVar("T")


class RenderRefused(Exception):
    """The client had this minute's poster renderings already."""


class PublicData:
    """What one public page shows, read once per request, and the cache key of its output."""

    def __init__(self, unit: OrgUnit, period: Period) -> None:
        self.data = reports.public_report_data(unit, period)
        self.demo = reports.demo_data()
        self._digest = hashlib.sha256(
            repr((get_language(), self.demo, self.data)).encode()
        ).hexdigest()

    def cached(self, kind: str, render: Callable[[], T]) -> T:
        """The ``kind`` of output (page, PDF, PNG) of this data: from the cache, or rendered
        and kept there."""
        cache = caches[CACHE]
        key = f"{kind}:{self._digest}"
        found: T | None = cache.get(key)
        if found is None:
            found = render()
            cache.set(key, found, settings.KINERJA_PUBLIC_PAGE_CACHE_SECONDS)
        return found


def results_html(request: HttpRequest, unit: OrgUnit, period: Period) -> str:
    page = PublicData(unit, period)
    context: dict[str, Any] = {
        "data": page.data,
        "element_names": ELEMENT_NAMES,
        "demo_data": page.demo,
    }
    if settings.DEBUG or request.META.get("QUERY_STRING", ""):
        return render_to_string(RESULTS_TEMPLATE, context, request)
    html = page.cached(
        # The path is shown in the language switch ("2024" and "2024%20" are one period).
        f"html:{request.path}",
        lambda: render_to_string(RESULTS_TEMPLATE, {**context, "csrf_token": CSRF_SLOT}, request),
    )
    return html.replace(CSRF_SLOT, get_token(request))


def _pdf(page: PublicData) -> bytes:
    return page.cached("pdf", lambda: reports.render_poster_pdf(page.data, page.demo))


def _counted(request: HttpRequest, render: Callable[[], bytes]) -> Callable[[], bytes]:
    def counted() -> bytes:
        if not ratelimit.allow_render(request):
            raise RenderRefused
        return render()

    return counted


def poster_pdf(request: HttpRequest, unit: OrgUnit, period: Period) -> bytes:
    page = PublicData(unit, period)
    return page.cached("pdf", _counted(request, lambda: _pdf(page)))


def poster_png(request: HttpRequest, unit: OrgUnit, period: Period) -> bytes:
    page = PublicData(unit, period)
    return page.cached("png", _counted(request, lambda: reports.pdf_to_png(_pdf(page))))
