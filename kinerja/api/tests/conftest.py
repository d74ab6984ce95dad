from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def api(db: Any) -> Any:
    """api(user, write=False) → a test client sending a fresh API key of ``user``."""
    from django.test import Client

    from kinerja.accounts.actions import do_issue_api_key

    def make(user: Any, write: bool = False, header: str = "bearer") -> Client:
        _key, secret = do_issue_api_key(user, user, "test", write)
        if header == "bearer":
            return Client(headers={"Authorization": f"Bearer {secret}"})
        return Client(headers={"X-API-Key": secret})

    return make


@pytest.fixture
def survey_officer(people: Any) -> Any:
    from kinerja.accounts.models import OrgUnit, Role
    from kinerja.test import make_user

    return make_user("pelayanan", Role.SURVEY_OFFICER, OrgUnit.objects.get(code="kec-wonoasih"))


@pytest.fixture
def service(people: Any) -> Any:
    from kinerja.accounts.models import OrgUnit
    from kinerja.surveys.models import Service

    return Service.objects.create(
        unit=OrgUnit.objects.get(code="kec-wonoasih"),
        code="ktp",
        name="KTP elektronik",
        slug="ktp123",
    )
