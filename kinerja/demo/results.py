"""Demo step of the results app: recompute the demo plan (runs last, after every data step)."""

from __future__ import annotations

from kinerja.plan.models import Plan
from kinerja.results.actions import do_recompute


def load(plan: Plan) -> str:
    return str(do_recompute(plan))
