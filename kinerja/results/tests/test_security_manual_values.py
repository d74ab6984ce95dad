"""Attack regression: a manual value beyond its column's range is refused by the form with a
message, instead of being stored and then breaking every page that reads it (docs/security.md)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.results.forms import ManualValueForm
from kinerja.results.models import ManualValue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["12345678901234567890", "1,1234567", "-99999999999999999"])
def test_it_refuses_a_manual_value_out_of_its_range(uji, staff, login, value: str) -> None:
    before = list(ManualValue.objects.values_list("pk", "value"))
    response = login(staff["planner"]).post(
        reverse("results:manual", args=[uji.code]),
        {"name": "served", "unit": uji.unit.pk, "period": "2022", "value": value},
    )
    assert response.status_code == 200
    assert "16 digit sebelum dan 6 sesudah tanda desimal" in response.content.decode()
    assert list(ManualValue.objects.values_list("pk", "value")) == before


def test_it_accepts_the_largest_value_the_column_holds(uji, staff) -> None:
    form = ManualValueForm(
        uji,
        uji.unit.subtree(),
        {
            "name": "served",
            "unit": uji.unit.pk,
            "period": "2022",
            "value": "9999999999999999,999999",
        },
    )
    assert form.is_valid(), form.errors
