"""The results tests' small plan and people serve the reports tests too."""

from datetime import date
from typing import Any

import pytest

from kinerja.plan.models import Plan
from kinerja.reports.models import Signatory, SigningDate
from kinerja.results.tests.conftest import staff, staff_factory, uji

__all__ = ["signed", "staff", "staff_factory", "uji"]

SIGNED_YEARS = range(2020, 2025)


@pytest.fixture
def signed(uji: Any) -> Any:
    """The "uji" plan with every date and name its documents sign with: none is a draft, so
    each can be issued (docs/rules.md#issued-documents)."""
    uji.document = {**(uji.document or {}), "date": "Januari 2021"}
    Plan.objects.filter(pk=uji.pk).update(document=uji.document)
    for role, name, nip, position in (
        (Signatory.Role.HEAD, "Drs. Penanda Tangan", "197003151995031002", "Camat Uji"),
        (Signatory.Role.SUPERIOR, "Wali Pertama", "", "Wali Kota Uji"),
    ):
        Signatory.objects.create(
            unit=uji.unit,
            role=role,
            name=name,
            nip=nip,
            position=position,
            valid_from=date(2019, 1, 2),
        )
    for year in SIGNED_YEARS:
        for kind, day in (
            (SigningDate.Kind.PK, date(year, 1, 10)),
            (SigningDate.Kind.LKJIP, date(year + 1, 2, 1)),
            (SigningDate.Kind.SKM, date(year, 12, 20)),
        ):
            SigningDate.objects.create(unit=uji.unit, kind=kind, year=year, date=day, place="Uji")
    return uji
