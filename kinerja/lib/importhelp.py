"""What every import page offers: its columns explained, and a template to fill in.

An import describes its file once, as a list of ``Column``; the page shows them as a table
(column, meaning, allowed values, example: ``lib/_import_columns.html``) and
``template_response`` turns the same list into the CSV or XLSX template (the header and one
example row), so the explanation and the template never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from .tables import csv_response, xlsx_response

TEMPLATE_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One column of an import file; ``meaning`` and ``allowed`` are (lazy) user texts."""

    name: str
    meaning: Any
    allowed: Any
    example: str
    required: bool = False


def template_response(
    stem: str, sheet: str, columns: Sequence[Column], fmt: str
) -> HttpResponseBase:
    """The template download: the columns' header and their examples as one row."""
    header = [c.name for c in columns]
    example = [c.example for c in columns]
    if fmt == "csv":
        return csv_response(f"{stem}.csv", header, [example])
    if fmt == "xlsx":
        return xlsx_response(f"{stem}.xlsx", [(sheet, header, [example])])
    raise Http404


@dataclass
class ImportReport:
    """What an import did or, on a dry run, would do: rows read, records created, updated and
    left as they were (the registry's and the budget's imports count alike)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
