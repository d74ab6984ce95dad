"""Contract: results stored by executemany / COPY, with their history rows, are the ones
``bulk_create_with_history`` stores."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from kinerja.accounts.models import OrgUnit
from kinerja.db import results
from kinerja.plan.models import Plan
from kinerja.results.models import Result, period_values
from kinerja_core.periods import Period

from .conftest import outcome, raw_rows

HISTORY = Result.history.model  # type: ignore[attr-defined]
SKIPPED = {"id", "history_id", "history_date"}  # new ids and stamps differ between two runs


def rows(plan: Plan) -> list[dict[str, Any]]:
    units = OrgUnit.objects.filter(code__in=["kec-wonoasih", "kel-wonoasih"])
    out = []
    for n, (indicator, unit, period) in enumerate(
        (i, u, p)
        for i in plan.indicators.order_by("pk")[:3]
        for u in units
        for p in (Period(2024), Period(2024, "quarter", 2))
    ):
        out.append(
            {
                "plan_id": plan.pk,
                "indicator_id": indicator.pk,
                "unit_id": unit.pk,
                **period_values(period),
                "realisation": Decimal("84.6") + n,
                "computable": n % 3 != 0,
                "reason": "" if n % 3 else "tidak ada data",
                "inputs": {"served": n, "share": "0.25", "nested": [1, None]},
                "formula": "served / registered * 100",
                "target_value": Decimal("80.0000") if n % 2 else None,
                "target_low": None if n % 2 else Decimal("70"),
                "target_high": None if n % 2 else Decimal("90.5"),
                "achievement": Decimal("105.75") if n % 2 else None,
                "status": "tercapai",
                "published": n % 3 == 0,
                "computed_at": datetime(2024, 7, 1, 3, 4, 5, 678_000, tzinfo=UTC),
            }
        )
    return out


def stored() -> list[list[tuple[Any, ...]]]:
    """Results and history rows as the ORM reads them, and as the database holds them."""
    out = []
    for model in (Result, HISTORY):
        fields = [f for f in model._meta.concrete_fields if f.attname not in SKIPPED]
        out.append(sorted(model.objects.values_list(*(f.attname for f in fields)), key=repr))
        out.append(raw_rows(model, [str(f.column) for f in fields]))
    return out


def test_stored_results_and_history_match_bulk_create_with_history(wonoasih: Plan) -> None:
    new = rows(wonoasih)
    fast = outcome(lambda: results.create_results(wonoasih.pk, {2024}, new), stored)
    twin = outcome(lambda: results.create_results_orm(wonoasih.pk, {2024}, new), stored)
    assert fast == twin
    assert [len(rows) for rows in fast[1]] == [len(new)] * 4 == [12] * 4


def test_updated_results_and_history_match_bulk_update_with_history(wonoasih: Plan) -> None:
    results.create_results(wonoasih.pk, {2024}, rows(wonoasih))
    by_key = {
        (r.indicator_id, r.unit_id, r.period_key): r.pk for r in Result.objects.filter(year=2024)
    }
    changed = [
        {
            **row,
            "pk": by_key[(row["indicator_id"], row["unit_id"], row["period_key"])],
            "realisation": None if n % 2 else row["realisation"] * 2,
            "computable": not row["computable"],
            "reason": "diubah",
            "inputs": {"served": [n, {"deep": None}]},
            "achievement": Decimal("99.9999"),
            "status": "",
            "computed_at": datetime(2024, 8, 2, 1, 2, 3, 456_000, tzinfo=UTC),
        }
        for n, row in enumerate(rows(wonoasih)[::2])
    ]
    fields = ["realisation", "computable", "reason", "inputs", "achievement", "status"]
    fast = outcome(lambda: results.update_results(changed, [*fields, "computed_at"]), stored)
    twin = outcome(lambda: results.update_results_orm(changed, [*fields, "computed_at"]), stored)
    assert fast == twin
    # Every result is still there, the changed ones changed; one "~" history row per change.
    assert [len(rows) for rows in fast[1]] == [12, 12, 18, 18]
    results.update_results(changed, [*fields, "computed_at"])
    assert Result.objects.filter(reason="diubah").count() == 6
    assert HISTORY.objects.filter(history_type="~", reason="diubah").count() == 6
