"""The documents Kinerja prints, keyed by kind, each with its renderers keyed by format.

``DOCUMENTS[kind].build(plan, year)`` builds the data once; ``.renderers[fmt](data)`` turns it
into the bytes of one file format, typed for that kind's report data. The ``skm`` kind needs the surveys app's report data and is
offered only when that app provides it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib.util import find_spec
from typing import Any, Generic, TypeVar

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from kinerja.plan.models import Plan

from . import renderers as r
from .builders import DOCUMENT_LANGUAGE, Report, build_capaian, build_iku
from .lkjip import build_lkjip
from .lkjip_docx import docx_lkjip
from .monitoring_documents import build_renaksi, build_triwulan, docx_renaksi, docx_triwulan
from .pk import build_pk
from .skm_docx import docx_skm_report
from .skm_report import build_skm_report

R = TypeVar("R", bound=Report)


@dataclass(frozen=True)
class Document(Generic[R]):
    """One kind of document: its title, its data builder, and a renderer per file format."""

    title: StrOrPromise
    build: Callable[[Plan, int, date | None], R]
    renderers: Mapping[str, Callable[[R], bytes]]

    def render(self, fmt: str, plan: Plan, year: int, on: date | None) -> bytes:
        return self.renderers[fmt](self.build(plan, year, on))


DOCUMENTS: dict[str, Document[Any]] = {
    "iku": Document(
        _("Key performance indicators (IKU)"),
        build_iku,
        {"pdf": r.pdf_renderer("iku"), "docx": r.docx_iku},
    ),
    "pk": Document(
        _("Performance agreement (Perjanjian Kinerja)"),
        build_pk,
        {"pdf": r.pdf_renderer("pk"), "docx": r.docx_pk},
    ),
    "capaian": Document(
        _("Performance achievement (LKjIP chapter III)"),
        build_capaian,
        {"pdf": r.pdf_renderer("capaian"), "docx": r.docx_capaian, "xlsx": r.xlsx_capaian},
    ),
    "lkjip": Document(
        _("Performance report (LKjIP)"),
        build_lkjip,
        {"pdf": r.pdf_renderer("lkjip"), "docx": docx_lkjip},
    ),
    "skm": Document(
        _("Community satisfaction survey report (SKM)"),
        build_skm_report,
        {"pdf": r.pdf_renderer("skm"), "docx": docx_skm_report},
    ),
    "renaksi": Document(
        _("Action plan (Rencana Aksi)"),
        build_renaksi,
        {"pdf": r.pdf_renderer("renaksi"), "docx": docx_renaksi},
    ),
    "triwulan": Document(
        _("Quarterly report (laporan triwulan)"),
        build_triwulan,
        {"pdf": r.pdf_renderer("triwulan"), "docx": docx_triwulan},
    ),
}
TITLES: dict[str, StrOrPromise] = {kind: d.title for kind, d in DOCUMENTS.items()}
RENDERERS: dict[str, Mapping[str, Callable[[Any], bytes]]] = {
    kind: d.renderers for kind, d in DOCUMENTS.items()
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
    return kind in DOCUMENTS


def kinds() -> list[str]:
    return [kind for kind in DOCUMENTS if available(kind)]


def described() -> str:
    """Every kind that can be built now with its title and formats, in the active language
    ("iku: Indikator Kinerja Utama (IKU), pdf/docx; …"): what a help text or a refusal lists."""
    return "; ".join(
        f"{kind}: {DOCUMENTS[kind].title}, {'/'.join(RENDERERS[kind])}" for kind in kinds()
    )


def check(kind: str, fmt: str) -> None:
    if kind not in DOCUMENTS or not available(kind):
        raise UnknownReport(
            gettext("There is no document %(kind)s. The documents are %(kinds)s.")
            % {"kind": repr(kind), "kinds": described()}
        )
    if fmt not in RENDERERS[kind]:
        raise UnknownReport(
            gettext("The document %(kind)s comes as %(formats)s, not %(format)s.")
            % {"kind": kind, "formats": ", ".join(RENDERERS[kind]), "format": repr(fmt)}
        )


def render(kind: str, fmt: str, plan: Plan, year: int, on: date | None = None) -> bytes:
    """The document's bytes, in Indonesian whatever the page's or the command line's language."""
    check(kind, fmt)
    with translation.override(DOCUMENT_LANGUAGE):
        return DOCUMENTS[kind].render(fmt, plan, year, on)


def render_data(kind: str, fmt: str, data: Report) -> bytes:
    """The bytes of data already built (a PK of a level or a stored version), in Indonesian."""
    check(kind, fmt)
    with translation.override(DOCUMENT_LANGUAGE):
        return RENDERERS[kind][fmt](data)


def filename(kind: str, fmt: str, plan: Plan, year: int) -> str:
    return f"{kind}-{plan.code}-{year}.{fmt}"
