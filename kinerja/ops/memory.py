"""Keep what a process loads once out of the garbage collector's full collections.

A web process holds ~150 000 objects that live as long as it does: modules, URL patterns,
compiled templates, translation catalogues, the first requests' caches. CPython's full
(generation 2) collection walks all of them; on our machines it takes ~60 ms, and it falls in
the middle of whichever request allocated the object that triggered it: a dashboard's median
of 40 ms had a p95 of 160 ms. ``gc.freeze()`` moves every object alive now to a permanent
generation that collections skip. The first ``KINERJA_GC_FREEZE_REQUESTS`` responses of each
process each end with a collection (so no garbage is frozen with them) and a freeze: by then the
process has loaded what it keeps, and what is frozen is what the next collection would have
walked again and again. Objects created later are collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class FreezeLoadedMiddleware:
    """After each of the process's first ``KINERJA_GC_FREEZE_REQUESTS`` responses: collect,
    then freeze what is left (0 turns it off)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.left = settings.KINERJA_GC_FREEZE_REQUESTS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.left > 0:
            self.left -= 1
            gc.collect()
            gc.freeze()
        return response
