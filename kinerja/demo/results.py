"""Demo step of the results app: recompute the demo plans, the one the steps were given and every
plan of its unit (runs last, after every data step)."""

from __future__ import annotations

from kinerja.plan.models import Plan
from kinerja.results.actions import do_recompute


def load(plan: Plan) -> str:
    plans = Plan.objects.filter(unit=plan.unit).order_by("start_year", "code")
    return "; ".join(str(do_recompute(p)) for p in plans)
