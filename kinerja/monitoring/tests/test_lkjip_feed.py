"""The quarterly narratives feed the LKjIP's analysis of causes and solutions, as written."""

from __future__ import annotations

import pytest

from kinerja.monitoring.actions import do_save_quarter_narrative
from kinerja.monitoring.narratives import lkjip_narratives
from kinerja.monitoring.rules import NarrativeText
from kinerja.plan.models import Indicator
from kinerja.reports.narratives import EMPTY, Narratives

pytestmark = pytest.mark.django_db


def test_each_quarters_narrative_reaches_the_lkjip_in_quarter_order(wonoasih, people) -> None:
    planner = people["planner"]
    s11 = Indicator.objects.get(plan=wonoasih, code="S1.1")
    unit = wonoasih.unit
    do_save_quarter_narrative(
        planner, wonoasih, unit, 2024, 2, s11, NarrativeText("kader aktif", "", "")
    )
    do_save_quarter_narrative(
        planner, wonoasih, unit, 2024, 1, s11, NarrativeText("", "hujan", "jadwal ulang")
    )
    fed = lkjip_narratives(unit, 2024, "causes")
    assert fed == {
        "S1.1": "Triwulan I — Faktor penghambat: hujan; Upaya/tindak lanjut: jadwal ulang.\n"
        "Triwulan II — Faktor pendorong: kader aktif."
    }
    assert lkjip_narratives(unit, 2024, "programs") == {}
    assert lkjip_narratives(unit, 2023, "causes") == {}
    loaded = Narratives.load(unit, 2024)
    assert loaded.quarterly == {("causes", "S1.1"): fed["S1.1"]}
    assert EMPTY == "analisis belum diisi"
