"""One look-up per concern for views and the API: 404 for what does not exist, a refusal for what
the user may not reach, the object otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kinerja.accounts import access
from kinerja.accounts.lookups import get_unit_or_404
from kinerja.plan.lookups import get_plan_or_404
from kinerja.results.lookups import get_year_or_404
from kinerja.surveys.actions import do_save_service
from kinerja.surveys.lookups import get_service_or_404


def test_it_finds_a_unit_the_user_may_act_on(people: dict[str, Any]) -> None:
    assert get_unit_or_404(people["operator"], "kel-wonoasih").code == "kel-wonoasih"
    with pytest.raises(PermissionDenied):
        get_unit_or_404(people["operator"], "kec-wonoasih", access.EDIT_REGISTRY)
    with pytest.raises(PermissionDenied):
        get_unit_or_404(people["outsider"], "kel-wonoasih")
    with pytest.raises(Http404):
        get_unit_or_404(people["admin"], "kel-atlantis")


def test_it_finds_a_plan_the_user_may_act_on(wonoasih: Any, people: dict[str, Any]) -> None:
    assert get_plan_or_404(people["head"], wonoasih.code) == wonoasih
    with pytest.raises(PermissionDenied):
        get_plan_or_404(people["head"], wonoasih.code, access.EDIT_PLAN)
    with pytest.raises(PermissionDenied):
        get_plan_or_404(people["outsider"], wonoasih.code)
    with pytest.raises(Http404):
        get_plan_or_404(people["admin"], "no-such-plan")


def test_it_finds_a_service_by_pk_or_slug(people: dict[str, Any]) -> None:
    unit = get_unit_or_404(people["admin"], "kec-wonoasih")
    service = do_save_service(unit, code="ktp", name="KTP", yearly_users={})
    assert get_service_or_404(people["planner"], pk=service.pk) == service
    assert get_service_or_404(people["admin"], access.EDIT_SURVEY, slug=service.slug) == service
    with pytest.raises(PermissionDenied):
        get_service_or_404(people["planner"], access.EDIT_SURVEY, pk=service.pk)
    with pytest.raises(PermissionDenied):
        get_service_or_404(people["outsider"], slug=service.slug)
    with pytest.raises(Http404):
        get_service_or_404(people["admin"], pk=service.pk + 1)


def test_it_finds_only_years_of_the_plan(wonoasih: Any) -> None:
    assert get_year_or_404(wonoasih, 2019) == 2019  # the baseline year
    assert get_year_or_404(wonoasih, 2024) == 2024
    for year in (2018, 2025):
        with pytest.raises(Http404):
            get_year_or_404(wonoasih, year)
