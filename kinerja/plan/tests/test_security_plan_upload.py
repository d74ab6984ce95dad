"""Attack regressions: a plan upload may change only the units and plans its uploader administers.

A planner of Kademangan once moved Kelurahan Wonoasih into Kademangan by listing it among
Kademangan's children, renamed the city by listing it as a parent under another name, and took
Wonoasih's plan over by reusing its code (docs/security.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kinerja.accounts import access
from kinerja.accounts.models import OrgUnit, Role
from kinerja.plan.actions import PlanRefused, do_load_plan_text
from kinerja.plan.models import Plan
from kinerja.test import WONOASIH_PLAN, make_user, other_kecamatan

pytestmark = pytest.mark.django_db

CITY = "  - {code: kota-probolinggo, name: Probolinggo, level: city}\n"
PILANG = "  - {code: kel-pilang, name: Pilang, level: kelurahan}\n"
WONOASIH_KELURAHAN = "  - {code: kel-wonoasih, name: Wonoasih, level: kelurahan}\n"


def plan_file(
    code: str = "kademangan-2020-2024",
    unit: str = "kec-kademangan",
    unit_name: str = "Kademangan",
    parents: str = CITY,
    children: str = PILANG,
) -> str:
    return (
        "format: kinerja-plan/1\n"
        f"code: {code}\n"
        "title: Rencana Kademangan\n"
        "unit:\n"
        f"  code: {unit}\n"
        f"  name: {unit_name}\n"
        "  level: kecamatan\n"
        f"  parents:\n{parents}"
        f"  children:\n{children}"
        "period: {start: 2020, end: 2021}\n"
        "goals:\n"
        "- code: T1\n"
        "  name: Tujuan\n"
        "  indicators:\n"
        "  - code: T1.1\n"
        "    name: IKM\n"
        "    level: goal\n"
        "    formula: ikm\n"
        "    unit: index\n"
        "    data_source: Dokumen SKM\n"
        "    responsible: Kasi Pelayanan\n"
        "    targets: {2020: 80, 2021: 81}\n"
    )


@pytest.fixture
def kademangan(people: dict[str, User]) -> dict[str, User]:
    kec = other_kecamatan()
    return {
        **people,
        "planner": make_user("perencana-kademangan", Role.PLANNER, kec),
        "admin": make_user("admin-kademangan", Role.ADMIN, kec),
    }


def units() -> list[tuple[str, str, str, str | None]]:
    return [
        (u.code, u.name, u.level, u.parent.code if u.parent else None)
        for u in OrgUnit.objects.select_related("parent").order_by("code")
    ]


def upload(client: Any, text: str) -> Any:
    return client.post(
        reverse("plan:upload"),
        {"file": SimpleUploadedFile("plan.yaml", text.encode()), "store": "on"},
    )


def test_it_refuses_a_planner_moving_another_kecamatans_kelurahan(kademangan, login) -> None:
    before = units()
    planner = kademangan["planner"]
    response = upload(login(planner), plan_file(children=PILANG + WONOASIH_KELURAHAN))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("kel-wonoasih" in e and "kec-wonoasih" in e for e in errors), errors
    assert "tidak berhak" in response.content.decode()  # the Indonesian refusal is shown
    assert units() == before and not Plan.objects.filter(code="kademangan-2020-2024").exists()
    wonoasih = OrgUnit.objects.get(code="kel-wonoasih")
    assert not access.can(planner, access.VIEW, wonoasih)
    assert access.can(kademangan["head"], access.VIEW, wonoasih)


def test_it_refuses_a_planner_renaming_the_city(kademangan, login) -> None:
    before = units()
    renamed = CITY.replace("name: Probolinggo", "name: Kota Diretas")
    response = upload(login(kademangan["planner"]), plan_file(parents=renamed))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "kota-probolinggo" in errors and "Kota Diretas" in errors
    assert units() == before and OrgUnit.objects.get(code="kota-probolinggo").name == "Probolinggo"


def test_it_refuses_a_plan_code_of_another_unit_for_everyone(kademangan, login) -> None:
    hijack = plan_file(code="wonoasih-2020-2024")
    response = upload(login(kademangan["planner"]), hijack)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "wonoasih-2020-2024" in errors and "kec-wonoasih" in errors
    assert "kec-kademangan" in errors
    for user in (None, kademangan["admin"], User.objects.get(username="admin")):
        with pytest.raises(PlanRefused) as refused:
            do_load_plan_text(hijack, user=user)
        assert "wonoasih-2020-2024" in str(refused.value)
    plan = Plan.objects.get(code="wonoasih-2020-2024")
    assert plan.unit.code == "kec-wonoasih" and plan.indicators.count() == 4


def test_it_refuses_a_plan_of_a_unit_the_uploader_does_not_plan(kademangan) -> None:
    text = WONOASIH_PLAN.read_text(encoding="utf-8").replace("2024: 40\n", "2024: 45\n", 1)
    with pytest.raises(PlanRefused) as refused:
        do_load_plan_text(text, user=kademangan["planner"])
    assert "Wonoasih" in str(refused.value)
    assert not Plan.objects.get().indicators.get(code="T1.1").targets.filter(value=45).exists()


def test_it_creates_units_only_under_a_unit_the_uploader_administers(kademangan) -> None:
    new = PILANG + "  - {code: kel-baru, name: Baru, level: kelurahan}\n"
    with pytest.raises(PlanRefused) as refused:
        do_load_plan_text(plan_file(children=new), user=kademangan["planner"])
    assert "kel-baru" in str(refused.value)
    assert not OrgUnit.objects.filter(code="kel-baru").exists()
    # A new city above the kecamatan would move it: refused even to the kecamatan's administrator.
    elsewhere = "  - {code: kota-lain, name: Lain, level: city}\n"
    with pytest.raises(PlanRefused) as refused:
        do_load_plan_text(plan_file(parents=elsewhere), user=kademangan["admin"])
    assert "kota-lain" in str(refused.value) and "kec-kademangan" in str(refused.value)
    assert not OrgUnit.objects.filter(code="kota-lain").exists()
    plan = do_load_plan_text(plan_file(children=new), user=kademangan["admin"])
    assert OrgUnit.objects.get(code="kel-baru").parent == plan.unit


def test_it_lets_a_planner_list_existing_units_unchanged(kademangan) -> None:
    before = units()
    plan = do_load_plan_text(plan_file(), user=kademangan["planner"])
    assert plan.unit.code == "kec-kademangan" and units() == before
    # A reload of the shipped plan by its own planner touches no unit either.
    wonoasih_planner = User.objects.get(username="perencana")
    do_load_plan_text(WONOASIH_PLAN.read_text(encoding="utf-8"), user=wonoasih_planner)
    assert units() == before


def test_it_refuses_a_unit_listed_twice() -> None:
    with pytest.raises(PlanRefused) as refused:
        do_load_plan_text(
            plan_file(children="  - {code: kec-kademangan, name: K, level: kelurahan}\n")
        )
    assert "kec-kademangan" in str(refused.value)
    assert not OrgUnit.objects.exists()


def test_it_loads_on_the_command_line_as_a_user(kademangan, tmp_path: Path) -> None:
    hijack = tmp_path / "hijack.yaml"
    hijack.write_text(plan_file(children=PILANG + WONOASIH_KELURAHAN), encoding="utf-8")
    before = units()
    with pytest.raises(CommandError, match="kel-wonoasih"):
        call_command("plan", "load", str(hijack), "--as", "perencana-kademangan")
    with pytest.raises(CommandError, match="nobody"):
        call_command("plan", "load", str(hijack), "--as", "nobody")
    assert units() == before
    good = tmp_path / "good.yaml"
    good.write_text(plan_file(), encoding="utf-8")
    call_command("plan", "load", str(good), "--as", "perencana-kademangan")
    assert Plan.objects.get(code="kademangan-2020-2024").unit.code == "kec-kademangan"


def test_an_outsider_uploading_another_units_plan_code_sees_nothing_of_it(
    wonoasih, kademangan, login
) -> None:
    """The difference with a stored plan names its indicators and targets: shown only to those
    who may store that plan."""
    text = WONOASIH_PLAN.read_text(encoding="utf-8").replace(
        "        2024: 40\n", "        2024: 45\n", 1
    )
    response = upload(login(kademangan["planner"]), text)
    assert response.status_code == 200
    assert response.context["diff"] is None and not response.context["confirm"]
    assert "diff-title" not in response.content.decode()
