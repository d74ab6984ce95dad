"""The documents Kinerja prints, as plain dict registries keyed by kind and by format.

``BUILDERS[kind](plan, year)`` builds the data once; ``RENDERERS[kind][fmt](data)`` turns it
into the bytes of one file format. The ``skm`` kind needs the surveys app's report data and is
offered only when that app provides it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib.util import find_spec
from typing import Any

from django.utils.translation import gettext_lazy as _

from kinerja.plan.models import Plan

from . import renderers as r
from .builders import build_capaian, build_iku, build_pk, build_skm

Builder = Callable[..., dict[str, Any]]
Renderer = Callable[[dict[str, Any]], bytes]

TITLES: dict[str, Any] = {
    "iku": _("Key performance indicators (IKU)"),
    "pk": _("Performance agreement (Perjanjian Kinerja)"),
    "capaian": _("Performance achievement (LKjIP chapter III)"),
    "skm": _("Community satisfaction survey report (SKM)"),
}

BUILDERS: dict[str, Builder] = {
    "iku": build_iku,
    "pk": build_pk,
    "capaian": build_capaian,
    "skm": build_skm,
}

RENDERERS: dict[str, dict[str, Renderer]] = {
    "iku": {"pdf": r.pdf_renderer("iku"), "docx": r.docx_iku},
    "pk": {"pdf": r.pdf_renderer("pk"), "docx": r.docx_pk},
    "capaian": {"pdf": r.pdf_renderer("capaian"), "docx": r.docx_capaian, "xlsx": r.xlsx_capaian},
    "skm": {"pdf": r.pdf_renderer("skm"), "docx": r.docx_skm},
}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class UnknownReport(LookupError):
    pass


def available(kind: str) -> bool:
    """Whether a kind can be built now (skm waits for the surveys app's report module)."""
    if kind == "skm":
        return find_spec("kinerja.surveys.reports") is not None
    return kind in BUILDERS


def kinds() -> list[str]:
    return [kind for kind in BUILDERS if available(kind)]


def check(kind: str, fmt: str) -> None:
    if kind not in BUILDERS or not available(kind):
        raise UnknownReport(f"unknown report {kind!r} (available: {', '.join(kinds())})")
    if fmt not in RENDERERS[kind]:
        raise UnknownReport(f"report {kind!r} comes as {', '.join(RENDERERS[kind])}, not {fmt!r}")


def render(kind: str, fmt: str, plan: Plan, year: int, on: date | None = None) -> bytes:
    check(kind, fmt)
    return RENDERERS[kind][fmt](BUILDERS[kind](plan, year, on))


def filename(kind: str, fmt: str, plan: Plan, year: int) -> str:
    return f"{kind}-{plan.code}-{year}.{fmt}"
