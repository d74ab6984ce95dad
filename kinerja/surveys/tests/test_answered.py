"""A citizen is counted once: the browser that has just answered is marked (a short-lived cookie
per service), its form page then says the answer is recorded, and a second answer from it is
not stored until someone presses "Isi untuk responden lain". Kiosks set no mark."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.surveys.actions import do_save_service
from kinerja.surveys.models import Response
from kinerja.surveys.tests.test_public import FORM, form_url, fresh_form, send

pytestmark = pytest.mark.django_db

RECORDED = "Terima kasih, jawaban Anda sudah tercatat"
ANOTHER = "Isi untuk responden lain"


def another_url(service: Any) -> str:
    return reverse("surveys_public:another", args=[service.slug])


def press_another(client: Client, service: Any) -> Any:
    """The "Isi untuk responden lain" button: a small form POST, as the browser sends it."""
    return client.post(another_url(service), "csrfmiddlewaretoken=x", content_type=FORM)


def test_an_answer_marks_the_browser_for_a_named_while(
    client: Client, service: Any, settings: Any
) -> None:
    settings.KINERJA_PUBLIC_ANSWERED_SECONDS = 1234
    sent = send(client, service, fresh_form(client, service))
    assert sent.status_code == 302
    mark = sent.cookies[f"skm_dijawab_{service.pk}"]
    assert mark["max-age"] == 1234
    assert mark["httponly"] and mark["samesite"] == "Lax"


def test_the_form_page_of_a_marked_browser_says_the_answer_is_recorded(
    client: Client, service: Any
) -> None:
    send(client, service, fresh_form(client, service))
    page = client.get(form_url(service))
    html = page.content.decode()
    assert page.status_code == 200
    assert RECORDED in html and ANOTHER in html
    assert 'name="token"' not in html and "<fieldset" not in html
    assert f'action="{another_url(service)}"' in html
    # The thank-you page after the answer says the same and offers the same button.
    thanks = client.get(reverse("surveys_public:thanks", args=[service.slug])).content.decode()
    assert RECORDED in thanks and ANOTHER in thanks


def test_a_second_answer_from_a_marked_browser_is_not_stored(client: Client, service: Any) -> None:
    first = fresh_form(client, service)  # e.g. a second tab, opened before the first answer
    second = fresh_form(client, service)
    send(client, service, first)
    again = send(client, service, second)
    assert again.status_code == 302
    assert again["Location"] == reverse("surveys_public:thanks", args=[service.slug])
    assert Response.objects.count() == 1


def test_another_respondent_gets_a_blank_form_and_is_counted(client: Client, service: Any) -> None:
    waiting = fresh_form(client, service)  # another tab, filled in later by the next person
    send(client, service, fresh_form(client, service))
    pressed = press_another(client, service)
    assert pressed.status_code == 302 and pressed["Location"] == form_url(service)
    assert pressed.cookies[f"skm_dijawab_{service.pk}"]["max-age"] == 0
    html = client.get(form_url(service)).content.decode()
    assert RECORDED not in html and 'name="token"' in html
    assert send(client, service, fresh_form(client, service)).status_code == 302
    assert Response.objects.count() == 2
    # The new answer marks the browser again: the tab left open is not stored.
    send(client, service, waiting)
    assert Response.objects.count() == 2


def test_the_mark_is_per_service(client: Client, service: Any, kec: Any) -> None:
    other = do_save_service(kec, code="kk", name="Kartu Keluarga")
    send(client, service, fresh_form(client, service))
    html = client.get(form_url(other)).content.decode()
    assert RECORDED not in html
    assert send(client, other, fresh_form(client, other)).status_code == 302
    assert Response.objects.filter(service=other).count() == 1


def test_a_mark_copied_to_another_service_counts_for_nothing(
    client: Client, service: Any, kec: Any
) -> None:
    other = do_save_service(kec, code="kk", name="Kartu Keluarga")
    send(client, service, fresh_form(client, service))
    value = client.cookies[f"skm_dijawab_{service.pk}"].value
    client.cookies[f"skm_dijawab_{other.pk}"] = value
    assert RECORDED not in client.get(form_url(other)).content.decode()


def test_the_mark_lapses_after_its_setting(
    client: Client, service: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.KINERJA_PUBLIC_ANSWERED_SECONDS = 60
    send(client, service, fresh_form(client, service))
    assert RECORDED in client.get(form_url(service)).content.decode()
    later = time.time() + 61
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert RECORDED not in client.get(form_url(service)).content.decode()
    send(client, service, fresh_form(client, service))
    assert Response.objects.count() == 2


def test_no_mark_when_the_setting_is_zero(client: Client, service: Any, settings: Any) -> None:
    settings.KINERJA_PUBLIC_ANSWERED_SECONDS = 0
    sent = send(client, service, fresh_form(client, service))
    assert f"skm_dijawab_{service.pk}" not in sent.cookies
    send(client, service, fresh_form(client, service))
    assert Response.objects.count() == 2


def test_a_kiosk_sets_no_mark_and_resets_itself(client: Client, service: Any) -> None:
    sent = send(client, service, fresh_form(client, service, kiosk=True), kiosk=True)
    assert f"skm_dijawab_{service.pk}" not in sent.cookies
    thanks = client.get(sent["Location"]).content.decode()
    # It moves on by a script a person can stop, not by a timed <meta refresh> nobody can.
    assert 'http-equiv="refresh"' not in thanks and "surveys/autonext" in thanks
    assert f'data-next-url="/s/{service.slug}/?kiosk=1"' in thanks and "data-next-stop" in thanks
    send(client, service, fresh_form(client, service, kiosk=True), kiosk=True)
    assert Response.objects.filter(channel="kiosk").count() == 2


def test_a_kiosk_ignores_a_mark_left_by_an_online_answer(client: Client, service: Any) -> None:
    send(client, service, fresh_form(client, service))
    html = client.get(form_url(service, kiosk=True)).content.decode()
    assert RECORDED not in html and 'name="token"' in html
    send(client, service, fresh_form(client, service, kiosk=True), kiosk=True)
    assert Response.objects.count() == 2


@pytest.mark.parametrize("state", ["blank", "answered", "reshown", "thanks"])
def test_the_form_page_is_never_stored_by_the_browser(
    client: Client, service: Any, state: str
) -> None:
    if state == "blank":
        page = client.get(form_url(service))
    elif state == "reshown":
        data = fresh_form(client, service)
        del data["u1"]
        page = send(client, service, data)
    else:
        send(client, service, fresh_form(client, service))
        url = form_url(service)
        page = client.get(url if state == "answered" else url + "terima-kasih/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]


def test_pressing_another_needs_the_csrf_token(service: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    data = fresh_form(browser, service)
    send(browser, service, data)
    html = browser.get(form_url(service)).content.decode()
    assert press_another(browser, service).status_code == 403
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    pressed = browser.post(another_url(service), f"csrfmiddlewaretoken={token}", content_type=FORM)
    assert pressed.status_code == 302
    assert RECORDED not in browser.get(form_url(service)).content.decode()


def test_pressing_another_for_an_unknown_service_is_a_404(client: Client) -> None:
    pressed = client.post("/s/tidak-ada/responden-lain/", "go=1", content_type=FORM)
    assert pressed.status_code == 404
