"""A Renaksi action's budget code names a line of the unit's budget of the year when the unit has
one (docs/rules.md#rencana-aksi-and-quarterly-reports): the action, the page's form and the plan
file refuse another code naming the field, and the page and documents show the line."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from kinerja.budget.actions import do_delete_line, do_import_lines
from kinerja.budget.models import BudgetLine
from kinerja.monitoring.actions import do_add_renaksi_action
from kinerja.monitoring.models import QuarterTargets, RenaksiAction
from kinerja.plan.actions import PlanRefused, do_load_plan_text
from kinerja.plan.models import Indicator, Plan
from kinerja.reports.monitoring_documents import build_renaksi
from kinerja.test import WONOASIH_PLAN

pytestmark = pytest.mark.django_db

KEGIATAN = "7.01.03.2.01"
NAME = "Pemberdayaan Kelompok dan Lembaga Kemasyarakatan Kelurahan"
ELSEWHERE = "7.01.01.2.06.0001"  # well formed, not in the budget below
FIELDS: dict[str, Any] = {"name": "Fasilitasi LPMK", "position": "Kasi Pemas", "months": [2, 5]}


def budget_2024(plan: Plan) -> None:
    rows = [
        (2, {"kode": "7.01.03", "nama": "Program Pemberdayaan", "pagu": "118000000", "realisasi": "0"}),
        (3, {"kode": KEGIATAN, "nama": NAME, "pagu": "118000000", "realisasi": "100000000"}),
    ]  # fmt: skip
    do_import_lines(None, plan.unit, 2024, rows)


def s11(plan: Plan) -> Indicator:
    return Indicator.objects.get(plan=plan, code="S1.1")


def add(user: Any, plan: Plan, year: int, code: str) -> RenaksiAction:
    return do_add_renaksi_action(user, plan, plan.unit, year, s11(plan), budget_code=code, **FIELDS)


def test_a_code_missing_from_the_years_budget_is_refused_naming_field_and_code(
    wonoasih, people
) -> None:
    budget_2024(wonoasih)
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        add(people["planner"], wonoasih, 2024, ELSEWHERE)
    assert refused.value.message_dict == {
        "budget_code": [f"Kode anggaran {ELSEWHERE} tidak ada di anggaran 2024 Kecamatan Wonoasih."]
    }
    assert not RenaksiAction.objects.exists()
    assert add(people["planner"], wonoasih, 2024, KEGIATAN).budget_code == KEGIATAN


def test_a_unit_without_a_budget_that_year_keeps_the_shape_check_only(wonoasih, people) -> None:
    budget_2024(wonoasih)
    assert add(people["planner"], wonoasih, 2023, ELSEWHERE).budget_code == ELSEWHERE
    with pytest.raises(ValidationError) as refused:
        add(people["planner"], wonoasih, 2023, "7.01-03")
    assert list(refused.value.message_dict) == ["budget_code"]


def test_the_budget_of_another_unit_does_not_count(wonoasih, people) -> None:
    kelurahan = wonoasih.unit.children.order_by("name").first()
    assert kelurahan is not None
    do_import_lines(
        None, kelurahan, 2024,
        [(2, {"kode": KEGIATAN, "nama": NAME, "pagu": "1000", "realisasi": "0"})],
    )  # fmt: skip
    # The kecamatan has no budget of 2024: any well-formed code, as before.
    assert add(people["planner"], wonoasih, 2024, ELSEWHERE).budget_code == ELSEWHERE


def test_an_outsider_is_refused_and_does_not_see_the_line(wonoasih, people, login) -> None:
    budget_2024(wonoasih)
    with pytest.raises(PermissionDenied):
        add(people["outsider"], wonoasih, 2024, KEGIATAN)
    assert not RenaksiAction.objects.exists()
    add(people["planner"], wonoasih, 2024, KEGIATAN)
    url = reverse("monitoring:renaksi", args=[wonoasih.code]) + "?year=2024"
    response = login(people["outsider"]).get(url)
    assert response.status_code in (403, 404)
    assert NAME not in response.content.decode()
    posted = login(people["outsider"]).post(
        reverse("monitoring:add_action", args=[wonoasih.code, 2024]),
        {"indicator": "S1.1", "budget_code": KEGIATAN, **FIELDS},
    )
    assert posted.status_code in (403, 404)
    assert RenaksiAction.objects.count() == 1


def test_the_page_shows_the_line_and_refuses_a_code_outside_the_budget(
    wonoasih, people, login
) -> None:
    budget_2024(wonoasih)
    client = login(people["planner"])
    page = reverse("monitoring:renaksi", args=[wonoasih.code])
    form = client.get(page, {"year": 2024}).content.decode()
    assert "Kode kegiatan atau sub-kegiatan dari anggaran 2024 Kecamatan Wonoasih" in form
    assert f'<option value="{KEGIATAN}">{NAME}</option>' in form
    assert '7.01.03"' not in form  # a program is no action's code
    url = reverse("monitoring:add_action", args=[wonoasih.code, 2024])
    refused = client.post(
        url, {"indicator": "S1.1", "budget_code": ELSEWHERE, **FIELDS}, follow=True
    ).content.decode()
    assert f"Kode anggaran {ELSEWHERE} tidak ada di anggaran 2024 Kecamatan Wonoasih" in refused
    assert not RenaksiAction.objects.exists()
    shown = client.post(
        url, {"indicator": "S1.1", "budget_code": KEGIATAN, **FIELDS}, follow=True
    ).content.decode()
    assert f"{NAME} · pagu Rp 118.000.000" in shown
    other_year = client.get(page, {"year": 2023}).content.decode()
    assert (
        "Kecamatan Wonoasih belum punya rincian anggaran 2023: kode hanya diperiksa bentuknya"
        in other_year
    )


def test_a_linked_line_is_kept_from_deletion_and_the_link_survives_a_reimport(
    wonoasih, people
) -> None:
    budget_2024(wonoasih)
    add(people["planner"], wonoasih, 2024, KEGIATAN)

    def printed() -> str:
        return " ".join(a for row in build_renaksi(wonoasih, 2024).rows for a in row.actions)

    linked = f"Fasilitasi LPMK ({KEGIATAN}: {NAME}, pagu Rp 118.000.000); Kasi Pemas; Feb, Mei"
    assert linked in printed()
    # The budget refuses to remove a line a Renaksi names (kinerja.budget.uses) ...
    with pytest.raises(ValidationError) as refused:
        do_delete_line(None, BudgetLine.objects.get(unit=wonoasih.unit, year=2024, code=KEGIATAN))
    assert KEGIATAN in str(refused.value) and "S1.1" in str(refused.value)
    assert linked in printed()
    # ... and a budget imported again finds the same line by its code.
    budget_2024(wonoasih)
    assert linked in printed()


def plan_text(code: str) -> str:
    data = yaml.safe_load(WONOASIH_PLAN.read_text(encoding="utf-8"))
    action = {**FIELDS, "budget_code": code}
    data["renaksi"] = [{"year": 2024, "indicator": "S1.1", "actions": [action]}]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_plan_file_naming_a_code_outside_the_budget_is_refused_whole(wonoasih) -> None:
    budget_2024(wonoasih)
    with pytest.raises(PlanRefused) as refused:
        do_load_plan_text(plan_text(ELSEWHERE))
    (problem,) = refused.value.problems
    assert (problem.field, problem.where) == ("budget_code", "renaksi[0].actions[0] (2024 S1.1)")
    assert ELSEWHERE in problem.message and "2024" in problem.message
    assert not RenaksiAction.objects.exists() and not QuarterTargets.objects.exists()
    do_load_plan_text(plan_text(KEGIATAN))
    assert RenaksiAction.objects.get().budget_code == KEGIATAN
