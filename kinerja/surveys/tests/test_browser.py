"""End to end on a phone: answer the public form, see it in the results; double submit and the
rate limit; a bad import file changes nothing; a published IKM recorded on a phone and a desktop."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from kinerja.surveys import ratelimit
from kinerja.surveys.models import DailyTally, Response
from kinerja.surveys.tests.test_import import BAD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, live_server: Any, user: Any) -> None:
    """Share a Django session with the browser (the login page itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def answer_all(page: Any) -> None:
    for i in range(1, 10):
        # Tap the label (the large target), not the small radio itself.
        page.locator(f"label.opt:has(#id_u{i}_{(i % 4)})").click()
    page.locator("label.opt:has(#id_gender_1)").click()
    page.fill("#id_age", "41")
    page.select_option("#id_education", "S1")
    page.fill("#id_suggestion", "Antrean <b>lebih</b> cepat")


def test_it_answers_on_a_phone_and_the_response_reaches_the_results(
    phone: Any, live_server: Any, service: Any, people: Any
) -> None:
    page = phone
    form_url = f"{live_server.url}/s/{service.slug}/"
    page.goto(form_url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    box = page.locator("label.opt").first.bounding_box()
    assert box["height"] >= 44  # a comfortable tap target
    answer_all(page)
    posted: list[Any] = []
    page.on("request", lambda r: posted.append(r) if r.method == "POST" else None)
    page.click("button.send")
    page.wait_for_url("**/terima-kasih/")
    assert "Terima kasih" in page.inner_text("main")
    assert Response.objects.count() == 1
    # Replaying the very same POST (a double tap, a refresh) stores nothing more.
    body = posted[0].post_data
    replay = page.request.post(
        form_url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert replay.ok and "Terima kasih" in replay.text()
    assert Response.objects.count() == 1
    stored = Response.objects.get()
    assert (
        stored.gender == "P"
        and stored.age == 41
        and stored.scores == [1 + i % 4 for i in range(1, 10)]
    )

    log_in(page, live_server, people["head"])
    year = timezone.localdate().year
    page.goto(f"{live_server.url}/survei/unit/kec-wonoasih/hasil/{year}/")
    ikm = page.inner_text("#ikm")
    expected = f"{25 * sum(1 + i % 4 for i in range(1, 10)) / 9:.2f}".replace(".", ",")
    assert expected in ikm
    assert "1" in page.inner_text("#sample")
    assert "Antrean <b>lebih</b> cepat" in page.inner_text("#suggestions")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_going_back_after_an_answer_counts_the_citizen_once(
    phone: Any, live_server: Any, service: Any
) -> None:
    page = phone
    form_url = f"{live_server.url}/s/{service.slug}/"
    # A second tab with the same form, opened before the answer (as a citizen may do).
    second = page.context.new_page()
    second.goto(form_url)
    page.goto(form_url)
    answer_all(page)
    page.click("button.send")
    page.wait_for_url("**/terima-kasih/")
    assert Response.objects.count() == 1
    # Back: the form page is fetched again (no-store), and says the answer is recorded.
    page.go_back()
    page.wait_for_load_state()
    assert page.url == form_url
    assert "Terima kasih, jawaban Anda sudah tercatat" in page.inner_text("main")
    assert page.locator("button.send").count() == 0
    # The other tab's form sent now is not stored a second time.
    answer_all(second)
    second.click("button.send")
    second.wait_for_url("**/terima-kasih/")
    assert "Terima kasih, jawaban Anda sudah tercatat" in second.inner_text("main")
    assert Response.objects.count() == 1
    # On a shared device the next person presses the button and gets a blank form.
    page.click("text=Isi untuk responden lain")
    page.wait_for_url(form_url)
    assert page.locator("input[type=radio]:checked").count() == 0
    answer_all(page)
    page.click("button.send")
    page.wait_for_url("**/terima-kasih/")
    assert Response.objects.count() == 2
    page.go_back()
    page.wait_for_load_state()
    assert "Terima kasih, jawaban Anda sudah tercatat" in page.inner_text("main")
    assert Response.objects.count() == 2


def test_a_kiosk_going_back_after_an_answer_shows_a_blank_form(
    phone: Any, live_server: Any, service: Any
) -> None:
    page = phone
    form_url = f"{live_server.url}/s/{service.slug}/?kiosk=1"
    page.goto(form_url)
    answer_all(page)
    page.click("button.send")
    page.wait_for_url("**/terima-kasih/?kiosk=1")
    assert "Terima kasih, jawaban Anda sudah tercatat" in page.inner_text("main")
    # No mark on a kiosk, and the next person does not find the last person's answers.
    assert not [c for c in page.context.cookies() if c["name"].startswith("skm_dijawab_")]
    page.go_back()
    page.wait_for_load_state()
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.input_value("#id_age") == "" and page.input_value("#id_suggestion") == ""
    assert Response.objects.count() == 1


def test_it_refuses_the_21st_submission_within_a_minute_politely(
    phone: Any, live_server: Any, service: Any, settings: Any
) -> None:
    settings.KINERJA_PUBLIC_ANSWERED_SECONDS = 0  # twenty respondents on one device
    page = phone
    form_url = f"{live_server.url}/s/{service.slug}/"
    for _ in range(ratelimit.LIMIT):
        html = page.request.get(form_url).text()
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|token)" value="([^"]+)"', html))
        fields.update({f"u{i}": "4" for i in range(1, 10)})
        assert page.request.post(form_url, form=fields).ok
    assert Response.objects.count() == ratelimit.LIMIT
    page.goto(form_url)
    answer_all(page)
    page.click("button.send")
    page.wait_for_load_state()
    assert "Mohon tunggu sebentar" in page.inner_text("main")
    assert Response.objects.count() == ratelimit.LIMIT


def test_it_refuses_a_bad_import_file_and_names_every_bad_row(
    desktop: Any, live_server: Any, service: Any, officer: Any, tmp_path: Path
) -> None:
    page = desktop
    log_in(page, live_server, officer)
    bad = tmp_path / "survei.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.goto(f"{live_server.url}/survei/unit/kec-wonoasih/impor/")
    page.set_input_files("#id_file", str(bad))
    page.check("input[name=element_order][value=named]")  # the header names the elements
    page.click("button.primary")
    problems = page.inner_text("#problems")
    for where in ("baris 3", "baris 4", "baris 5"):
        assert where in problems
    assert "baris 2" not in problems and "baris 6" not in problems
    assert Response.objects.count() == 0 and DailyTally.objects.count() == 0


def test_it_types_paper_forms_with_the_keyboard_only(
    desktop: Any, live_server: Any, service: Any, officer: Any
) -> None:
    page = desktop
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/survei/layanan/{service.pk}/entri/")
    for form in ("342314231", "444444444"):
        page.wait_for_selector("tr.current")  # entry.js focused the first element
        for key in form:
            page.keyboard.press(key)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert [r.scores for r in Response.objects.order_by("pk")] == [
        [3, 4, 2, 3, 1, 4, 2, 3, 1],
        [4] * 9,
    ]
    assert "Dientri hari ini: 2" in page.inner_text("main")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_it_records_a_published_ikm_on_any_screen(
    device: str, request: Any, live_server: Any, officer: Any, tmp_path: Path
) -> None:
    from kinerja.surveys.models import PublishedIkm

    page = request.getfixturevalue(device)
    log_in(page, live_server, officer)
    report = tmp_path / "laporan-skm-2011.pdf"
    report.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.goto(f"{live_server.url}/survei/unit/kec-wonoasih/ikm-terbit/")
    page.fill("#id_year", "2011")
    page.fill("#id_value", "74,67")
    page.select_option("#id_grade", "B")
    page.select_option("#id_method", "kepmenpan-25-2004-rounded-weight")
    page.fill("#id_document_title", "Laporan SKM Kecamatan Wonoasih 2011")
    page.set_input_files("#id_evidence", str(report))
    page.click("#record button.primary")
    row = page.locator("#published-2011")
    assert "74,67" in row.inner_text() and "nilai terbit" in row.inner_text()
    assert str(PublishedIkm.objects.get().value) == "74.67"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_it_fits_the_results_tables_on_a_desktop_and_a_phone(
    desktop: Any, phone: Any, live_server: Any, service: Any, kel_service: Any, people: Any
) -> None:
    from kinerja.surveys.tests.test_staff import seed

    seed(service, kel_service)
    for page in (desktop, phone):
        log_in(page, live_server, people["head"])
        page.goto(f"{live_server.url}/survei/unit/kec-wonoasih/hasil/2024/")
        # Every table shows all its columns (the IKM column was cut off) without scrolling.
        cut = page.evaluate(
            """[...document.querySelectorAll('main table')]
                 .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)
                 .map(t => t.id || t.className)"""
        )
        assert cut == [], page.viewport_size
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
