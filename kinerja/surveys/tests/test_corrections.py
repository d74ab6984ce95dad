"""Corrections of paper forms typed in by staff: the rollup follows, and the change is kept in
the history (who, when, what before, what after) and the audit log, like other records; the
citizens' own answers are not correctable, and answering or discarding an import writes no
history at all."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import signals
from django.urls import reverse
from django.utils import timezone

from kinerja.audit.models import AuditEntry
from kinerja.surveys.actions import Answer, SurveyRefused, do_correct_response, do_submit_response
from kinerja.surveys.models import Response
from kinerja.surveys.rollup import raw_tally, tally_for

pytestmark = pytest.mark.django_db

ALL_THREES = {f"U{k}": 3 for k in range(1, 10)}


def paper_form(service: Any, officer: Any, day: date = date(2024, 5, 2)) -> Response:
    response, _created = do_submit_response(
        service,
        Answer(scores=ALL_THREES, gender="L", age=40, suggestion="Antrean lama"),
        channel=Response.Channel.PAPER,
        submitted_at=timezone.make_aware(datetime(day.year, day.month, day.day, 9)),
        user=officer,
    )
    return response


def form_data(response: Response, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {f"u{k}": "3" for k in range(1, 10)}
    data.update(
        {"submitted_on": "2024-05-02", "session": "morning", "gender": "L", "age": "40",
         "suggestion": "Antrean lama", "reason": ""}
    )  # fmt: skip
    data.update(changes)
    return data


def test_it_corrects_a_paper_form_and_keeps_who_when_and_what_in_the_history(
    login: Any, officer: Any, service: Any
) -> None:
    response = paper_form(service, officer)
    assert response.history.count() == 0  # type: ignore[attr-defined]  # entering keeps none
    client = login(officer)
    url = reverse("surveys:paper_correct", args=[service.pk, response.pk])
    page = client.get(url).content.decode()
    assert "Antrean lama</textarea>" in page and 'value="2024-05-02"' in page
    before = timezone.now()
    saved = client.post(url, form_data(response, u3="1", reason="salah ketik U3"))
    assert saved.status_code == 302
    response.refresh_from_db()
    assert response.u3 == 1 and response.channel == Response.Channel.PAPER
    # The rollup follows the correction.
    day = date(2024, 5, 2)
    assert tally_for(service.unit, day, day) == raw_tally(service.unit, day, day)
    assert tally_for(service.unit, day, day).totals["U3"] == 1
    # History: the form as first entered, then the correction with who, when and why.
    first, correction = response.history.order_by("history_date")  # type: ignore[attr-defined]
    assert (first.history_type, first.u3, first.history_user) == ("+", 3, None)
    assert first.history_date == response.created_at
    assert (correction.history_type, correction.u3) == ("~", 1)
    assert correction.history_user == officer and correction.history_date >= before
    assert correction.history_change_reason == "salah ketik U3"
    entry = AuditEntry.objects.get(model="surveys.response", object_id=str(response.pk))
    assert entry.action == AuditEntry.Action.CHANGE and entry.actor == officer
    assert entry.changes == {"before": {"u3": 3}, "after": {"u3": 1}}
    assert entry.reason == "salah ketik U3"


def test_it_moves_the_tally_when_the_date_is_corrected(officer: Any, service: Any) -> None:
    response = paper_form(service, officer)
    moved = Answer(scores={**ALL_THREES, "U1": 4}, gender="L", age=40)
    do_correct_response(
        officer, response, moved, submitted_on=date(2024, 5, 3), session="afternoon"
    )
    response.refresh_from_db()
    assert response.day == date(2024, 5, 3) and response.session == "afternoon"
    assert tally_for(service.unit, date(2024, 5, 2), date(2024, 5, 2)).respondents == 0
    assert tally_for(service.unit, date(2024, 5, 3), date(2024, 5, 3)).totals["U1"] == 4
    assert response.history.count() == 2  # type: ignore[attr-defined]


def test_it_refuses_to_correct_a_citizens_own_answer(officer: Any, service: Any) -> None:
    online, _created = do_submit_response(service, Answer(scores=ALL_THREES), channel="online")
    with pytest.raises(SurveyRefused):
        do_correct_response(officer, online, Answer(scores={**ALL_THREES, "U1": 1}))
    online.refresh_from_db()
    assert online.u1 == 3 and online.history.count() == 0  # type: ignore[attr-defined]


def test_it_refuses_an_outsider(people: Any, officer: Any, service: Any) -> None:
    response = paper_form(service, officer)
    with pytest.raises(PermissionDenied):
        do_correct_response(people["outsider"], response, Answer(scores={**ALL_THREES, "U1": 1}))


def test_it_keeps_answering_and_bulk_deleting_free_of_history(officer: Any, service: Any) -> None:
    paper_form(service, officer)
    do_submit_response(service, Answer(scores=ALL_THREES), channel="online")
    # No delete listener: discarding an import deletes its rows in one statement.
    assert not signals.post_delete.has_listeners(Response)
    assert not signals.pre_delete.has_listeners(Response)
    Response.objects.all().delete()
    assert Response.history.count() == 0  # type: ignore[attr-defined]


def test_it_lists_the_days_paper_forms_with_a_link_to_correct_each(
    login: Any, officer: Any, service: Any
) -> None:
    response = paper_form(service, officer)
    client = login(officer)
    page = client.get(reverse("surveys:paper_entry", args=[service.pk]), {"tanggal": "2024-05-02"})
    assert reverse("surveys:paper_correct", args=[service.pk, response.pk]) in page.content.decode()
