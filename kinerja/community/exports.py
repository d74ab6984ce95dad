"""The registry out as CSV/XLSX, in exactly the columns the importers read back.

Export then import is a no-op, so an office can edit the spreadsheet and load it again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet

from kinerja.accounts.models import OrgUnit
from kinerja.lib.tables import cell_text, safe_cell, xlsx_bytes

from .importers import GROUP_OPTIONAL
from .models import ActivityGroup, Group

GROUP_HEADER = [
    "code", "name", "kind", "kelurahan", "established", "dissolved", *GROUP_OPTIONAL,
]  # fmt: skip
ACTIVITY_HEADER = ["date", "group_code", "type", "title", "description", "kelurahan"]


Units = QuerySet[OrgUnit] | None  # the kelurahan to export; None: every one


def group_rows(units: Units) -> Iterator[Sequence[Any]]:
    groups = Group.objects.all() if units is None else Group.objects.filter(kelurahan__in=units)
    rows = (
        groups.order_by("kelurahan__path", "code").values_list(
            "code",
            "name",
            "kind__code",
            "kelurahan__code",
            "established",
            "dissolved",
            "chair",
            "contact",
            "member_count",
            "address",
            "notes",
            "decree_number",
            "decree_date",
        )  # fmt: skip
    )
    yield from rows.iterator(chunk_size=2000)


def activity_rows(units: Units) -> Iterator[Sequence[Any]]:
    links = ActivityGroup.objects.all()
    if units is not None:
        links = links.filter(group__kelurahan__in=units)
    rows = links.order_by("activity__date", "activity__pk", "group__code").values_list(
        "activity__date",
        "group__code",
        "activity__type",
        "activity__title",
        "activity__description",
        "group__kelurahan__code",
    )
    yield from rows.iterator(chunk_size=2000)


TABLES = {
    "groups": (GROUP_HEADER, group_rows),
    "activities": (ACTIVITY_HEADER, activity_rows),
}


def export_bytes(fmt: str, kind: str, units: Units) -> bytes:
    """XLSX holds both tables (one sheet each); CSV holds the one named by ``kind``."""
    if fmt == "xlsx":
        return xlsx_bytes([(name, header, rows(units)) for name, (header, rows) in TABLES.items()])
    header, rows = TABLES[kind]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows(units):
        writer.writerow([cell_text(safe_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
