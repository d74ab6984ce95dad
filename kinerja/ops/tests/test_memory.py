"""The first responses of a process freeze what it has loaded (kinerja/ops/memory.py), and
gunicorn's master what it preloaded (kinerja/ops/forking.py)."""

from __future__ import annotations

import gc
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from kinerja.ops import forking
from kinerja.ops.memory import FreezeLoadedMiddleware
from kinerja.ops.serving import gunicorn_argv


def respond(_request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_the_first_responses_freeze_what_is_alive_then_no_more(settings: Any) -> None:
    settings.KINERJA_GC_FREEZE_REQUESTS = 2
    middleware = FreezeLoadedMiddleware(respond)
    request = RequestFactory().get("/")
    try:
        gc.unfreeze()
        kept = [[n] for n in range(1000)]  # loaded by the process: frozen by the next response
        assert middleware(request).content == b"ok"
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)
        later = [[n] for n in range(1000)]  # a cache filled by the second response
        middleware(request)
        assert gc.get_freeze_count() >= frozen + len(later)
        gc.unfreeze()
        middleware(request)  # the third: collected as usual from now on
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_zero_turns_it_off(settings: Any) -> None:
    settings.KINERJA_GC_FREEZE_REQUESTS = 0
    middleware = FreezeLoadedMiddleware(respond)
    gc.unfreeze()
    middleware(RequestFactory().get("/"))
    assert gc.get_freeze_count() == 0


def test_the_master_freezes_what_it_loaded_before_each_fork() -> None:
    """kinerja/ops/forking.py, the hooks gunicorn reads (``--config``)."""
    assert "python:kinerja.ops.forking" in gunicorn_argv("127.0.0.1:8000", 2)
    try:
        gc.unfreeze()
        loaded = [[n] for n in range(1000)]  # the app the master preloaded
        forking.pre_fork(None, None)
        assert gc.get_freeze_count() >= len(loaded)
    finally:
        gc.unfreeze()
