"""Demo signatories and signing dates (fictional people): a Camat replaced mid-2023, the Wali
Kota, and the signing dates of most years. The PK, LKjIP and SKM report of 2023 are left
unsigned, so the demo shows a document as DRAF."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from kinerja.plan.models import Plan
from kinerja.reports.actions import SignatoryInput, do_save_signatory, do_save_signing_date
from kinerja.reports.models import Signatory, SigningDate

SIGNATORIES = [
    SignatoryInput(
        Signatory.Role.HEAD,
        "Drs. Ahmad Sutrisno, M.Si.",
        "197003151995031002",
        "Pembina Tk. I (IV/b)",
        "Camat Wonoasih",
        date(2019, 1, 2),
        date(2023, 6, 30),
    ),
    SignatoryInput(
        Signatory.Role.HEAD,
        "Dewi Lestari, S.STP., M.AP.",
        "198207042001122001",
        "Pembina (IV/a)",
        "Camat Wonoasih",
        date(2023, 7, 1),
    ),
    SignatoryInput(
        Signatory.Role.SUPERIOR,
        "Budi Santoso",
        "",
        "",
        "Wali Kota Probolinggo",
        date(2019, 1, 2),
    ),
]
UNSIGNED_YEAR = 2023


def load(plan: Plan) -> str:
    if not Signatory.objects.filter(unit=plan.unit).exists():
        for data in SIGNATORIES:
            do_save_signatory(None, plan.unit, data)
    count = 0
    for year in plan.years:
        if year == UNSIGNED_YEAR:
            continue
        for kind, day in (
            (SigningDate.Kind.PK, date(year, 1, 15)),
            (SigningDate.Kind.LKJIP, date(year + 1, 2, 27)),
            (SigningDate.Kind.SKM, date(year, 12, 20)),
        ):
            if day <= timezone.localdate():
                do_save_signing_date(None, plan.unit, kind, year, day, "Probolinggo")
                count += 1
    return f"{len(SIGNATORIES)} signatories, {count} signing dates ({UNSIGNED_YEAR} unsigned)"
