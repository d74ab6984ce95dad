from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from kinerja.accounts.models import OrgUnit
from kinerja.plan.actions import PlanRefused, check_plan_text, do_load_plan_text
from kinerja.plan.models import Indicator, Plan, Target
from kinerja.plan.planfile import PlanFileError, dump_plan, export_plan, parse_plan
from kinerja.plan.planfile.document import PlanPeriod
from kinerja.test import WONOASIH_PLAN

TEXT = WONOASIH_PLAN.read_text(encoding="utf-8")


def test_it_parses_the_shipped_plan_faithfully() -> None:
    doc = parse_plan(TEXT)
    assert doc.period == PlanPeriod(start=2020, end=2024, baseline=2019)
    assert [t.letter for t in doc.profile.tasks] == list("abcdefghijk")
    codes = [
        (
            g.code,
            [i.code for i in g.indicators],
            [(o.code, [i.code for i in o.indicators]) for o in g.objectives],
        )
        for g in doc.goals
    ]
    assert codes == [("T1", ["T1.1"], [("S1", ["S1.1"])]), ("T2", ["T2.1"], [("S2", ["S2.1"])])]
    t2 = doc.goals[1].indicators[0]
    assert t2.targets == {
        2020: Decimal("84.60"),
        2021: Decimal("85.60"),
        2022: Decimal("86.60"),
        2023: Decimal("87.60"),
        2024: Decimal("88.60"),
    }
    assert str(t2.targets[2020]) == "84.60"  # read from the text, never through a float
    assert doc.goals[0].objectives[0].indicators[0].responsible == "Kasi Pemberdayaan Masyarakat"
    assert len([c for c in doc.unit.children if c.level == "kelurahan"]) == 6


@pytest.mark.django_db
def test_it_round_trips_load_then_export_losslessly() -> None:
    plan = do_load_plan_text(TEXT)
    exported = export_plan(plan)
    assert exported == parse_plan(TEXT)
    # and the canonical text is byte-identical to the shipped file without its comments
    # whole-line comments at any indentation (the file explains its printed-name overrides)
    body = "".join(
        line for line in TEXT.splitlines(keepends=True) if not line.lstrip().startswith("#")
    )
    assert (
        "".join(x for x in dump_plan(exported).splitlines(keepends=True) if not x.startswith("#"))
        == body
    )


@pytest.mark.django_db
def test_it_creates_the_unit_tree_from_the_plan_file() -> None:
    do_load_plan_text(TEXT)
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    assert (
        kec.parent is not None and kec.parent.name == "Probolinggo" and kec.parent.level == "city"
    )
    assert sorted(kec.children.values_list("name", flat=True)) == sorted(
        ["Wonoasih", "Jrebeng Kidul", "Pakistaji", "Kedunggaleng", "Kedung Asem", "Sumber Taman"]
    )
    assert kec.subtree().count() == 7


@pytest.mark.django_db
def test_it_replaces_a_plan_of_the_same_code_keeping_indicator_ids() -> None:
    plan = do_load_plan_text(TEXT)
    ids = dict(Indicator.objects.values_list("code", "pk"))
    changed = TEXT.replace("        2024: 40\n", "        2024: 45\n", 1)
    do_load_plan_text(changed)
    assert dict(Indicator.objects.values_list("code", "pk")) == ids
    assert Plan.objects.count() == 1 and plan.pk == Plan.objects.get().pk
    assert Target.objects.get(indicator__code="S1.1", year=2024).value == 45


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t.replace("goals:\n", "goals: [\n", 1), "baris"),
        (
            lambda t: t.replace(
                "    polarity: higher\n", "    polarity: higher\n    colour: blue\n", 1
            ),
            "kunci tidak dikenal",
        ),
        (lambda t: t.replace("code: S1.1", "code: T1.1", 1), "kode T1.1 ganda"),
        (
            lambda t: t.replace(
                "formula: groups_facilitated / groups_total * 100",
                "formula: groups_facilitated.__class__",
                1,
            ),
            "S1.1",
        ),
        (lambda t: t.replace("    decimals: 2\n", "    decimals: two\n", 1), "bilangan bulat"),
        (
            lambda t: t.replace("      2021: 25\n", "      2021: 25\n      2021: 26\n", 1),
            "kunci 2021 ganda",
        ),
    ],
)
def test_it_refuses_a_malformed_file_and_changes_nothing(edit, expected) -> None:
    do_load_plan_text(TEXT)
    before = export_plan(Plan.objects.get())
    with pytest.raises(PlanFileError) as exc:
        do_load_plan_text(edit(TEXT))
    assert expected in str(exc.value)
    assert all(p.line or p.where for p in exc.value.problems)
    assert export_plan(Plan.objects.get()) == before


def test_it_names_the_line_of_a_yaml_error() -> None:
    with pytest.raises(PlanFileError) as exc:
        parse_plan("format: kinerja-plan/1\ncode: x\n  bad: indent\n")
    assert exc.value.problems[0].line in {2, 3}


def test_it_refuses_non_mapping_and_empty_files() -> None:
    for text in ["", "- 1\n- 2\n", "just text"]:
        with pytest.raises(PlanFileError):
            parse_plan(text)


def test_it_refuses_a_period_year_left_empty() -> None:
    """``start: null`` names no year: a problem of the file, not a crash of the linter."""
    for key in ("start", "end"):
        doc, problems = check_plan_text(TEXT.replace(f"  {key}: 20", f"  {key}: null #", 1))
        assert doc is None
        assert [(p.where, p.field) for p in problems] == [("period", key)]


def test_it_loads_nothing_unsafe() -> None:
    with pytest.raises(PlanFileError):
        parse_plan("format: !!python/object/apply:os.system ['true']\n")


@pytest.mark.django_db
def test_it_exports_through_the_command(tmp_path: Path) -> None:
    call_command("plan", "load", str(WONOASIH_PLAN))
    out = tmp_path / "out.yaml"
    call_command("plan", "export", "wonoasih-2020-2024", "-o", str(out))
    assert parse_plan(out.read_text(encoding="utf-8")) == parse_plan(TEXT)


@pytest.mark.django_db
def test_it_keeps_range_and_quarter_targets() -> None:
    text = TEXT.replace(
        "      2024: 88.60\n",
        "      2024:\n        low: 88\n        high: 90.5\n    quarter_targets:\n      2024: [80, null, 85.5, 88.6]\n",
        1,
    )
    with pytest.raises(PlanRefused):
        do_load_plan_text(text.replace("low: 88", "low: 91"))
    plan = do_load_plan_text(text)
    doc = export_plan(plan)
    assert doc == parse_plan(text)
    target = Target.objects.get(indicator__code="T2.1", year=2024, quarter=0)
    assert target.is_range and target.low == 88 and target.high == Decimal("90.5")


@pytest.mark.django_db
def test_it_keeps_a_stable_polarity_and_refuses_an_unknown_one() -> None:
    # docs/rules.md#capaian-range-targets: "stable" is the third polarity of a plan file.
    text = TEXT.replace("    polarity: higher\n", "    polarity: stable\n", 1)
    plan = do_load_plan_text(text)
    assert plan.indicators.get(code="T1.1").polarity == Indicator.Polarity.STABLE
    assert plan.indicators.get(code="T1.1").get_polarity_display() == "Stabil dalam rentang"
    assert export_plan(plan) == parse_plan(text)
    with pytest.raises(PlanFileError, match="higher, lower, stable"):
        do_load_plan_text(TEXT.replace("    polarity: higher\n", "    polarity: sideways\n", 1))


@pytest.mark.django_db
def test_it_dumps_the_same_text_whatever_order_the_database_keeps() -> None:
    extra = (
        "manual_measures:\n- name: posyandu_aktif\n  label: Posyandu aktif\n  unit: number\n"
        "bands:\n- minimum: 100\n  key: met\n  label: Tercapai\n  colour: '#1a7f37'\n"
        "- minimum: null\n  key: not_met\n  label: Belum\n  colour: '#c62828'\n"
        "goals:\n"
    )
    text = TEXT.replace("goals:\n", extra, 1).replace(
        "    formula: groups_facilitated / groups_total * 100\n",
        "    formula: rt_facilitated / groups_total * 100 + posyandu_aktif * 0\n"
        "      bindings:\n        rt_facilitated:\n          measure: groups_facilitated\n"
        "          filters:\n            kind: [rt, rw]\n",
        1,
    )
    doc = parse_plan(text)
    plan = do_load_plan_text(text)
    assert export_plan(plan) == doc
    assert dump_plan(export_plan(plan)) == dump_plan(doc)
