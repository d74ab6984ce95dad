"""Django's template backend, with each render's context taken apart when the render ends.

Django's ``Context.push()`` wraps each dict it adds in a ``ContextDict`` that points back at the
context: every rendered page leaves a reference cycle, and with it everything its context holds
(a city dashboard's ~1 850 cells, their result rows, indicators and targets: ~16 000 objects per
request, measured with ``gc.DEBUG_SAVEALL``). Reference counting cannot free a cycle; only
Python's full garbage collection does, and one that fell in the middle of a later request took
30–95 ms of it (kinerja/ops/memory.py). Emptying the context's stacks once the page is rendered
breaks the cycles, so the page's objects go the moment the view lets go of them.
"""

from __future__ import annotations

from typing import Any, cast

from django.template import Context
from django.template.backends.django import DjangoTemplates
from django.template.backends.django import Template as BackendTemplate
from django.template.base import Template as CompiledTemplate
from django.utils.safestring import SafeString


class Unlinked:
    """A compiled template whose ``render`` empties the context's stacks afterwards."""

    def __init__(self, template: CompiledTemplate) -> None:
        self.template = template

    @property
    def origin(self) -> Any:
        return self.template.origin

    def render(self, context: Context) -> SafeString:
        try:
            return self.template.render(context)
        finally:
            # Nothing reads a context after its render (the test client keeps copies, with
            # lists of their own): the ContextDicts' only other referrer was the cycle.
            context.dicts.clear()
            context.render_context.dicts.clear()


class Templates(DjangoTemplates):
    """``DjangoTemplates`` whose templates unlink their contexts (module docstring)."""

    def from_string(self, template_code: str) -> BackendTemplate:
        return wrapped(self.engine.from_string(template_code), self)

    def get_template(self, template_name: str) -> BackendTemplate:
        return wrapped(super().get_template(template_name).template, self)


def wrapped(template: CompiledTemplate, backend: Templates) -> BackendTemplate:
    # Unlinked answers what the backend's Template asks of a compiled one (render, origin).
    return BackendTemplate(cast(CompiledTemplate, Unlinked(template)), backend)
