"""Survey fixtures: services of Kecamatan Wonoasih and helpers to write survey files."""

from __future__ import annotations

from typing import Any

import pytest

from kinerja_core.survey_csv import element_header

# Element columns named as exports name them (no element order needed to read them).
HEADER_CELLS = [
    *["submitted_at", "service", "gender", "age", "education", "occupation"],
    *element_header(),
    "suggestion",
]
HEADER = ",".join(f'"{cell}"' if "," in cell else cell for cell in HEADER_CELLS)
BARE_HEADER = (
    "submitted_at,service,gender,age,education,occupation,U1,U2,U3,U4,U5,U6,U7,U8,U9,suggestion"
)
# The regulation's worked example: 29 respondents, element totals in U1…U9 order.
WORKED_TOTALS = (105, 101, 100, 116, 102, 105, 106, 115, 105)


def worked_rows() -> list[list[int]]:
    """29 responses whose element totals are the worked example's (4s first, then 3s)."""
    return [[4 if i < total - 87 else 3 for total in WORKED_TOTALS] for i in range(29)]


def csv_text(rows: list[list[int]], service: str = "ktp", day: str = "2024-03-05") -> str:
    lines = [HEADER]
    for scores in rows:
        lines.append(f"{day},{service},L,40,SMA,Swasta,{','.join(map(str, scores))},")
    return "\n".join(lines) + "\n"


def units() -> Any:
    """City > Kecamatan Wonoasih > Kelurahan Wonoasih, without loading the whole plan (fast);
    the ``wonoasih`` fixture, when also used, updates these same units."""
    from kinerja.accounts.models import OrgUnit

    city, _ = OrgUnit.objects.get_or_create(
        code="kota-probolinggo", defaults={"name": "Probolinggo", "level": "city"}
    )
    kec, _ = OrgUnit.objects.get_or_create(
        code="kec-wonoasih", defaults={"name": "Wonoasih", "level": "kecamatan", "parent": city}
    )
    OrgUnit.objects.get_or_create(
        code="kel-wonoasih", defaults={"name": "Wonoasih", "level": "kelurahan", "parent": kec}
    )
    return kec


@pytest.fixture
def kec(db: Any) -> Any:
    return units()


@pytest.fixture
def service(kec: Any) -> Any:
    from kinerja.surveys.actions import do_save_service

    return do_save_service(kec, code="ktp", name="Rekomendasi KTP-el/KK", yearly_users={2024: 1000})


@pytest.fixture
def kel_service(kec: Any) -> Any:
    from kinerja.accounts.models import OrgUnit
    from kinerja.surveys.actions import do_save_service

    kel = OrgUnit.objects.get(code="kel-wonoasih")
    return do_save_service(kel, code="sk", name="Surat Keterangan", yearly_users={2024: 200})


@pytest.fixture
def officer(wonoasih: Any, people: Any) -> Any:
    from kinerja.accounts.models import OrgUnit, Role
    from kinerja.test import make_user

    return make_user("pelayanan", Role.SURVEY_OFFICER, OrgUnit.objects.get(code="kec-wonoasih"))
