"""Bad input to the Renaksi and the quarterly report is refused naming the field, and nothing is stored."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kinerja.accounts.models import OrgUnit
from kinerja.monitoring.actions import (
    do_add_renaksi_action,
    do_move_quarter,
    do_save_quarter_narrative,
    do_save_quarter_targets,
)
from kinerja.monitoring.models import (
    QuarterNarrative,
    QuarterReport,
    QuarterTargets,
    RenaksiAction,
)
from kinerja.monitoring.rules import NarrativeText
from kinerja.plan.models import Indicator

pytestmark = pytest.mark.django_db
SUBMITTED = QuarterReport.State.SUBMITTED
D = Decimal


def s11(plan) -> Indicator:
    return Indicator.objects.get(plan=plan, code="S1.1")


def test_a_cumulative_q4_other_than_the_year_target_is_refused(wonoasih, people) -> None:
    planner = people["planner"]
    with pytest.raises(ValidationError) as refused:
        do_save_quarter_targets(
            planner, wonoasih, wonoasih.unit, 2024, s11(wonoasih), [D(10), D(20), D(30), D(35)]
        )
    assert "q4" in refused.value.message_dict
    assert "S1.1" in refused.value.message_dict["q4"][0]
    assert "40" in refused.value.message_dict["q4"][0]
    assert not QuarterTargets.objects.exists()
    do_save_quarter_targets(
        planner, wonoasih, wonoasih.unit, 2024, s11(wonoasih), [D(10), D(20), D(30), D(40)]
    )
    assert QuarterTargets.objects.get().q4 == D(40)


def test_a_malformed_budget_code_is_refused_naming_the_field(wonoasih, people) -> None:
    fields: dict[str, Any] = {
        "name": "Fasilitasi LPMK",
        "position": "Kasi Pemberdayaan Masyarakat",
        "months": [3, 6],
    }
    with pytest.raises(ValidationError) as refused:
        do_add_renaksi_action(
            people["planner"], wonoasih, wonoasih.unit, 2024, s11(wonoasih),
            budget_code="7.01.01-2", **fields,
        )  # fmt: skip
    assert list(refused.value.message_dict) == ["budget_code"]
    assert "7.01.01-2" in refused.value.message_dict["budget_code"][0]
    assert not RenaksiAction.objects.exists()
    action = do_add_renaksi_action(
        people["planner"], wonoasih, wonoasih.unit, 2024, s11(wonoasih),
        budget_code="7.01.01.2.06.0001", **fields,
    )  # fmt: skip
    assert action.months == [3, 6]


@pytest.mark.parametrize("months", [[], [0], [13]])
def test_months_are_1_to_12(wonoasih, people, months) -> None:
    with pytest.raises(ValidationError) as refused:
        do_add_renaksi_action(
            people["planner"], wonoasih, wonoasih.unit, 2024, s11(wonoasih),
            name="a", budget_code="", position="Kasi", months=months,
        )  # fmt: skip
    assert list(refused.value.message_dict) == ["months"]


def test_a_narrative_over_the_limit_is_refused_naming_the_field(wonoasih, people, settings) -> None:
    settings.KINERJA_QUARTER_NARRATIVE_MAX_CHARS = 2000
    planner = people["planner"]
    long = NarrativeText("x" * 2000, "y" * 2001, "z")
    with pytest.raises(ValidationError) as refused:
        do_save_quarter_narrative(planner, wonoasih, wonoasih.unit, 2024, 1, s11(wonoasih), long)
    assert list(refused.value.message_dict) == ["obstacles"]
    assert "faktor penghambat" in refused.value.message_dict["obstacles"][0]
    assert not QuarterNarrative.objects.exists()
    settings.KINERJA_QUARTER_NARRATIVE_MAX_CHARS = 2001
    do_save_quarter_narrative(planner, wonoasih, wonoasih.unit, 2024, 1, s11(wonoasih), long)
    assert QuarterNarrative.objects.get().obstacles == "y" * 2001


def test_a_unit_outside_the_plan_is_refused_even_to_a_superuser(wonoasih, people) -> None:
    other = (
        OrgUnit.objects.exclude(path__startswith=wonoasih.unit.path)
        .exclude(level="province")
        .first()
    )
    assert other is not None
    with pytest.raises((PermissionDenied, ValidationError)):
        do_save_quarter_targets(
            people["admin"], wonoasih, other, 2024, s11(wonoasih), [D(10), D(20), D(30), D(40)]
        )
    assert not QuarterTargets.objects.exists()


def test_a_submitted_report_is_closed_to_narratives(wonoasih, people) -> None:
    planner = people["planner"]
    do_move_quarter(planner, wonoasih, wonoasih.unit, 2024, 1, SUBMITTED)
    with pytest.raises(ValidationError):
        do_save_quarter_narrative(
            planner, wonoasih, wonoasih.unit, 2024, 1, s11(wonoasih), NarrativeText("a", "b", "c")
        )


def test_the_page_says_which_field_was_refused(wonoasih, people, login) -> None:
    client = login(people["planner"])
    url = reverse("monitoring:add_action", args=[wonoasih.code, 2024])
    page = client.post(
        url,
        {
            "indicator": "S1.1",
            "name": "Fasilitasi",
            "budget_code": "abc",
            "position": "Kasi",
            "months": ["1"],
        },
        follow=True,
    ).content.decode()
    assert "Kode anggaran abc bukan kode kegiatan" in page
    assert not RenaksiAction.objects.exists()


def test_the_notify_command_tells_the_planners_once(wonoasih, people) -> None:
    from io import StringIO

    from django.core.management import call_command

    from kinerja.monitoring.models import Notification

    out = StringIO()
    call_command("monitoring", "notify", "--on", "2024-04-02", stdout=out)
    assert Notification.objects.filter(user=people["planner"], kind="window_open").count() == 1
    assert not Notification.objects.filter(user=people["head"], kind="window_open").exists()
    call_command("monitoring", "notify", "--on", "2024-04-03", stdout=out)
    assert Notification.objects.filter(kind="window_open").count() == Notification.objects.count()
    assert Notification.objects.filter(user=people["planner"]).count() == 1


def test_a_loader_stamps_entries_with_the_time_they_were_made(wonoasih, people) -> None:
    from datetime import datetime, timedelta

    from django.utils import timezone

    from kinerja.monitoring.models import QuarterReport

    planner, unit = people["planner"], wonoasih.unit
    text = NarrativeText("a", "b", "c")
    in_window = datetime(2024, 4, 3, 9, tzinfo=timezone.get_current_timezone())
    row = do_save_quarter_narrative(
        planner, wonoasih, unit, 2024, 1, s11(wonoasih), text, at=in_window
    )
    assert (row.entered_at, row.late) == (in_window, False)
    report = do_move_quarter(
        planner, wonoasih, unit, 2024, 1, SUBMITTED, at=in_window + timedelta(hours=5)
    )
    assert (report.submitted_at, report.late) == (in_window + timedelta(hours=5), False)
    # Without a time, now: long after 2024-Q2's window (10 July 2024).
    assert do_save_quarter_narrative(planner, wonoasih, unit, 2024, 2, s11(wonoasih), text).late
    for bad in (timezone.now() + timedelta(days=1), datetime(2024, 7, 3, 9)):
        with pytest.raises(ValidationError) as refused:
            do_move_quarter(planner, wonoasih, unit, 2024, 2, SUBMITTED, at=bad)
        assert list(refused.value.message_dict) == ["at"]
    assert QuarterReport.objects.get(quarter=2).status == "draft"


def test_the_former_name_of_the_narrative_limit_is_still_read(monkeypatch) -> None:
    from kinerja import settings as settings_module

    names = ("KINERJA_QUARTER_NARRATIVE_MAX_CHARS", "KINERJA_NARRATIVE_MAX_CHARS")
    monkeypatch.delenv(names[0], raising=False)
    monkeypatch.delenv(names[1], raising=False)
    assert settings_module.env_first(names, "2000") == "2000"
    monkeypatch.setenv("KINERJA_NARRATIVE_MAX_CHARS", "1500")
    assert settings_module.env_first(names, "2000") == "1500"
    monkeypatch.setenv("KINERJA_QUARTER_NARRATIVE_MAX_CHARS", "900")
    assert settings_module.env_first(names, "2000") == "900"
