"""The statements one public survey post sends, pinned: it is the hottest path of the system
(docs/rules.md#live-results: every post marks its unit's results stale)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.lib.models import StaleMark

from .test_public import fresh_form, send

pytestmark = pytest.mark.django_db

# The service read (surveys/formcache.py); then, in a test, the view's transaction is a savepoint of the test's: SAVEPOINT … RELEASE stand for
# BEGIN … COMMIT. Between them: the rate-limit bucket read and written, the response inserted
# (no savepoint of its own: kinerja/db/responses.py), the day row upserted, the stale marks
# upserted (one statement: kinerja/db/stale.py).
STEADY = ["SELECT", "SAVEPOINT", "SELECT", "UPDATE", "INSERT", "INSERT", "WITH", "RELEASE"]


def verbs(captured: CaptureQueriesContext) -> list[str]:
    """The first word of each statement ("2 times: INSERT …" is one executemany)."""
    return [
        re.sub(r"^\d+ times: ", "", q["sql"]).split(None, 1)[0].upper()
        for q in captured.captured_queries
    ]


def test_a_post_whose_marks_wait_already_sends_eight_statements(
    client: Client, service: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.KINERJA_PUBLIC_ANSWERED_SECONDS = 0
    year = timezone.localdate().year
    apps.get_model("plan", "Plan").objects.create(
        code="uji", title="uji", unit=service.unit, start_year=year - 1, end_year=year + 1
    )
    data = fresh_form(client, service)
    with (
        CaptureQueriesContext(connection) as first,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send(client, service, data).status_code == 302
    # The first post created the marks (this year and the next): it queued the recompute.
    assert StaleMark.objects.count() == 2
    assert "django_tasks" in " ".join(q["sql"] for q in first.captured_queries)
    data = fresh_form(client, service)
    with (
        CaptureQueriesContext(connection) as second,
        django_capture_on_commit_callbacks(execute=True) as hooks,
    ):
        assert send(client, service, data).status_code == 302
    # The marks wait already: moved, nothing queued, no look into the task queue.
    assert hooks == []
    assert verbs(second) == STEADY, [q["sql"][:80] for q in second.captured_queries]
