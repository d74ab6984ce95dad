"""Group kinds on a staff page: a city's own kinds by those who keep the registry of the whole
city, the kinds every city shares by administrators only; a kind in use is never deleted."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kinerja.accounts.models import OrgUnit, Role
from kinerja.community.actions import do_delete_group_kind, do_save_group_kind
from kinerja.community.models import GroupKind
from kinerja.community.tests.factories import make_group
from kinerja.test import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_officer(people: Any) -> Any:
    return make_user("dpmd", Role.REGISTRY_OFFICER, OrgUnit.objects.get(code="kota-probolinggo"))


@pytest.fixture
def kampung_kb(people: Any) -> GroupKind:
    city = OrgUnit.objects.get(code="kota-probolinggo")
    return GroupKind.objects.create(code="kampung-kb", name="Kampung KB", city=city)


def test_it_lets_a_city_registry_officer_add_and_rename_the_citys_kinds(
    login: Any, city_officer: Any
) -> None:
    client = login(city_officer)
    city = OrgUnit.objects.get(code="kota-probolinggo")
    page = client.get(reverse("community:kind_create")).content.decode()
    assert f'value="{city.pk}"' in page
    created = client.post(
        reverse("community:kind_create"),
        {"code": "kampung-kb", "name": "Kampung KB", "order": "50", "city": city.pk},
    )
    assert created.status_code == 302
    kind = GroupKind.objects.get(code="kampung-kb")
    assert kind.city == city and not kind.is_institution
    client.post(
        reverse("community:kind_edit", args=[kind.pk]),
        {"code": "kampung-kb", "name": "Kampung Keluarga Berkualitas", "order": "50",
         "city": city.pk, "is_institution": "on"},
    )  # fmt: skip
    kind.refresh_from_db()
    assert kind.name == "Kampung Keluarga Berkualitas" and kind.is_institution
    # Every change is in the history with who made it (audit/tracked.py keeps GroupKind).
    assert kind.history.first().history_user == city_officer
    listing = client.get(reverse("community:kind_list")).content.decode()
    assert "Kampung Keluarga Berkualitas" in listing and "Posyandu" in listing


def test_it_refuses_a_code_the_city_already_uses(login: Any, city_officer: Any) -> None:
    client = login(city_officer)
    city = OrgUnit.objects.get(code="kota-probolinggo")
    data = {"code": "kampung-kb", "name": "Kampung KB", "order": "50", "city": city.pk}
    client.post(reverse("community:kind_create"), data)
    again = client.post(reverse("community:kind_create"), data)
    assert again.status_code == 200 and GroupKind.objects.filter(code="kampung-kb").count() == 1
    assert "kode" in again.content.decode().lower()


def test_it_shows_the_kinds_read_only_to_kecamatan_staff(
    login: Any, people: Any, kampung_kb: GroupKind
) -> None:
    client = login(people["operator"])
    listing = client.get(reverse("community:kind_list")).content.decode()
    assert "Kampung KB" in listing and "Posyandu" in listing
    assert reverse("community:kind_edit", args=[kampung_kb.pk]) not in listing
    assert client.get(reverse("community:kind_edit", args=[kampung_kb.pk])).status_code == 403
    assert client.get(reverse("community:kind_create")).status_code == 403


def test_it_keeps_the_shared_kinds_for_administrators(city_officer: Any, people: Any) -> None:
    posyandu = GroupKind.objects.get(code="posyandu", city=None)
    posyandu.name = "Pos Pelayanan Terpadu"
    with pytest.raises(PermissionDenied):
        do_save_group_kind(city_officer, posyandu)
    assert GroupKind.objects.get(pk=posyandu.pk).name == "Posyandu"
    do_save_group_kind(people["admin"], posyandu)
    assert GroupKind.objects.get(pk=posyandu.pk).name == "Pos Pelayanan Terpadu"


def test_it_refuses_a_kind_owned_by_a_kecamatan(city_officer: Any) -> None:
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    with pytest.raises((ValidationError, PermissionDenied)):
        do_save_group_kind(city_officer, GroupKind(code="x", name="X", city=kec))
    assert not GroupKind.objects.filter(code="x").exists()


def test_it_deletes_only_kinds_no_group_uses(
    login: Any, city_officer: Any, kampung_kb: GroupKind
) -> None:
    group = make_group("KB-01", date(2020, 1, 1), kind="rt")
    group.kind = kampung_kb
    group.save()
    with pytest.raises(ValidationError, match="1 kelompok"):
        do_delete_group_kind(city_officer, kampung_kb)
    group.delete()
    client = login(city_officer)
    assert client.get(reverse("community:kind_delete", args=[kampung_kb.pk])).status_code == 405
    assert client.post(reverse("community:kind_delete", args=[kampung_kb.pk])).status_code == 302
    assert not GroupKind.objects.filter(pk=kampung_kb.pk).exists()
