"""The compute function of every manual measure a plan declares.

A value entered for the unit itself is the value. Without one, the values entered for units under
it are added up when the measure is a count (filter ``combine: sum``); a percentage or an index
of sub-units cannot be added, so it stays "not measured" there. One SQL aggregate per call.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from kinerja.accounts.models import OrgUnit
from kinerja.results.models import ManualValue
from kinerja_core.measures import Filters
from kinerja_core.periods import Period


def manual(unit: OrgUnit, period: Period, filters: Filters) -> Decimal | None:
    own = Q(unit=unit)
    totals = ManualValue.objects.filter(
        unit.subtree_q("unit"),
        plan__code__in=filters["plan"],
        name__in=filters["name"],
        period_key=period.key,
    ).aggregate(
        own_value=Sum("value", filter=own),
        own_count=Count("pk", filter=own),
        total=Sum("value"),
        count=Count("pk"),
    )
    if totals["own_count"]:
        return Decimal(totals["own_value"])
    if totals["count"] and filters.get("combine") == ["sum"]:
        return Decimal(totals["total"])
    return None
