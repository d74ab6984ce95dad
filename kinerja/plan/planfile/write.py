"""Writing a plan document: into the database, back out of it, and as canonical YAML text.

``store_plan`` upserts by code (plan, goals, objectives, indicators, targets), so anything that
points at an indicator (results, manual values, history) survives a reload; it is called by the
plan actions (``do_load_plan``), which check who may load the file and hold the transaction.
``export_plan`` rebuilds the same document from the database, and ``dump_plan`` writes a
document as the text a person would write.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import yaml
from django.db.models import QuerySet

from kinerja.accounts.models import OrgUnit
from kinerja_core.achievement import TargetRange

from ..models import Goal, Indicator, Objective, Plan, Target
from .crosswalk import Continuation, Link, continuation_yaml
from .document import (
    FORMAT,
    BandDoc,
    Binding,
    Derived,
    GoalDoc,
    IndicatorDoc,
    ManualMeasure,
    ObjectiveDoc,
    PlanDocument,
    PlanPeriod,
    Profile,
    QuarterTargets,
    Task,
    UnitDoc,
    UnitRef,
    YearTarget,
)

# ---------------------------------------------------------------------------------------------
# Document → database


# How one indicator of the file is stored, and what becomes of the current ones it no longer has:
# a load writes them in place and deletes the rest; a revision (kinerja.plan.revision) keeps both.
StoreIndicator = Callable[[Plan, Goal, "Objective | None", IndicatorDoc, int], Indicator]
DropIndicators = Callable[["QuerySet[Indicator]"], None]


def delete_indicators(gone: QuerySet[Indicator]) -> None:
    gone.delete()


def store_plan(
    doc: PlanDocument,
    store_one: StoreIndicator | None = None,
    drop: DropIndicators = delete_indicators,
) -> Plan:
    """Store a checked document, creating or updating its units; return the plan.

    Called only by the plan actions inside their transaction, once they allowed every change.
    """
    store_one = store_one or store_indicator
    plan = store_plan_row(doc)
    keep_goals, keep_objectives, keep_indicators = [], [], []
    order = 0
    for gi, g in enumerate(doc.goals):
        goal, _created = Goal.objects.update_or_create(
            plan=plan, code=g.code, defaults={"name": g.name, "order": gi}
        )
        keep_goals.append(goal.pk)
        for ind in g.indicators:
            order += 1
            keep_indicators.append(store_one(plan, goal, None, ind, order).pk)
        for oi, o in enumerate(g.objectives):
            objective = Objective.objects.filter(goal__plan=plan, code=o.code).first() or Objective(
                code=o.code
            )
            objective.goal, objective.name, objective.order = goal, o.name, oi
            objective.save()
            keep_objectives.append(objective.pk)
            for ind in o.indicators:
                order += 1
                keep_indicators.append(store_one(plan, goal, objective, ind, order).pk)
    # What the new file no longer has goes; deletes run child-first so nothing dangles. The
    # load was refused before if a current indicator going had results (kinerja.plan.diff);
    # goals and objectives still holding an earlier version's indicators stay with them.
    drop(
        Indicator.objects.filter(plan=plan, valid_until__isnull=True).exclude(
            pk__in=keep_indicators
        )
    )
    Objective.objects.filter(goal__plan=plan, indicators__isnull=True).exclude(
        pk__in=keep_objectives
    ).delete()
    Goal.objects.filter(plan=plan, indicators__isnull=True).exclude(pk__in=keep_goals).delete()
    return plan


def store_plan_row(doc: PlanDocument) -> Plan:
    """The plan row itself (title, unit, period, texts), created or updated; its unit ensured."""
    unit = ensure_units(doc.unit)
    plan = Plan.objects.filter(code=doc.code).first() or Plan(code=doc.code)
    plan.title = doc.title
    plan.unit = unit
    plan.start_year, plan.end_year = doc.period.start, doc.period.end
    plan.baseline_year = doc.period.baseline
    plan.document = doc.document
    plan.profile_function = doc.profile.function
    plan.profile_tasks = [t.to_json() for t in doc.profile.tasks]
    plan.manual_measures = [m.to_json() for m in doc.manual_measures]
    plan.bands = [] if doc.bands is None else [b.to_json() for b in doc.bands]
    plan.notes = list(doc.notes)
    continuation = doc.continuation
    plan.continues = continuation.plan if continuation else ""
    plan.crosswalk = continuation.crosswalk_json() if continuation else {}
    plan.save()
    return plan


def ensure_units(unit_doc: UnitDoc) -> OrgUnit:
    """Create the plan's unit, its parents and sub-units where missing; return the unit.

    Called only once ``refusals`` allowed every change this makes.
    """
    parent: OrgUnit | None = None
    for item in [*unit_doc.parents, unit_doc]:
        parent = upsert_unit(item, parent)
    assert parent is not None
    for child in unit_doc.children:
        upsert_unit(child, parent)
    return parent


def upsert_unit(item: UnitRef, parent: OrgUnit | None) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=item.code).first()
    if unit is None:
        unit = OrgUnit(code=item.code)
    changed = (unit.name, unit.level, unit.parent_id) != (
        item.name,
        item.level,
        parent.pk if parent else None,
    )
    if unit.pk is None or changed:
        unit.name, unit.level, unit.parent = item.name, item.level, parent
        unit.save()
    return unit


def store_indicator(
    plan: Plan,
    goal: Goal,
    objective: Objective | None,
    ind: IndicatorDoc,
    order: int,
    indicator: Indicator | None = None,
    from_year: int | None = None,
) -> Indicator:
    """Store ``ind`` into ``indicator`` (default: the current row of its code, or a new one).

    With ``from_year`` (a revision) only the targets of that year and later are written.
    """
    if indicator is None:
        indicator = Indicator.objects.filter(
            plan=plan, code=ind.code, valid_until__isnull=True
        ).first() or Indicator(plan=plan, code=ind.code)
    indicator.goal, indicator.objective, indicator.order = goal, objective, order
    indicator.name, indicator.level, indicator.iku = ind.name, ind.level, ind.iku
    indicator.explanation, indicator.formula = ind.explanation, ind.formula
    indicator.unit, indicator.polarity = ind.unit, ind.polarity
    indicator.decimals, indicator.cap = ind.decimals, ind.cap
    indicator.data_source, indicator.responsible = ind.data_source, ind.responsible
    indicator.derived = ind.derived_json()
    indicator.bindings = ind.bindings_json()
    indicator.save()
    wanted: dict[tuple[int, int], dict[str, Decimal | None]] = {}
    for year, value in ind.targets.items():
        if isinstance(value, TargetRange):
            wanted[(year, 0)] = {"value": None, "low": value.low, "high": value.high}
        else:
            wanted[(year, 0)] = {"value": value, "low": None, "high": None}
    for year, quarters in ind.quarter_targets.items():
        for q, quarter_value in enumerate(quarters, start=1):
            if quarter_value is not None:
                wanted[(year, q)] = {"value": quarter_value, "low": None, "high": None}
    if from_year is not None:
        wanted = {key: v for key, v in wanted.items() if key[0] >= from_year}
    existing = {
        (t.year, t.quarter): t
        for t in indicator.targets.all()
        if from_year is None or t.year >= from_year
    }
    for key, values in wanted.items():
        target = existing.pop(key, None) or Target(indicator=indicator, year=key[0], quarter=key[1])
        # Only save a real change, so the history of a target shows edits, not reloads.
        if target.pk is None or any(getattr(target, k) != v for k, v in values.items()):
            target.value, target.low, target.high = values["value"], values["low"], values["high"]
            target.save()
    for stale in existing.values():
        stale.delete()
    return indicator


# ---------------------------------------------------------------------------------------------
# Database → document


def export_plan(plan: Plan) -> PlanDocument:
    """Rebuild the document of a stored plan (the inverse of ``store_plan``)."""
    unit = plan.unit
    indicators_by_parent: dict[tuple[int, int | None], list[IndicatorDoc]] = {}
    # The current definitions: an earlier version's are in its stored text (PlanVersion).
    indicators = (
        Indicator.objects.filter(plan=plan, valid_until__isnull=True)
        .prefetch_related("targets")
        .order_by("order")
    )
    for ind in indicators:
        indicators_by_parent.setdefault((ind.goal_id, ind.objective_id), []).append(
            indicator_doc(ind)
        )
    # Goals and objectives kept only for an earlier version's indicators are not in this one.
    retired_goals = set(
        Goal.objects.filter(plan=plan, indicators__valid_until__isnull=False)
        .exclude(indicators__valid_until__isnull=True)
        .values_list("pk", flat=True)
    )
    retired_objectives = set(
        Objective.objects.filter(goal__plan=plan, indicators__valid_until__isnull=False)
        .exclude(indicators__valid_until__isnull=True)
        .values_list("pk", flat=True)
    )
    goals = tuple(
        GoalDoc(
            code=goal.code,
            name=goal.name,
            indicators=tuple(indicators_by_parent.get((goal.pk, None), [])),
            objectives=tuple(
                ObjectiveDoc(
                    code=o.code,
                    name=o.name,
                    indicators=tuple(indicators_by_parent.get((goal.pk, o.pk), [])),
                )
                for o in goal.objectives.order_by("order")
                if o.pk not in retired_objectives
            ),
        )
        for goal in plan.goals.prefetch_related("objectives").order_by("order")
        if goal.pk not in retired_goals
    )
    return PlanDocument(
        code=plan.code,
        title=plan.title,
        unit=UnitDoc(
            code=unit.code,
            name=unit.name,
            level=unit.level,
            parents=tuple(UnitRef(u.code, u.name, u.level) for u in unit.ancestors()),
            children=tuple(UnitRef(u.code, u.name, u.level) for u in unit.children.order_by("pk")),
        ),
        period=PlanPeriod(plan.start_year, plan.end_year, plan.baseline_year),
        document=dict(plan.document),
        profile=Profile(
            function=plan.profile_function,
            tasks=tuple(Task.from_json(t) for t in plan.profile_tasks),
        ),
        manual_measures=tuple(ManualMeasure.from_json(m) for m in plan.manual_measures),
        bands=tuple(BandDoc.from_json(b) for b in plan.bands) if plan.bands else None,
        goals=goals,
        notes=tuple(plan.notes),
        continuation=Continuation(
            plan.continues,
            {old: Link.from_json(link) for old, link in plan.crosswalk.items()},
        )
        if plan.continues
        else None,
    )


def normal(value: Decimal | None) -> Decimal | None:
    """Drop the storage scale (84.6000 → 84.6) so exported values compare equal to the file's."""
    if value is None:
        return None
    return value.normalize() if value != value.to_integral_value() else Decimal(int(value))


def indicator_doc(ind: Indicator) -> IndicatorDoc:
    targets: dict[int, YearTarget] = {}
    quarters: dict[int, list[Decimal | None]] = {}
    for t in ind.targets.all():
        if t.quarter == 0:
            low, high = normal(t.low), normal(t.high)
            if t.is_range and low is not None and high is not None:
                targets[t.year] = TargetRange(low, high)
            else:
                targets[t.year] = normal(t.value)
        else:
            quarters.setdefault(t.year, [None, None, None, None])[t.quarter - 1] = normal(t.value)
    quarter_targets: dict[int, QuarterTargets] = {
        year: tuple(values) for year, values in sorted(quarters.items())
    }
    return IndicatorDoc(
        code=ind.code,
        name=ind.name,
        level=ind.level,
        iku=ind.iku,
        explanation=ind.explanation,
        formula=ind.formula,
        derived={name: Derived.from_json(d) for name, d in ind.derived.items()},
        bindings={alias: Binding.from_json(b) for alias, b in ind.bindings.items()},
        unit=ind.unit,
        polarity=ind.polarity,
        decimals=ind.decimals,
        cap=normal(ind.cap),
        data_source=ind.data_source,
        responsible=ind.responsible,
        targets=dict(sorted(targets.items())),
        quarter_targets=quarter_targets,
    )


# ---------------------------------------------------------------------------------------------
# Document → YAML text


def plain_number(value: Decimal, decimals: int | None = None) -> Decimal | int:
    """84.6000 → 84.60 (the indicator's decimals), 20.0000 → 20: as a person would write it."""
    if value == value.to_integral_value():
        return int(value)
    normal = value.normalize()
    places = -int(normal.as_tuple().exponent)
    if decimals is not None and places < decimals:
        return value.quantize(Decimal(1).scaleb(-decimals))
    return normal


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        """Never write anchors and aliases: plan files refuse them (a repeated value is copied)."""
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)


def ordered(mapping: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    """Keys in a fixed order (``first``, then the rest sorted).

    PostgreSQL's jsonb does not keep key order, so the canonical text must not depend on it.
    """
    rest = sorted(k for k in mapping if k not in first)
    return {k: mapping[k] for k in (*first, *rest) if k in mapping}


DOCUMENT_ORDER = ("title", "subtitle", "target_table_source", "place", "date", "signatory_title")


def unit_ref_yaml(unit: UnitRef) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "level": unit.level}


def target_yaml(target: YearTarget, decimals: int) -> Any:
    if isinstance(target, TargetRange):
        return {
            "low": plain_number(target.low, decimals),
            "high": plain_number(target.high, decimals),
        }
    return None if target is None else plain_number(target, decimals)


def indicator_yaml(ind: IndicatorDoc) -> dict[str, Any]:
    dec = ind.decimals
    out: dict[str, Any] = {
        "code": ind.code,
        "name": ind.name,
        "level": ind.level,
        "iku": ind.iku,
        "explanation": ind.explanation,
        "formula": ind.formula,
    }
    if ind.derived:
        out["derived"] = {
            n: ordered(
                {k: v for k, v in d.to_json().items() if v != ""},
                ("label", "explanation", "formula", "unit"),
            )
            for n, d in sorted(ind.derived.items())
        }
    if ind.bindings:
        out["bindings"] = {
            a: (
                {
                    "measure": b.measure,
                    "filters": {k: list(v) for k, v in sorted(b.filters.items())},
                }
                if b.filters
                else {"measure": b.measure}
            )
            for a, b in sorted(ind.bindings.items())
        }
    out.update({"unit": ind.unit, "polarity": ind.polarity, "decimals": dec})
    if ind.cap is not None:
        out["cap"] = plain_number(ind.cap)
    out.update({"data_source": ind.data_source, "responsible": ind.responsible})
    out["targets"] = {year: target_yaml(t, dec) for year, t in ind.targets.items()}
    if ind.quarter_targets:
        out["quarter_targets"] = {
            year: [None if q is None else plain_number(q, dec) for q in quarters]
            for year, quarters in ind.quarter_targets.items()
        }
    return out


def dump_plan(doc: PlanDocument) -> str:
    """The canonical YAML text of a document (stable key order, readable numbers)."""
    unit: dict[str, Any] = unit_ref_yaml(doc.unit)
    if doc.unit.parents:
        unit["parents"] = [unit_ref_yaml(p) for p in doc.unit.parents]
    unit["children"] = [unit_ref_yaml(c) for c in doc.unit.children]
    top: dict[str, Any] = {
        "format": FORMAT,
        "code": doc.code,
        "title": doc.title,
        "unit": unit,
        "period": {
            "start": doc.period.start,
            "end": doc.period.end,
            "baseline": doc.period.baseline,
        },
    }
    if doc.document:
        top["document"] = ordered(doc.document, DOCUMENT_ORDER)
    if doc.profile.function or doc.profile.tasks:
        top["profile"] = {
            "function": doc.profile.function,
            "tasks": [dict(t.to_json()) for t in doc.profile.tasks],
        }
    if doc.manual_measures:
        top["manual_measures"] = [dict(m.to_json()) for m in doc.manual_measures]
    if doc.bands is not None:
        top["bands"] = [
            {
                "minimum": None if b.minimum is None else plain_number(b.minimum),
                "key": b.key,
                "label": b.label,
                "colour": b.colour,
            }
            for b in doc.bands
        ]
    top["goals"] = [
        {
            "code": g.code,
            "name": g.name,
            **({"indicators": [indicator_yaml(i) for i in g.indicators]} if g.indicators else {}),
            **(
                {
                    "objectives": [
                        {
                            "code": o.code,
                            "name": o.name,
                            "indicators": [indicator_yaml(i) for i in o.indicators],
                        }
                        for o in g.objectives
                    ]
                }
                if g.objectives
                else {}
            ),
        }
        for g in doc.goals
    ]
    if doc.continuation is not None:
        top.update(continuation_yaml(doc.continuation))
    if doc.notes:
        top["notes"] = list(doc.notes)
    header = "# Kinerja plan file (kinerja-plan/1). Check it with: kinerja plan check FILE\n"
    body: str = yaml.dump(top, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body
