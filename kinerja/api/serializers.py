"""Rows as JSON: decimals as strings (exact), dates as ISO 8601, codes rather than ids."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kinerja.accounts.models import OrgUnit
from kinerja.community.models import Group
from kinerja.plan.models import Indicator, Plan, Target
from kinerja.results.models import ManualValue, Result
from kinerja.surveys.analysis import PeriodResult


def dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def unit_json(unit: OrgUnit) -> dict[str, Any]:
    parent = unit.path.strip("/").split("/")[:-1]
    return {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "parent": parent[-1] if parent else None,
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "code": plan.code,
        "title": plan.title,
        "unit": plan.unit.code,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "baseline_year": plan.baseline_year,
    }


def target_json(target: Target) -> dict[str, Any]:
    return {
        "year": target.year,
        "quarter": target.quarter,
        "value": dec(target.value),
        "low": dec(target.low),
        "high": dec(target.high),
    }


def indicator_json(indicator: Indicator) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "level": indicator.level,
        "iku": indicator.iku,
        "goal": indicator.goal.code,
        "objective": indicator.objective.code if indicator.objective else None,
        "formula": indicator.formula,
        "explanation": indicator.explanation,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "decimals": indicator.decimals,
        "data_source": indicator.data_source,
        "responsible": indicator.responsible,
        "targets": [target_json(t) for t in indicator.targets.all()],
    }


def result_json(result: Result) -> dict[str, Any]:
    return {
        "indicator": result.indicator.code,
        "unit": result.unit.code,
        "period": result.period_key,
        "realisation": dec(result.realisation),
        "computable": result.computable,
        "reason": result.reason,
        "target": dec(result.target_value),
        "target_low": dec(result.target_low),
        "target_high": dec(result.target_high),
        "achievement": dec(result.achievement),
        "status": result.status,
        "published": result.published,
        "inputs": result.inputs,
        "computed_at": result.computed_at.isoformat(),
    }


def manual_value_json(row: ManualValue) -> dict[str, Any]:
    return {
        "name": row.name,
        "unit": row.unit.code,
        "period": row.period_key,
        "value": dec(row.value),
        "note": row.note,
        "has_evidence": bool(row.evidence),
        "entered_at": row.entered_at.isoformat() if row.entered_at else None,
    }


def group_json(group: Group) -> dict[str, Any]:
    return {
        "code": group.code,
        "name": group.name,
        "kind": group.kind.code,
        "kelurahan": group.kelurahan.code,
        "established": group.established.isoformat(),
        "dissolved": group.dissolved.isoformat() if group.dissolved else None,
        "member_count": group.member_count,
    }


def ikm_json(outcome: PeriodResult) -> dict[str, Any]:
    result = outcome.result
    body: dict[str, Any] = {
        "unit": outcome.unit.code,
        "period": outcome.period.key,
        "respondents": outcome.respondents,
        "population": outcome.population,
        "sample_target": outcome.sample_target,
        "ikm": None,
    }
    if result is None:
        return body
    body.update(
        {
            "method": result.method.name,
            "ikm": dec(result.ikm),
            "ikm_rounded": dec(result.ikm_rounded),
            "grade": {"letter": result.grade.letter, "label": result.grade.label},
            "ci95": [dec(v) for v in result.ci95] if result.ci95 else None,
            "crosses_grade_edge": result.crosses_grade_edge,
            "elements": [
                {
                    "code": e.code,
                    "name": e.name,
                    "total": e.total,
                    "nrr": dec(e.nrr),
                    "ikm": dec(e.ikm),
                    "grade": e.grade.letter,
                }
                for e in result.elements
            ],
        }
    )
    return body
