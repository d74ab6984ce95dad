"""Writes that keep the plan's invariants: loading a plan file and exporting it back.

Loading upserts by code (plan, goals, objectives, indicators, targets) inside one transaction, so
anything that points at an indicator (results, manual values, history) survives a reload, and a
failed load leaves the stored plan exactly as it was.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from kinerja.accounts.access import UserLike
from kinerja.accounts.models import OrgUnit
from kinerja.lib.measure_registry import MEASURES

from .linting import has_errors, lint_plan
from .models import Goal, Indicator, Objective, Plan, Target
from .planfile import PlanFileError, Problem, parse_plan
from .units import refusals


class PlanRefused(PlanFileError):
    """The file has errors, or its uploader may not store it; nothing was stored."""


def check_plan_text(text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse and lint; returns (document or None, every problem found)."""
    try:
        doc = parse_plan(text)
    except PlanFileError as exc:
        return None, exc.problems
    return doc, lint_plan(doc, MEASURES)


def do_load_plan_text(text: str, user: UserLike | None = None) -> Plan:
    doc, problems = check_plan_text(text)
    if doc is None or has_errors(problems):
        raise PlanRefused([p for p in problems if p.severity == "error"])
    return do_load_plan(doc, user)


def ensure_units(unit_doc: dict[str, Any]) -> OrgUnit:
    """Create the plan's unit, its parents and sub-units where missing; return the unit.

    Called only once ``refusals`` allowed every change this makes.
    """
    parent: OrgUnit | None = None
    for item in [*unit_doc["parents"], unit_doc]:
        parent = upsert_unit(item, parent)
    assert parent is not None
    for child in unit_doc["children"]:
        upsert_unit(child, parent)
    return parent


def upsert_unit(item: dict[str, Any], parent: OrgUnit | None) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=item["code"]).first()
    if unit is None:
        unit = OrgUnit(code=item["code"])
    changed = (unit.name, unit.level, unit.parent_id) != (
        item["name"],
        item["level"],
        parent.pk if parent else None,
    )
    if unit.pk is None or changed:
        unit.name, unit.level, unit.parent = item["name"], item["level"], parent
        unit.save()
    return unit


@transaction.atomic
def do_load_plan(doc: dict[str, Any], user: UserLike | None = None) -> Plan:
    """Store a checked document as ``user`` (None: the command line, with full rights).

    Refused, with nothing stored, when the file would create or change units the user does not
    administer, or take a plan code that belongs to another unit (see kinerja.plan.units).
    """
    refused = refusals(doc, user)
    if refused:
        raise PlanRefused(refused)
    unit = ensure_units(doc["unit"])
    plan = Plan.objects.filter(code=doc["code"]).first() or Plan(code=doc["code"])
    plan.title = doc["title"]
    plan.unit = unit
    plan.start_year, plan.end_year = doc["period"]["start"], doc["period"]["end"]
    plan.baseline_year = doc["period"]["baseline"]
    plan.document = doc["document"]
    plan.profile_function = doc["profile"]["function"]
    plan.profile_tasks = doc["profile"]["tasks"]
    plan.manual_measures = doc["manual_measures"]
    plan.bands = (
        []
        if doc["bands"] is None
        else [
            {**b, "minimum": None if b["minimum"] is None else str(b["minimum"])}
            for b in doc["bands"]
        ]
    )
    plan.notes = doc["notes"]
    plan.save()

    keep_goals, keep_objectives, keep_indicators = [], [], []
    order = 0
    for gi, g in enumerate(doc["goals"]):
        goal, _created = Goal.objects.update_or_create(
            plan=plan, code=g["code"], defaults={"name": g["name"], "order": gi}
        )
        keep_goals.append(goal.pk)
        for ind in g["indicators"]:
            order += 1
            keep_indicators.append(store_indicator(plan, goal, None, ind, order).pk)
        for oi, o in enumerate(g["objectives"]):
            objective = Objective.objects.filter(
                goal__plan=plan, code=o["code"]
            ).first() or Objective(code=o["code"])
            objective.goal, objective.name, objective.order = goal, o["name"], oi
            objective.save()
            keep_objectives.append(objective.pk)
            for ind in o["indicators"]:
                order += 1
                keep_indicators.append(store_indicator(plan, goal, objective, ind, order).pk)
    # What the new file no longer has goes; deletes run child-first so nothing dangles.
    Indicator.objects.filter(plan=plan).exclude(pk__in=keep_indicators).delete()
    Objective.objects.filter(goal__plan=plan).exclude(pk__in=keep_objectives).delete()
    Goal.objects.filter(plan=plan).exclude(pk__in=keep_goals).delete()
    return plan


def store_indicator(
    plan: Plan, goal: Goal, objective: Objective | None, ind: dict[str, Any], order: int
) -> Indicator:
    indicator = Indicator.objects.filter(plan=plan, code=ind["code"]).first() or Indicator(
        plan=plan, code=ind["code"]
    )
    indicator.goal, indicator.objective, indicator.order = goal, objective, order
    for field in (
        "name",
        "level",
        "iku",
        "explanation",
        "formula",
        "unit",
        "polarity",
        "decimals",
        "cap",
        "data_source",
        "responsible",
    ):
        setattr(indicator, field, ind[field])
    indicator.derived = ind["derived"]
    indicator.bindings = ind["bindings"]
    indicator.save()
    wanted: dict[tuple[int, int], dict[str, Decimal | None]] = {}
    for year, value in ind["targets"].items():
        if isinstance(value, dict):
            wanted[(year, 0)] = {"value": None, "low": value["low"], "high": value["high"]}
        else:
            wanted[(year, 0)] = {"value": value, "low": None, "high": None}
    for year, quarters in ind["quarter_targets"].items():
        for q, value in enumerate(quarters, start=1):
            if value is not None:
                wanted[(year, q)] = {"value": value, "low": None, "high": None}
    existing = {(t.year, t.quarter): t for t in indicator.targets.all()}
    for key, values in wanted.items():
        target = existing.pop(key, None) or Target(indicator=indicator, year=key[0], quarter=key[1])
        # Only save a real change, so the history of a target shows edits, not reloads.
        if target.pk is None or any(getattr(target, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(target, k, v)
            target.save()
    for stale in existing.values():
        stale.delete()
    return indicator


def export_plan(plan: Plan) -> dict[str, Any]:
    """Rebuild the normalised document of a stored plan (the inverse of do_load_plan)."""
    unit = plan.unit
    parents = [{"code": u.code, "name": u.name, "level": u.level} for u in unit.ancestors()]
    children = [
        {"code": u.code, "name": u.name, "level": u.level} for u in unit.children.order_by("pk")
    ]
    indicators_by_parent: dict[tuple[int, int | None], list[dict[str, Any]]] = {}
    indicators = Indicator.objects.filter(plan=plan).prefetch_related("targets").order_by("order")
    for ind in indicators:
        indicators_by_parent.setdefault((ind.goal_id, ind.objective_id), []).append(
            indicator_doc(ind)
        )
    goals = []
    for goal in plan.goals.prefetch_related("objectives").order_by("order"):
        goals.append(
            {
                "code": goal.code,
                "name": goal.name,
                "indicators": indicators_by_parent.get((goal.pk, None), []),
                "objectives": [
                    {
                        "code": o.code,
                        "name": o.name,
                        "indicators": indicators_by_parent.get((goal.pk, o.pk), []),
                    }
                    for o in goal.objectives.order_by("order")
                ],
            }
        )
    return {
        "format": "kinerja-plan/1",
        "code": plan.code,
        "title": plan.title,
        "unit": {
            "code": unit.code,
            "name": unit.name,
            "level": unit.level,
            "parents": parents,
            "children": children,
        },
        "period": {"start": plan.start_year, "end": plan.end_year, "baseline": plan.baseline_year},
        "document": plan.document,
        "profile": {"function": plan.profile_function, "tasks": plan.profile_tasks},
        "manual_measures": plan.manual_measures,
        "bands": None
        if not plan.bands
        else [
            {**b, "minimum": None if b["minimum"] is None else Decimal(b["minimum"])}
            for b in plan.bands
        ],
        "goals": goals,
        "notes": plan.notes,
    }


def normal(value: Decimal | None) -> Decimal | None:
    """Drop the storage scale (84.6000 → 84.6) so exported values compare equal to the file's."""
    if value is None:
        return None
    return value.normalize() if value != value.to_integral_value() else Decimal(int(value))


def indicator_doc(ind: Indicator) -> dict[str, Any]:
    targets: dict[int, Any] = {}
    quarters: dict[int, list[Decimal | None]] = {}
    for t in ind.targets.all():
        if t.quarter == 0:
            targets[t.year] = (
                {"low": normal(t.low), "high": normal(t.high)} if t.is_range else normal(t.value)
            )
        else:
            quarters.setdefault(t.year, [None, None, None, None])[t.quarter - 1] = normal(t.value)
    return {
        "code": ind.code,
        "name": ind.name,
        "level": ind.level,
        "iku": ind.iku,
        "explanation": ind.explanation,
        "formula": ind.formula,
        "derived": ind.derived,
        "bindings": ind.bindings,
        "unit": ind.unit,
        "polarity": ind.polarity,
        "decimals": ind.decimals,
        "cap": normal(ind.cap),
        "data_source": ind.data_source,
        "responsible": ind.responsible,
        "targets": dict(sorted(targets.items())),
        "quarter_targets": dict(sorted(quarters.items())),
    }
