"""Attack regressions: anonymous results pages and posters read the rollup, are cached, and are
rate-limited per client (they used to scan every response of the period on every request)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.surveys import reports
from kinerja.surveys.actions import Answer, do_save_followup, do_submit_response
from kinerja.surveys.importing import import_bytes
from kinerja.surveys.models import DailyTally, Response

from .conftest import csv_text, worked_rows

pytestmark = pytest.mark.django_db

UNIT = "kec-wonoasih"


def page(name: str, key: str = "2024") -> str:
    return reverse(f"surveys_public:{name}", args=[UNIT, key])


PAGES = ("results", "poster_pdf", "poster_png")


@pytest.fixture
def answered(kec: Any, service: Any) -> Any:
    import_bytes(kec, csv_text(worked_rows(), day="2024-03-05").encode(), "a.csv")
    return kec


@pytest.fixture
def renders(monkeypatch: Any) -> list[str]:
    """Every poster PDF WeasyPrint renders (the cost the cache saves)."""
    rendered: list[str] = []
    real: Callable[..., bytes] = reports.render_poster_pdf

    def counted(data: dict[str, Any], demo: bool) -> bytes:
        rendered.append(data["period"]["key"])
        return real(data, demo)

    monkeypatch.setattr(reports, "render_poster_pdf", counted)
    return rendered


def one_answer(service: Any, score: int = 3) -> None:
    from django.utils import timezone

    do_submit_response(
        service,
        Answer(scores={f"U{i}": score for i in range(1, 10)}, suggestion="Rahasia warga"),
        channel="online",
        submitted_at=timezone.make_aware(datetime(2024, 6, 1, 10)),
    )


@pytest.mark.parametrize("name", PAGES)
def test_it_never_reads_raw_responses_for_a_public_page(
    client: Client, answered: Any, service: Any, name: str
) -> None:
    one_answer(service)
    table = Response._meta.db_table
    counts = []
    for _ in range(2):  # the first request renders, the second comes from the cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(name)).status_code == 200
        statements = [q["sql"] for q in captured.captured_queries]
        assert not [sql for sql in statements if table in sql], statements
        counts.append(len(statements))
    assert counts[0] <= 9 and counts[1] <= 6, counts


def test_it_shows_what_the_rollup_holds(client: Client, answered: Any, service: Any) -> None:
    html = client.get(page("results")).content.decode()
    assert "29 responden" in html and "91,48" in html
    assert "Rahasia warga" not in html


def test_it_renders_a_poster_once_while_its_data_is_unchanged(
    client: Client, answered: Any, service: Any, renders: list[str]
) -> None:
    first = client.get(page("poster_pdf"))
    assert first.content.startswith(b"%PDF")
    assert client.get(page("poster_pdf")).content == first.content
    png = client.get(page("poster_png"))
    assert png.content.startswith(b"\x89PNG")
    assert client.get(page("poster_png")).content == png.content
    assert renders == ["2024"]  # the PNG is drawn from the cached PDF


def test_it_shows_new_data_on_the_very_next_request(
    client: Client, answered: Any, service: Any, renders: list[str]
) -> None:
    assert "29 responden" in client.get(page("results")).content.decode()
    client.get(page("poster_pdf"))
    one_answer(service)
    assert "30 responden" in client.get(page("results")).content.decode()
    client.get(page("poster_pdf"))
    do_save_followup(
        answered, "2024", element="U3", action="Antrean daring", owner="Kasi Pelayanan",
        deadline=None, status="planned",
    )  # fmt: skip
    assert "Antrean daring" in client.get(page("results")).content.decode()
    client.get(page("poster_pdf"))
    assert renders == ["2024", "2024", "2024"]


def test_it_keeps_renderings_only_for_the_named_time(
    client: Client, answered: Any, settings: Any, renders: list[str]
) -> None:
    settings.KINERJA_PUBLIC_PAGE_CACHE_SECONDS = 0  # not kept at all
    client.get(page("poster_pdf"))
    client.get(page("poster_pdf"))
    assert renders == ["2024", "2024"]


def test_every_visitor_gets_their_own_csrf_token_from_the_cached_page(
    answered: Any,
) -> None:
    tokens = []
    for address in ("10.0.0.1", "10.0.0.2"):
        html = Client(REMOTE_ADDR=address).get(page("results")).content.decode()
        assert "slot" not in html and "91,48" in html
        tokens.append(html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
    assert tokens[0] != tokens[1]


def test_it_caches_each_language_apart(client: Client, answered: Any) -> None:
    assert "Indeks Kepuasan Masyarakat" in client.get(page("results")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Community satisfaction index" in client.get(page("results")).content.decode()


@pytest.fixture
def one_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page limits count in whole minutes: a test must not straddle two of them (a slow
    poster rendering at hh:mm:59 would start a fresh count)."""
    from types import SimpleNamespace

    from kinerja.surveys import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 60.0 * 29_000_000))


@pytest.mark.parametrize("name", PAGES)
def test_it_rate_limits_anonymous_public_pages_per_client(
    settings: Any, answered: Any, name: str, one_minute: None
) -> None:
    settings.KINERJA_PUBLIC_PAGE_RATE = 3
    settings.KINERJA_PROXY_COUNT = 1
    greedy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(3):
        assert greedy.get(page(name)).status_code == 200
    refused = greedy.get(page(name))
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Terlalu banyak permintaan" in refused.content.decode()
    # Another citizen behind the same proxy is served.
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert other.get(page(name)).status_code == 200


def test_it_rate_limits_the_blank_form_and_thanks_page_too(
    settings: Any, service: Any, one_minute: None
) -> None:
    settings.KINERJA_PUBLIC_PAGE_RATE = 2
    client = Client()
    form = reverse("surveys_public:form", args=[service.slug])
    thanks = reverse("surveys_public:thanks", args=[service.slug])
    assert client.get(form).status_code == 200
    assert client.get(thanks).status_code == 200
    assert client.get(form).status_code == 429
    assert client.get(thanks).status_code == 429


def test_it_limits_the_posters_one_client_has_rendered(
    settings: Any, answered: Any, renders: list[str], one_minute: None
) -> None:
    settings.KINERJA_PUBLIC_RENDER_RATE = 2
    greedy, other = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="203.0.113.9")
    # Each period is a new poster to render: the third in a minute is refused.
    for key in ("2024", "2024-Q1"):
        assert greedy.get(page("poster_pdf", key)).status_code == 200
    refused = greedy.get(page("poster_pdf", "2024-Q2"))
    assert refused.status_code == 429 and "Terlalu banyak permintaan" in refused.content.decode()
    assert greedy.get(page("poster_png", "2024-Q2")).status_code == 429
    # Posters already rendered cost nothing and are still served; another client may render.
    assert greedy.get(page("poster_pdf", "2024")).status_code == 200
    assert other.get(page("poster_pdf", "2024-Q2")).status_code == 200
    assert renders == ["2024", "2024-Q1", "2024-Q2"]


def tally_statements(client: Client, url: str) -> list[str]:
    table = DailyTally._meta.db_table
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries if table in q["sql"]]


def test_it_sums_closed_days_once_while_they_are_unchanged(
    client: Client, answered: Any, service: Any
) -> None:
    assert len(tally_statements(client, page("results"))) == 1
    # Today's answers change only live days: the closed year is not summed again.
    do_submit_response(service, Answer(scores={f"U{i}": 2 for i in range(1, 10)}), channel="online")
    for name in PAGES:
        assert tally_statements(client, page(name)) == [], name


def test_it_sums_only_the_live_days_of_a_current_period_again(
    client: Client, answered: Any, service: Any, monkeypatch: Any
) -> None:
    from datetime import date

    from django.utils import timezone

    from kinerja.surveys import rollup

    monkeypatch.setattr(rollup, "live_from", lambda: date(2024, 6, 9))  # "today" is 10 June
    assert "29 responden" in client.get(page("results")).content.decode()
    version = rollup.version()
    do_submit_response(
        service,
        Answer(scores={f"U{i}": 2 for i in range(1, 10)}),
        channel="online",
        submitted_at=timezone.make_aware(datetime(2024, 6, 10, 9)),
    )
    assert rollup.version() == version  # a live day: nothing closed changed
    statements = tally_statements(client, page("results"))
    assert len(statements) == 1  # the live days only
    assert "30 responden" in client.get(page("results")).content.decode()


def test_it_raises_the_rollup_version_for_closed_days_only(kec: Any, service: Any) -> None:
    from kinerja.surveys import rollup

    start = rollup.version()
    do_submit_response(service, Answer(scores={f"U{i}": 3 for i in range(1, 10)}), channel="online")
    assert rollup.version() == start
    one_answer(service)  # 1 June 2024
    import_bytes(kec, csv_text(worked_rows()[:3], day="2023-01-02").encode(), "b.csv")
    assert rollup.version() == start + 2
    rollup.rebuild()
    assert rollup.version() == start + 3


def test_it_counts_a_unit_moved_into_the_subtree_at_once(client: Client, answered: Any) -> None:
    from kinerja.accounts.models import OrgUnit
    from kinerja.surveys.actions import do_save_service

    city = OrgUnit.objects.get(code="kota-probolinggo")
    other = OrgUnit.objects.create(
        code="kec-kedopok", name="Kedopok", level="kecamatan", parent=city
    )
    moved = OrgUnit.objects.create(
        code="kel-jrebeng", name="Jrebeng", level="kelurahan", parent=other
    )
    do_save_service(moved, code="sk", name="Surat Keterangan")
    import_bytes(moved, csv_text(worked_rows()[:5], service="sk").encode(), "c.csv")
    assert "29 responden" in client.get(page("results")).content.decode()
    moved.parent = answered
    moved.save()  # no answer changed, the subtree did
    assert "34 responden" in client.get(page("results")).content.decode()
