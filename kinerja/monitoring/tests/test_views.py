"""The done-when of quarterly monitoring on the Wonoasih seed plan with the demo registry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.monitoring.actions import (
    do_move_quarter,
    do_save_quarter_narrative,
    do_save_quarter_targets,
)
from kinerja.monitoring.models import Notification, QuarterReport
from kinerja.monitoring.queries import warnings_for
from kinerja.monitoring.rules import NarrativeText
from kinerja.plan.models import Indicator

pytestmark = pytest.mark.django_db
SUBMITTED, APPROVED, RETURNED = (
    QuarterReport.State.SUBMITTED,
    QuarterReport.State.APPROVED,
    QuarterReport.State.RETURNED,
)
D = Decimal


def targets(plan, code: str, values: list[int], user=None) -> Indicator:
    ind = Indicator.objects.get(plan=plan, code=code)
    do_save_quarter_targets(user, plan, plan.unit, 2024, ind, [D(v) for v in values])
    return ind


def report_row(page: str, code: str) -> str:
    return page.split(f'id="row-{code}"')[1].split("</tr>")[0]


def test_the_quarterly_pages_show_each_quarters_target_and_achievement(
    monitored, people, login
) -> None:
    client = login(people["planner"])
    url = reverse("monitoring:save_targets", args=[monitored.code, 2024, "S1.1"])
    response = client.post(
        url, {"mode": "cumulative", "q1": "10", "q2": "20", "q3": "30", "q4": "40"}
    )
    assert response.status_code == 302
    renaksi = client.get(
        reverse("monitoring:renaksi", args=[monitored.code]), {"year": 2024}
    ).content.decode()
    s11 = Indicator.objects.get(plan=monitored, code="S1.1")
    row = renaksi.split(f'id="ind-{s11.pk}"')[1].split("</tr>")[0]
    for q, shown in enumerate(["10,00%", "20,00%", "30,00%", "40,00%"], start=1):
        assert f'target-q{q}">{shown}' in row
    # demo realisations of S1.1 in 2024, year to date: 25,00 / 29,55 / 34,09 / 41,67 %
    expected = {
        1: ("25,00%", "250,00%"),
        2: ("29,55%", "147,73%"),
        3: ("34,09%", "113,64%"),
        4: ("41,67%", "104,17%"),
    }
    for q, (realisation, achievement) in expected.items():
        page = client.get(
            reverse("monitoring:report", args=[monitored.code, 2024, q])
        ).content.decode()
        row = report_row(page, "S1.1")
        assert row.split("quarter-target")[1].split("</td>")[0].endswith(f">{q * 10},00%")
        assert realisation in row and achievement in row


def test_a_lagging_indicator_without_a_narrative_cannot_be_submitted(
    monitored, people, login
) -> None:
    targets(monitored, "S1.1", [10, 20, 30, 40])
    # T1.1: 10,61 % by Q1 against 20 % is 53 %, below the "near" band (85 %)
    targets(monitored, "T1.1", [20, 25, 30, 40])
    planner, head = people["planner"], people["head"]
    client = login(planner)
    submit = reverse("monitoring:submit_quarter", args=[monitored.code, 2024, 1])
    page = client.post(submit, follow=True).content.decode()
    assert "T1.1" in page.split('class="messages"')[1].split("</ul>")[0]
    assert "S1.1" not in page.split('class="messages"')[1].split("</ul>")[0]
    assert not QuarterReport.objects.exists()  # refused: nothing stored
    t11 = Indicator.objects.get(plan=monitored, code="T1.1")
    # two fields of three are not enough
    do_save_quarter_narrative(
        planner, monitored, monitored.unit, 2024, 1, t11, NarrativeText("a", "b", " ")
    )
    with pytest.raises(ValidationError, match="T1.1"):
        do_move_quarter(planner, monitored, monitored.unit, 2024, 1, SUBMITTED)
    narrative = reverse("monitoring:narrative", args=[monitored.code, 2024, 1, "T1.1"])
    client.post(
        narrative,
        {"drivers": "Kader aktif", "obstacles": "Data terlambat", "follow_up": "Rapat koordinasi"},
    )
    client.post(submit, {"note": "mohon diperiksa"})
    report = QuarterReport.objects.get(year=2024, quarter=1)
    assert report.status == "submitted" and report.late  # 2024-Q1 closed on 10 April 2024
    # the head returns it: the planner is told
    do_move_quarter(head, monitored, monitored.unit, 2024, 1, RETURNED, "lengkapi data")
    notice = Notification.objects.get(user=planner)
    assert notice.kind == "returned" and "lengkapi data" in notice.text
    admin = people["admin"]  # may submit and approve, but not both on one report
    do_move_quarter(admin, monitored, monitored.unit, 2024, 1, SUBMITTED)
    with pytest.raises(ValidationError, match="orang lain yang harus menyetujuinya"):
        do_move_quarter(admin, monitored, monitored.unit, 2024, 1, APPROVED)
    approved = do_move_quarter(head, monitored, monitored.unit, 2024, 1, APPROVED)
    assert approved.status == "approved"
    # every step is in the report's history: who, which state, the note
    steps = list(approved.history.order_by("history_date", "history_id"))  # type: ignore[attr-defined]  # the manager django-simple-history adds
    assert [(s.status, s.history_user, s.history_change_reason) for s in steps][1:] == [
        ("submitted", planner, "mohon diperiksa"),
        ("returned", head, "lengkapi data"),
        ("submitted", admin, ""),
        ("approved", head, ""),
    ]


def test_belum_lapor_lists_the_positions_and_kelurahan_that_have_not_reported(
    wonoasih, people, login
) -> None:
    t11 = Indicator.objects.get(plan=wonoasih, code="T1.1")
    s11 = Indicator.objects.get(plan=wonoasih, code="S1.1")
    planner = people["planner"]
    url = reverse("monitoring:not_reported", args=[wonoasih.code, 2024, 2])
    client = login(people["head"])
    page = client.get(url).content.decode()
    positions = page.split('id="positions"')[1].split("</table>")[0]
    for name in (
        "Kasi Pemberdayaan Masyarakat",
        "Kasi Pelayanan",
        "Kasi Pemerintahan",
        "Kasi Keamanan dan Ketertiban",
    ):
        assert name in positions
    kelurahan = page.split('id="kelurahan"')[1].split("</table>")[0]
    assert '<tr class="not-reported"><td>Wonoasih</td><td>Belum lapor</td>' in kelurahan
    for ind in (t11, s11):
        do_save_quarter_narrative(
            planner, wonoasih, wonoasih.unit, 2024, 2, ind, NarrativeText("", "", "")
        )
    positions = client.get(url).content.decode().split('id="positions"')[1].split("</table>")[0]
    assert "Kasi Pemberdayaan Masyarakat" not in positions
    assert "Kasi Pelayanan" in positions and "T2.1" in positions
    kel = OrgUnit.objects.get(code="kel-wonoasih")
    do_move_quarter(planner, wonoasih, kel, 2024, 2, SUBMITTED)
    kelurahan = client.get(url).content.decode().split('id="kelurahan"')[1].split("</table>")[0]
    assert '<tr class="not-reported"><td>Wonoasih</td>' not in kelurahan
    assert '<tr class="not-reported"><td>Jrebeng Kidul</td>' in kelurahan


def test_early_warnings_on_the_home_page_and_notifications_once(
    monitored, people, login, settings, mailoutbox
) -> None:
    # T1.1 at 24,24 % by Q4 2024 against a year target of 40 %: out of reach
    page = login(people["head"]).get("/").content.decode()
    warnings = page.split('id="early-warnings"')[1].split("</section>")[0]
    assert "T1.1" in warnings and "S1.1" not in warnings
    outsider = login(people["outsider"]).get("/").content.decode()
    assert 'id="early-warnings"' not in outsider
    # the home page reuses its own reads for them: the same warnings as read afresh
    shown = login(people["head"]).get("/").context["early_warnings"]
    fresh = warnings_for(people["head"])
    assert [(w.plan.pk, w.year, w.indicator.pk) for w in shown] == [
        (w.plan.pk, w.year, w.indicator.pk) for w in fresh
    ]
    assert [w.forecast for w in shown] == [w.forecast for w in fresh]
    settings.EMAIL_HOST = "smtp.example"
    people["planner"].email = "perencana@example.org"
    people["planner"].save()
    from datetime import date

    from kinerja.monitoring.models import Notification
    from kinerja.monitoring.notifications import sweep

    on = date(2024, 10, 9)  # 2024-Q3's window closes on 10 October: closing
    told = sweep([monitored], on)
    assert told > 0 and sweep([monitored], on) == 0  # each person is told once
    planner_notes = Notification.objects.filter(user=people["planner"])
    assert set(planner_notes.values_list("kind", flat=True)) == {"window_closing", "early_warning"}
    assert any("T1.1" in m.body or "T1.1" in m.subject for m in mailoutbox)
    client = login(people["planner"])
    header = client.get(reverse("monitoring:notifications")).content.decode()
    assert "Notifikasi (2 belum dibaca)" in header
    note = planner_notes.get(kind="window_closing")
    client.post(reverse("monitoring:read_notification", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is not None


def test_the_demo_step_fills_2024_once(monitored, people) -> None:
    from kinerja.demo import monitoring as demo
    from kinerja.monitoring.models import QuarterNarrative, QuarterTargets, RenaksiAction

    assert "2024" in demo.load(monitored)
    counts = (
        QuarterTargets.objects.count(),
        RenaksiAction.objects.count(),
        QuarterNarrative.objects.count(),
    )
    demo.load(monitored)  # idempotent
    assert counts == (
        QuarterTargets.objects.count(),
        RenaksiAction.objects.count(),
        QuarterNarrative.objects.count(),
    )
    s11 = QuarterTargets.objects.get(indicator__code="S1.1", renaksi__year=2024)
    assert [s11.q1, s11.q2, s11.q3, s11.q4] == [D(10), D(20), D(30), D(40)]
    states = dict(QuarterReport.objects.values_list("quarter", "status"))
    assert states == {1: "approved", 2: "approved", 3: "approved", 4: "draft"}
    # Loaded as entered in each quarter's reporting window, not at load time: none late.
    narratives = QuarterNarrative.objects.filter(report__year=2024)
    assert narratives.exists() and not narratives.filter(late=True).exists()
    assert not QuarterReport.objects.filter(year=2024, late=True).exists()
    q2 = narratives.filter(report__quarter=2).first()
    assert q2 is not None and timezone.localdate(q2.entered_at) == date(2024, 7, 1)
    lagging = QuarterNarrative.objects.get(
        report__quarter=2, indicator__code="T1.1"
    )  # 12,12 of 20 %
    assert lagging.complete
