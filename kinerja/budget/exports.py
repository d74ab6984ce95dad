"""Budget lines out as CSV/XLSX in exactly the columns the import reads back (export then import
is a no-op), and the template of the import page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kinerja.accounts.models import OrgUnit

from .importing import FLAG, INDICATORS, OBJECTIVES, QUARTER_COLUMNS, REQUIRED
from .models import BudgetLine

HEADER = [*REQUIRED, *QUARTER_COLUMNS, FLAG, OBJECTIVES, INDICATORS]

# The template's example rows: one line of each level a kecamatan's budget has (illustrative).
TEMPLATE_ROWS: list[Sequence[Any]] = [
    ["7.01.01", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
     250000000, 230000000, 50000000, 60000000, 60000000, 60000000, "", "", ""],
    ["7.01.01.2.01", "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
     25000000, 24000000, "", "", "", "", "", "", ""],
    ["7.01.01.2.01.0001", "Penyusunan Dokumen Perencanaan Perangkat Daerah",
     10000000, 9500000, "", "", "", "", "", "S2", "S2.1"],
]  # fmt: skip


def codes(items: Any) -> str:
    return "; ".join(sorted({item.code for item in items}))


def line_rows(unit: OrgUnit, year: int) -> Iterator[Sequence[Any]]:
    lines = (
        BudgetLine.objects.filter(unit=unit, year=year)
        .order_by("code")
        .prefetch_related("objectives", "indicators")
    )
    for line in lines:
        yield [
            line.code,
            line.name,
            line.budget,
            line.spent,
            *line.quarter_values(),
            "ya" if line.over_budget else "",
            codes(line.objectives.all()),
            codes(line.indicators.all()),
        ]
