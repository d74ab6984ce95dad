"""The unit section of a plan file: every level of the tree, and no impossible nesting."""

from __future__ import annotations

import pytest
from django.utils import translation

from kinerja.accounts.models import OrgUnit
from kinerja.plan.actions import do_load_plan_text
from kinerja.plan.planfile import PlanFileError, parse_plan
from kinerja.results.tests.test_regency_example import DRINGU_PLAN
from kinerja.test import WONOASIH_PLAN

TEXT = DRINGU_PLAN.read_text(encoding="utf-8")


def line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def test_it_reads_a_province_a_regency_and_desa() -> None:
    unit = parse_plan(TEXT).unit
    assert [p.level for p in unit.parents] == ["province", "regency"]
    assert unit.level == "kecamatan" and {c.level for c in unit.children} == {"desa"}


def test_it_reads_a_kecamatan_with_kelurahan_and_desa_both() -> None:
    mixed = TEXT.replace(
        "    name: Pabean\n    level: desa\n", "    name: Pabean\n    level: kelurahan\n"
    )
    assert sorted(c.level for c in parse_plan(mixed).unit.children) == ["desa"] * 3 + ["kelurahan"]


@pytest.mark.parametrize(
    ("before", "after", "at", "message"),
    [
        # a desa straight under the regency's kecamatan's parent: the kecamatan skipped
        (
            "  code: kec-dringu\n  name: Dringu\n  level: kecamatan\n",
            "  code: kec-dringu\n  name: Dringu\n  level: desa\n",
            "  level: desa\n",
            "tingkat desa tidak dapat berada di bawah kab-probolinggo (tingkat regency); "
            "regency hanya membawahi kecamatan",
        ),
        # a kecamatan straight under the province: the regency skipped
        (
            "    name: Probolinggo\n    level: regency\n",
            "    name: Probolinggo\n    level: kecamatan\n",
            "    level: kecamatan\n",
            "tingkat kecamatan tidak dapat berada di bawah prov-jawa-timur",
        ),
        # a regency under a city
        (
            "    name: Jawa Timur\n    level: province\n",
            "    name: Jawa Timur\n    level: city\n",
            "    level: regency\n",
            "city hanya membawahi kecamatan",
        ),
        # nothing changed: the example as shipped is accepted
        (
            "  code: kec-dringu\n  name: Dringu\n  level: kecamatan\n",
            "  code: kec-dringu\n  name: Dringu\n  level: kecamatan\n",
            "    level: desa\n",
            None,
        ),
    ],
)
def test_it_refuses_an_impossible_nesting_naming_its_line(before, after, at, message) -> None:
    text = TEXT.replace(before, after, 1)
    if message is None:  # the unchanged tree is accepted
        parse_plan(text)
        return
    with translation.override("id"), pytest.raises(PlanFileError) as exc:
        parse_plan(text)
    # The first unit out of place is named on its line (units under it may be refused too).
    problem = exc.value.problems[0]
    assert message in problem.message
    assert (problem.where, problem.field) == ("unit", "level")
    assert problem.line == line_of(text, at)


def test_it_refuses_a_unit_under_a_village() -> None:
    text = TEXT.replace("  children:\n  - code: desa-dringu\n", "  children:\n  - code: kec-x\n", 1)
    text = text.replace("  level: kecamatan\n  parents:", "  level: desa\n  parents:", 1)
    with translation.override("en"), pytest.raises(PlanFileError) as exc:
        parse_plan(text)
    messages = [p.message for p in exc.value.problems]
    # The plan's unit (a desa under a regency) and each of its sub-units are refused.
    assert any("level desa cannot sit under kab-probolinggo" in m for m in messages)
    assert sum("a desa holds no other unit" in m for m in messages) == 4


def test_it_does_not_refuse_an_unknown_level_twice() -> None:
    text = TEXT.replace("    level: regency\n", "    level: kabupaten\n", 1)
    with translation.override("en"), pytest.raises(PlanFileError) as exc:
        parse_plan(text)
    assert [p.field for p in exc.value.problems] == ["level"]
    assert "must be one of" in exc.value.problems[0].message


@pytest.mark.django_db
def test_it_loads_nothing_from_an_impossible_nesting() -> None:
    bad = TEXT.replace(
        "    name: Probolinggo\n    level: regency\n", "    name: P\n    level: desa\n"
    )
    with pytest.raises(PlanFileError):
        do_load_plan_text(bad)
    assert not OrgUnit.objects.exists()


def test_the_shipped_plan_still_nests_a_city() -> None:
    unit = parse_plan(WONOASIH_PLAN.read_text(encoding="utf-8")).unit
    assert [p.level for p in unit.parents] == ["city"]
