"""Attack regressions: period keys out of range in survey URLs are 404s, never 500s."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

# The keys the attack test tried, and a few more at and beyond the window's edges.
BAD_KEYS = ("9999", "0001", "9999-Q4", "9999-12", "0001-Q1", "0000", "1999", "2999-S2")


def staff_urls(key: str) -> list[str]:
    unit = "kec-wonoasih"
    return [
        reverse("surveys:results", args=[unit, key]),
        reverse("surveys:export", args=[unit, key, "csv"]),
        reverse("surveys:followup", args=[unit, key]),
    ]


def public_urls(key: str) -> list[str]:
    unit = "kec-wonoasih"
    return [
        reverse("surveys_public:results", args=[unit, key]),
        reverse("surveys_public:poster_pdf", args=[unit, key]),
        reverse("surveys_public:poster_png", args=[unit, key]),
    ]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_it_answers_404_to_staff_survey_pages_of_impossible_periods(
    login: Any, officer: Any, service: Any, key: str
) -> None:
    client = login(officer)
    for url in staff_urls(key):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("key", BAD_KEYS)
def test_it_answers_404_to_public_result_pages_of_impossible_periods(
    client: Client, service: Any, key: str
) -> None:
    for url in public_urls(key):
        assert client.get(url).status_code == 404, url


def test_it_still_serves_the_periods_inside_the_window(
    login: Any, officer: Any, service: Any, settings: Any
) -> None:
    settings.KINERJA_PUBLIC_PAGE_RATE = 0
    next_year = timezone.localdate().year + 1
    keys = [str(settings.KINERJA_PERIOD_FIRST_YEAR), f"{next_year}-Q4", "2024-07", "2024-S1"]
    for key in keys:
        for url in public_urls(key)[:2]:
            assert Client().get(url).status_code == 200, url
        client = login(officer)
        for url in staff_urls(key):
            assert client.get(url).status_code == 200, url


def test_it_names_the_window_of_years_in_settings(
    client: Client, settings: Any, service: Any
) -> None:
    settings.KINERJA_PERIOD_FIRST_YEAR = 2020
    settings.KINERJA_PERIOD_YEARS_AHEAD = 0
    this_year = timezone.localdate().year
    assert client.get(public_urls("2019")[0]).status_code == 404
    assert client.get(public_urls(str(this_year + 1))[0]).status_code == 404
    assert client.get(public_urls(str(this_year))[0]).status_code == 200
