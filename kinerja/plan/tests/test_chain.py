"""A plan that continues another: the crosswalk, the checks against the stored chain, the
warnings about relative-increase targets (docs/rules.md#plans-continuing-plans)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from kinerja.plan.actions import PlanRefused, check_plan_text, do_load_plan_text
from kinerja.plan.models import Indicator, Plan, Target
from kinerja.plan.planfile import dump_plan, export_plan, parse_plan

pytestmark = pytest.mark.django_db

NEXT = (Path(settings.BASE_DIR) / "plans" / "wonoasih-2025-2029.yaml").read_text(encoding="utf-8")
CROSSWALK = """crosswalk:
  T1.1:
    redefined: T1.1
    reason: Kenaikan persentase dari tahun ke tahun atas cakupan kumulatif yang tidak dapat melewati
      100 % diganti dengan tingkat cakupannya sendiri (Cakupan Pemas tahun N).
  S1.1:
    same: S1.1
  T2.1:
    same: T2.1
  S2.1:
    same: S2.1
"""


def found(text: str, severity: str = "error") -> list[str]:
    with translation.override("en"):
        _doc, problems = check_plan_text(text)
    return [f"{p.where} {p.field}: {p.message}" for p in problems if p.severity == severity]


def period_errors(text: str) -> list[str]:
    return [e for e in found(text) if e.startswith(("period", "plan"))]


def with_crosswalk(entries: str) -> str:
    assert CROSSWALK in NEXT
    return NEXT.replace(CROSSWALK, "crosswalk:\n" + entries)


def stored() -> list[tuple[str, str, dict[str, object]]]:
    return list(Plan.objects.order_by("code").values_list("code", "continues", "crosswalk"))


def refused(text: str) -> str:
    before = (stored(), Indicator.objects.count(), Target.objects.count())
    with translation.override("en"), pytest.raises(PlanRefused) as info:
        do_load_plan_text(text)
    assert (stored(), Indicator.objects.count(), Target.objects.count()) == before
    return str(info.value)


def test_it_loads_the_shipped_draft_after_the_plan_it_continues(wonoasih) -> None:
    assert found(NEXT) == []
    plan = do_load_plan_text(NEXT)
    assert "CONTOH RANCANGAN" in plan.title and "CONTOH RANCANGAN" in plan.notes[0]
    assert plan.continues == "wonoasih-2020-2024"
    assert plan.crosswalk["S2.1"] == {"kind": "same", "new": ["S2.1"], "reason": ""}
    assert plan.crosswalk["T1.1"]["kind"] == "redefined"
    assert "100 %" in plan.crosswalk["T1.1"]["reason"]
    ikm = Indicator.objects.get(plan=plan, code="S2.1")
    targets = {t.year: str(t.value) for t in ikm.targets.filter(quarter=0)}
    assert targets[2025] == "88.6000" and targets[2029] == "90.6000"
    level = Indicator.objects.get(plan=plan, code="T1.1")
    assert "prev(" not in level.formula and level.unit == "percent"
    # export then parse gives the same document: the crosswalk survives the round trip
    assert parse_plan(dump_plan(export_plan(plan))) == export_plan(plan)


def test_it_refuses_to_continue_an_unknown_plan(wonoasih) -> None:
    text = NEXT.replace("continues: wonoasih-2020-2024", "continues: wonoasih-2015-2019")
    assert found(text) == [
        "plan continues: continues wonoasih-2015-2019, which is not a stored plan"
    ]
    assert "wonoasih-2015-2019" in refused(text)


def test_it_refuses_an_old_code_the_old_plan_does_not_have(wonoasih) -> None:
    text = with_crosswalk(
        "  T1.1: {redefined: T1.1, reason: rumus baru}\n  S1.1: {same: S1.1}\n"
        "  T2.1: {same: T2.1}\n  S2.1: {same: S2.1}\n  S9.9: {dropped: true, reason: tidak ada}\n"
    )
    assert found(text) == [
        "crosswalk.S9.9 crosswalk: S9.9 is not an indicator of wonoasih-2020-2024"
    ]
    assert "S9.9" in refused(text)


def test_it_requires_every_iku_of_the_old_plan(wonoasih) -> None:
    text = with_crosswalk("  T1.1: {redefined: T1.1, reason: rumus baru}\n  S1.1: {same: S1.1}\n")
    assert found(text) == [
        "crosswalk.T2.1 crosswalk: IKU T2.1 of wonoasih-2020-2024 is missing from the crosswalk",
        "crosswalk.S2.1 crosswalk: IKU S2.1 of wonoasih-2020-2024 is missing from the crosswalk",
    ]
    refused(text)


def test_it_refuses_a_new_code_the_file_does_not_have(wonoasih) -> None:
    text = with_crosswalk(
        "  T1.1: {split: [T1.1, T1.2]}\n  S1.1: {renamed: S1.9}\n"
        "  T2.1: {merged: T2.1}\n  S2.1: {same: S2.1}\n"
    )
    errors = found(text)
    assert "crosswalk.T1.1 split: T1.2 is not an indicator of this plan" in errors
    assert "crosswalk.S1.1 renamed: S1.9 is not an indicator of this plan" in errors
    assert len(errors) == 2


def test_it_needs_a_reason_to_drop_an_indicator(wonoasih) -> None:
    text = with_crosswalk(
        "  T1.1: {dropped: true}\n  S1.1: {same: S1.1}\n  T2.1: {same: T2.1}\n  S2.1: {same: S2.1}\n"
    )
    assert found(text) == ["crosswalk.T1.1 reason: a dropped indicator needs its reason"]
    text = text.replace("{dropped: true}", "{dropped: true, same: T1.1}")
    assert found(text)[0].startswith("crosswalk.T1.1 kind: give exactly one of same, renamed")


def test_it_refuses_a_cycle_of_continues(wonoasih) -> None:
    do_load_plan_text(NEXT)
    old = wonoasih.code
    text = (Path(settings.BASE_DIR) / "plans" / f"{old}.yaml").read_text(encoding="utf-8")
    circular = text.replace(
        "notes:\n",
        "continues: wonoasih-2025-2029\ncrosswalk:\n"
        "  T1.1: {same: T1.1}\n  S1.1: {same: S1.1}\n  T2.1: {same: T2.1}\n  S2.1: {same: S2.1}\n"
        "notes:\n",
        1,
    )
    errors = found(circular)
    assert (
        "plan continues: continues runs in a circle: "
        "wonoasih-2020-2024 → wonoasih-2025-2029 → wonoasih-2020-2024"
    ) in errors
    assert "in a circle" in refused(circular)
    itself = NEXT.replace("continues: wonoasih-2020-2024", "continues: wonoasih-2025-2029")
    assert "wonoasih-2025-2029 → wonoasih-2025-2029" in refused(itself)


def test_it_refuses_overlapping_plans_of_one_unit_unless_one_continues_the_other(
    wonoasih,
) -> None:
    overlapping = NEXT.replace("  start: 2025\n", "  start: 2024\n").replace(
        "  baseline: 2024\n", "  baseline: 2023\n"
    )
    # (the year 2024 has no target in the file: only the period's errors matter here)
    assert period_errors(overlapping) == []  # it continues the plan it overlaps
    alone = overlapping.split("continues:")[0] + "goals:" + overlapping.split("\ngoals:", 1)[1]
    assert period_errors(alone) == [
        "period start: the period 2024–2029 overlaps plan wonoasih-2020-2024 (2020–2024) of the "
        "same unit, and neither continues the other"
    ]
    assert "overlaps plan wonoasih-2020-2024" in refused(alone)
    # the periods 2025–2029 and 2020–2024 do not overlap: a plan of its own is fine
    assert found(NEXT.split("continues:")[0] + "goals:" + NEXT.split("\ngoals:", 1)[1]) == []


def test_it_refuses_a_crosswalk_without_continues(wonoasih) -> None:
    text = NEXT.replace("continues: wonoasih-2020-2024\n", "")
    assert found(text) == ["plan crosswalk: a crosswalk needs continues: <plan code>"]


def test_it_warns_on_a_percentage_increase_of_a_bounded_cumulative_share(wonoasih) -> None:
    old = (Path(settings.BASE_DIR) / "plans" / "wonoasih-2020-2024.yaml").read_text("utf-8")
    warnings = found(old, "warning")
    assert (
        "T1.1 formula: a percentage increase of cakupan_pemas, a share counted up to the year "
        "that cannot pass 100 %: it shrinks as the share grows; set targets for the level "
        "(cakupan_pemas itself) instead"
    ) in warnings
    # 1,20 × 1,25 × 1,30 × 1,35 × 1,40 = 3,6855; 100 / 3,6855 = 27,13
    assert (
        "T1.1 targets: the yearly increases compound: from 2019 to 2024 they multiply the share "
        "by 3,69, so it stays under 100 % only from a 2019 value of at most 27,13 %"
    ) in warnings
    # the level indicator of the next plan draws neither warning
    assert not [w for w in found(NEXT, "warning") if "increase" in w]


def test_it_does_not_call_a_non_cumulative_share_cumulative(wonoasih) -> None:
    old = (Path(settings.BASE_DIR) / "plans" / "wonoasih-2020-2024.yaml").read_text("utf-8")
    plain = old.replace(
        "formula: groups_fostered_cumulative / groups_total * 100",
        "formula: groups_facilitated / groups_total * 100",
    )
    warnings = found(plain, "warning")
    assert not [w for w in warnings if "percentage increase" in w]
    assert [w for w in warnings if "compound" in w]  # the chain of targets still compounds
