"""Attack regressions: stored text with control characters exports to XLSX (it gave a 500).

The text is stored straight through the ORM, as data entered before input was checked would be.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kinerja.accounts.models import OrgUnit
from kinerja.community.tests.factories import make_group
from kinerja.lib.tables import xlsx_bytes
from kinerja.surveys.actions import Answer, do_save_service, do_submit_response

pytestmark = pytest.mark.django_db


def cells(data: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [
        v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row
    ]


def test_it_exports_a_suggestion_holding_a_vertical_tab(people, login) -> None:
    service = do_save_service(
        OrgUnit.objects.get(code="kec-wonoasih"), code="ktp", name="KTP", yearly_users={}
    )
    do_submit_response(
        service,
        Answer(scores={f"U{i}": 4 for i in range(1, 10)}, suggestion="antri\x0blama"),
        channel="paper",
        submitted_at=timezone.make_aware(datetime(2024, 3, 5, 9)),
    )
    url = reverse("surveys:export", args=["kec-wonoasih", "2024", "xlsx"])
    response = login(people["admin"]).get(url)
    assert response.status_code == 200
    assert "antri\ufffdlama" in cells(response.content)


def test_it_exports_a_group_name_holding_a_vertical_tab(people, login) -> None:
    make_group("WNS-RW01", date(2010, 1, 1), name="RW\x0b01")
    response = login(people["admin"]).get(reverse("community:export") + "?format=xlsx")
    assert response.status_code == 200
    assert "RW\ufffd01" in cells(response.content)


def test_it_exports_the_audit_log_of_that_group_from_the_command_line(people, tmp_path) -> None:
    make_group("WNS-RW01", date(2010, 1, 1), name="RW\x0b01")
    path = tmp_path / "audit.xlsx"
    call_command("audit", "export", "-o", str(path), stdout=io.StringIO())
    exported = [c for c in cells(path.read_bytes()) if isinstance(c, str)]
    assert any("RW\ufffd01" in c for c in exported)
    assert not any("\x0b" in c for c in exported)


def test_it_still_guards_formulas_once_control_characters_are_replaced() -> None:
    data = xlsx_bytes([("s", ["a", "b", "c"], [["=1+1", "\x0b=1+1", "-\x00x"]])])
    assert cells(data)[3:] == ["'=1+1", "\ufffd=1+1", "'-\ufffdx"]
