"""The difference between two plan documents, and which of it a load or a revision refuses."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from kinerja.plan.diff import (
    ADDED,
    REDEFINED,
    REMOVED,
    RENAMED,
    TARGET,
    Facts,
    diff_plans,
    refused_changes,
)
from kinerja.plan.planfile import IndicatorDoc, PlanDocument, parse_plan
from kinerja.test import WONOASIH_PLAN


def seed() -> PlanDocument:
    return parse_plan(WONOASIH_PLAN.read_text(encoding="utf-8"))


def without(doc: PlanDocument, code: str) -> PlanDocument:
    goals = tuple(
        replace(
            g,
            indicators=tuple(i for i in g.indicators if i.code != code),
            objectives=tuple(
                replace(o, indicators=tuple(i for i in o.indicators if i.code != code))
                for o in g.objectives
            ),
        )
        for g in doc.goals
    )
    return replace(doc, goals=goals)


def changed(doc: PlanDocument, code: str, **fields: Any) -> PlanDocument:
    def edit(inds: tuple[IndicatorDoc, ...]) -> tuple[IndicatorDoc, ...]:
        return tuple(replace(i, **fields) if i.code == code else i for i in inds)

    goals = tuple(
        replace(
            g,
            indicators=edit(g.indicators),
            objectives=tuple(replace(o, indicators=edit(o.indicators)) for o in g.objectives),
        )
        for g in doc.goals
    )
    return replace(doc, goals=goals)


def test_the_same_document_has_no_difference() -> None:
    assert not diff_plans(seed(), seed())


def test_a_first_load_adds_every_indicator() -> None:
    diff = diff_plans(None, seed())
    assert [(c.code, c.kind) for c in diff.changes] == [
        ("T1.1", ADDED),
        ("S1.1", ADDED),
        ("T2.1", ADDED),
        ("S2.1", ADDED),
    ]


def test_it_names_a_removed_indicator_with_every_year_of_the_plan() -> None:
    diff = diff_plans(seed(), without(seed(), "T1.1"))
    assert [(c.code, c.kind, c.years) for c in diff.changes] == [
        ("T1.1", REMOVED, (2020, 2021, 2022, 2023, 2024))
    ]


def test_it_tells_a_rename_a_redefinition_and_a_target_apart() -> None:
    old = seed()
    s11 = next(i for i in old.indicators() if i.code == "S1.1")
    targets = {**s11.targets, 2024: Decimal("45")}
    new = changed(old, "S1.1", name="Baru", formula="groups * 2", targets=targets)
    kinds = [(c.code, c.kind) for c in diff_plans(old, new).changes]
    assert kinds == [("S1.1", RENAMED), ("S1.1", REDEFINED), ("S1.1", TARGET)]
    target = diff_plans(old, new).changes[2]
    assert target.years == (2024,) and target.before == "40" and target.after == "45"
    assert "formula" in diff_plans(old, new).changes[1].fields


def test_a_target_change_reads_in_indonesian_with_the_indicators_decimals() -> None:
    from django.utils import translation

    old = seed()
    s11 = next(i for i in old.indicators() if i.code == "S1.1")
    new = changed(old, "S1.1", targets={**s11.targets, 2024: Decimal("89.6")})
    target = diff_plans(old, new).changes[0]
    assert (target.before, target.after) == ("40", "89.6")  # the JSON keeps plain numbers
    with translation.override("id"):
        assert (target.before_text, target.after_text) == ("40,00", "89,60")
        assert target.describe() == "S1.1 2024: target 40,00 → 89,60"


def test_a_target_written_differently_is_no_change() -> None:
    old = seed()
    s11 = next(i for i in old.indicators() if i.code == "S1.1")
    same = {
        y: (v + Decimal("0.00") if isinstance(v, Decimal) else v) for y, v in s11.targets.items()
    }
    assert not diff_plans(old, changed(old, "S1.1", targets=same))


def test_a_load_may_not_remove_an_indicator_with_results() -> None:
    diff = diff_plans(seed(), without(seed(), "T1.1"))
    reasons = refused_changes(diff, Facts({"T1.1": frozenset({2021, 2022})}))
    assert len(reasons) == 1 and "T1.1" in reasons[0] and "2021–2022" in reasons[0]
    assert refused_changes(diff, Facts({"S1.1": frozenset({2021})})) == []


def test_a_load_may_not_change_a_target_of_a_year_with_results_or_a_locked_year() -> None:
    old = seed()
    s11 = next(i for i in old.indicators() if i.code == "S1.1")
    new = changed(old, "S1.1", targets={**s11.targets, 2024: Decimal("45")})
    diff = diff_plans(old, new)
    assert refused_changes(diff, Facts({"S1.1": frozenset({2023})})) == []
    assert "2024" in refused_changes(diff, Facts({"S1.1": frozenset({2024})}))[0]
    assert "2024" in refused_changes(diff, Facts(locked=frozenset({2024})))[0]
    assert refused_changes(diff, Facts(locked=frozenset({2022}))) == []


def test_a_revision_is_refused_only_by_a_locked_year_from_its_effective_year_on() -> None:
    diff = diff_plans(seed(), without(seed(), "T1.1")).from_year(2024)
    facts = Facts({"T1.1": frozenset({2020, 2021, 2022, 2023})}, frozenset({2022}))
    assert refused_changes(diff, facts, effective=2024) == []
    refused = refused_changes(diff, Facts(locked=frozenset({2022, 2024})), effective=2023)
    assert len(refused) == 1 and "2024" in refused[0]
    assert diff.changes[0].years == (2024,)
