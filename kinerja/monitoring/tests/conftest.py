"""Fixtures of the monitoring tests: the Wonoasih seed plan with the demo registry, recomputed
for 2024, and its people."""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.demo import community as demo_community
from kinerja.plan.models import Plan
from kinerja.results.actions import do_recompute


@pytest.fixture
def monitored(wonoasih: Plan, people: dict[str, Any]) -> Plan:
    demo_community.load(wonoasih)
    do_recompute(wonoasih, years=[2024])
    return wonoasih
