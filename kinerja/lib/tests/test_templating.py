"""The template backend takes each render's context apart when the render ends, so what a page
showed is freed by reference counting alone (kinerja/lib/templating.py)."""

from __future__ import annotations

import gc
import weakref

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory

from kinerja.lib.templating import Templates

pytestmark = pytest.mark.django_db  # the context processors read the site's settings


class Shown:
    def __init__(self, label: str) -> None:
        self.label = label

    def __str__(self) -> str:
        return self.label


def test_the_project_renders_with_this_backend() -> None:
    assert isinstance(engines["django"], Templates)


def test_a_rendered_context_goes_with_the_last_reference() -> None:
    request = RequestFactory().get("/")
    template = engines["django"].from_string("{% with x=item %}{{ x }}{% endwith %}")
    gc.collect()
    gc.disable()
    try:
        item = Shown("sel")
        watched = weakref.ref(item)
        assert template.render({"item": item}, request) == "sel"
        assert "Kinerja" in render_to_string("base.html", {"item": item}, request)
        del item
        # Django's Context and its ContextDicts point at each other: without the unlinking the
        # item would wait for the (here disabled) garbage collector.
        assert watched() is None
    finally:
        gc.enable()
