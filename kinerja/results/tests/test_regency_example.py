"""The illustrative plan of a kecamatan of a regency with desa (plans/examples/): it loads, shows
"Desa" and "Kabupaten" where the Wonoasih plan shows "Kelurahan" and "Kota", and computes alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kinerja.accounts.models import Membership, OrgUnit, Role
from kinerja.community.models import Group
from kinerja.community.tests.factories import make_activity, make_group
from kinerja.plan.actions import do_load_plan_text
from kinerja.reports.registry import render
from kinerja.reports.signing import signing_for
from kinerja.reports.tests.test_documents import docx_text
from kinerja.results.actions import do_recompute
from kinerja.results.models import Result
from kinerja.surveys.actions import do_save_service
from kinerja.surveys.importing import import_bytes
from kinerja.surveys.tests.conftest import csv_text, worked_rows

pytestmark = pytest.mark.django_db

DRINGU_PLAN = Path(settings.BASE_DIR) / "plans" / "examples" / "dringu-kabupaten-2020-2024.yaml"
DESA = ["desa-dringu", "desa-kalirejo", "desa-pabean", "desa-randuputih"]


@pytest.fixture
def dringu() -> Any:
    return do_load_plan_text(DRINGU_PLAN.read_text(encoding="utf-8"))


@pytest.fixture
def registry(dringu: Any) -> dict[str, Group]:
    """Five groups in three desa, one dissolved in 2019, and three activities 2019–2021."""
    g = {
        "g1": make_group("DRG-1", date(2015, 1, 1), kelurahan="desa-dringu"),
        "g2": make_group("DRG-2", date(2020, 3, 1), kind="posyandu", kelurahan="desa-dringu"),
        "g3": make_group("PBN-1", date(2018, 1, 1), kind="rw", kelurahan="desa-pabean"),
        "g4": make_group("PBN-2", date(2010, 1, 1), date(2019, 6, 30), kelurahan="desa-pabean"),
        "g5": make_group("KLR-1", date(2021, 1, 1), kind="kube", kelurahan="desa-kalirejo"),
    }
    make_activity(date(2019, 8, 1), [g["g1"]], "fostering")
    make_activity(date(2020, 5, 1), [g["g1"], g["g3"]], "facilitation")
    make_activity(date(2021, 3, 3), [g["g3"], g["g5"]], "fostering")
    return g


def value(plan: Any, code: str, unit: str, period: str) -> Decimal | None:
    result = Result.objects.get(plan=plan, indicator__code=code, unit__code=unit, period_key=period)
    return result.realisation if result.computable else None


def test_it_loads_the_tree_province_regency_kecamatan_desa(dringu) -> None:
    kec = dringu.unit
    assert [(u.code, u.level) for u in kec.ancestors()] == [
        ("prov-jawa-timur", "province"),
        ("kab-probolinggo", "regency"),
    ]
    assert sorted(kec.children.values_list("code", "level")) == [(c, "desa") for c in DESA]
    with translation.override("id"):
        assert str(kec.parent) == "Kabupaten Probolinggo"
        assert str(OrgUnit.objects.get(code="desa-pabean")) == "Desa Pabean"


def test_its_groups_belong_to_the_regency(registry) -> None:
    """Group codes are unique per city or regency, so a desa's groups are the regency's."""
    assert {g.city.code for g in registry.values()} == {"kab-probolinggo"}


def test_it_computes_coverage_as_a_hand_count_does(registry, dringu) -> None:
    do_recompute(dringu, years=[2019, 2020, 2021])
    # By hand. 2019: G1, G3, G4 exist (G4 dissolved in June); G1 reached → fostered 1 of 3.
    # 2020: G1, G2, G3 exist; G1 and G3 reached → 2 of 3 facilitated, 2 of 3 fostered so far.
    # 2021: G1, G2, G3, G5 exist; G3 and G5 reached → 2 of 4; fostered so far G1, G3, G5: 3 of 4.
    third = Decimal(1) / 3
    assert value(dringu, "S1.1", "kec-dringu", "2020") == pytest.approx(2 * third * 100)
    assert value(dringu, "S1.1", "kec-dringu", "2021") == Decimal(50)
    # T1.1 = (Cakupan N − Cakupan N−1) / Cakupan N−1 × 100: (2/3 − 1/3)/(1/3) and (3/4 − 2/3)/(2/3).
    assert value(dringu, "T1.1", "kec-dringu", "2020") == pytest.approx(Decimal(100))
    assert value(dringu, "T1.1", "kec-dringu", "2021") == pytest.approx(Decimal("12.5"))
    # Per desa in 2021: Dringu 0 of 2, Pabean 1 of 1, Kalirejo 1 of 1; Randuputih has no group.
    assert value(dringu, "S1.1", "desa-dringu", "2021") == Decimal(0)
    assert value(dringu, "S1.1", "desa-pabean", "2021") == Decimal(100)
    assert value(dringu, "S1.1", "desa-kalirejo", "2021") == Decimal(100)
    assert value(dringu, "S1.1", "desa-randuputih", "2021") is None


def test_it_computes_every_indicator_like_the_wonoasih_plan(registry, dringu) -> None:
    service = do_save_service(
        dringu.unit, code="pengantar-dringu", name="Surat Pengantar", yearly_users={2021: 400}
    )
    import_bytes(dringu.unit, csv_text(worked_rows(), service.code, "2021-03-05").encode(), "a.csv")
    summary = do_recompute(dringu, years=[2021])
    assert summary.created == 4 * 5 * 5  # 4 indicators, the kecamatan and 4 desa, year + 4 quarters
    assert do_recompute(dringu, years=[2021]).unchanged == summary.created  # idempotent
    kec = {r.indicator.code: r for r in Result.objects.filter(unit=dringu.unit, period_key="2021")}
    assert set(kec) == {"T1.1", "S1.1", "T2.1", "S2.1"}
    assert all(r.computable and r.realisation is not None for r in kec.values())
    # The regulation's worked example, as in Wonoasih: IKM 91,475… against the target 85,60.
    assert f"{kec['T2.1'].realisation:.2f}" == "91.48" == f"{kec['S2.1'].realisation:.2f}"
    assert kec["S2.1"].target_value == Decimal("85.60")


def test_its_pages_name_desa_and_the_regency(registry, dringu, client, django_user_model) -> None:
    do_recompute(dringu, years=[2021])
    camat = django_user_model.objects.create(username="camat-dringu")
    Membership.objects.create(user=camat, unit=dringu.unit, role=Role.HEAD)
    client.force_login(camat)
    dashboard = client.get(reverse("home"), {"year": "2021"}).content.decode()
    assert "Desa Pabean" in dashboard and "Kelurahan" not in dashboard
    one_desa = client.get(reverse("home"), {"year": "2021", "unit": "desa-pabean"})
    assert one_desa.status_code == 200 and "Desa Pabean" in one_desa.content.decode()

    url = reverse("community:drilldown")
    page = client.get(url, {"unit": "kec-dringu", "year": "2021"}).content.decode()
    table = page[page.index('id="by-kelurahan"') :].split("</table>")[0]
    assert "<th>Desa</th>" in table and "Kelurahan" not in table
    assert "Per desa" in page and "Pabean" in table and "100,00%" in table
    assert "<svg" in page and "per desa" in page  # the chart's title


def test_its_agreement_is_with_the_bupati(dringu) -> None:
    assert signing_for(dringu, "pk", 2021).superior_title == "Bupati Probolinggo"
    text = docx_text(render("pk", "docx", dringu, 2022, date(2022, 1, 10)))
    assert "Bupati Probolinggo" in text and "Wali Kota" not in text
    assert "Camat Dringu" in text


def test_a_regency_officer_keeps_the_registry_of_its_desa(dringu, django_user_model) -> None:
    """Roles held in a regency reach its kecamatan and desa, as a city's reach its kelurahan."""
    from kinerja.accounts import access
    from kinerja.community.actions import editable_kelurahan, kind_owners

    officer = django_user_model.objects.create(username="kasi-kabupaten")
    regency = OrgUnit.objects.get(code="kab-probolinggo")
    Membership.objects.create(user=officer, unit=regency, role=Role.REGISTRY_OFFICER)
    assert sorted(editable_kelurahan(officer).values_list("code", flat=True)) == DESA
    assert access.can(officer, access.EDIT_REGISTRY, OrgUnit.objects.get(code="desa-pabean"))
    assert list(kind_owners(officer)) == [regency]  # its own group kinds, like a city's


def test_it_exports_what_it_loaded(dringu) -> None:
    from kinerja.plan.planfile import export_plan, parse_plan

    assert export_plan(dringu) == parse_plan(DRINGU_PLAN.read_text(encoding="utf-8"))
