"""Property-based fuzzing of the API from its OpenAPI document (Schemathesis), in-process via
WSGI: every operation, bounded examples, no server error and responses matching the schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from kinerja.community.tests.factories import make_group
from kinerja.wsgi import application

DOCUMENT = Path(__file__).resolve().parent.parent / "openapi.json"
schema = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text(encoding="utf-8")))
schema.app = application


@pytest.fixture
def keep_test_connection() -> Any:
    """Like Django's test client: the WSGI app must not close the test's database connection
    (and with it the test transaction) at the end of each request."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_key(people: Any, service: Any, keep_test_connection: Any) -> str:
    from datetime import date

    from kinerja.accounts.actions import do_issue_api_key

    make_group("RT-01", date(2015, 1, 1))
    return do_issue_api_key(people["admin"], people["admin"], "fuzz", True)[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_it_answers_every_generated_request_without_a_server_error(
    case: Any, admin_key: str
) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_key}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
