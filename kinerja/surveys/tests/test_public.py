"""The public questionnaire: no login, light, one response per token, rate limit, honeypot,
receipt codes, kiosk mode."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.surveys import ratelimit
from kinerja.surveys.actions import do_issue_receipt_codes
from kinerja.surveys.models import Response

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[1] / "static" / "surveys"
FORM = "application/x-www-form-urlencoded"  # what browsers send; the form refuses multipart


def form_url(service: Any, kiosk: bool = False) -> str:
    return reverse("surveys_public:form", args=[service.slug]) + ("?kiosk=1" if kiosk else "")


def send(client: Client, service: Any, data: dict[str, str], kiosk: bool = False) -> Any:
    """POST the questionnaire as a browser does."""
    return client.post(form_url(service, kiosk), urlencode(data), content_type=FORM)


def fresh_form(client: Client, service: Any, kiosk: bool = False) -> dict[str, str]:
    page = client.get(form_url(service, kiosk))
    assert page.status_code == 200
    html = page.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token is not None
    data = {f"u{i}": str(1 + i % 4) for i in range(1, 10)}
    data.update({"token": token.group(1), "gender": "P", "age": "34", "suggestion": "<b>Bagus</b>"})
    if kiosk:
        data["kiosk"] = "1"
    return data


@pytest.fixture
def shared_device(settings: Any) -> None:
    """Many respondents on one device, each counted: no mark of the last answer (as a kiosk)."""
    settings.KINERJA_PUBLIC_ANSWERED_SECONDS = 0


def test_it_shows_a_light_accessible_form_without_login(client: Client, service: Any) -> None:
    page = client.get(form_url(service))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<fieldset") >= 9 and html.count("<legend") >= 9
    assert "Sangat sesuai" in html and "Dikelola dengan baik" in html and "Gratis" in html
    assert 'name="website"' in html and "csrfmiddlewaretoken" in html
    assert "<script" not in html and "kinerja.css" not in html
    for forbidden in ("nik", "phone", "telepon", "nama lengkap"):
        assert f'name="{forbidden}"' not in html
    css = (STATIC / "public.css").stat().st_size
    assert len(page.content) + css < 50 * 1024


def test_it_switches_to_english(client: Client, service: Any) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(form_url(service)).content.decode()
    assert "Very suitable" in html and "Bahasa Indonesia" in html


def test_it_stores_one_response_however_often_the_form_is_sent(
    client: Client, service: Any
) -> None:
    data = fresh_form(client, service)
    first = send(client, service, data)
    thanks = reverse("surveys_public:thanks", args=[service.slug])
    assert first.status_code == 302 and first["Location"] == thanks
    replay = send(client, service, data)
    assert replay.status_code == 302 and replay["Location"] == thanks
    assert Response.objects.count() == 1
    stored = Response.objects.get()
    assert stored.channel == "online" and stored.u1 == 2 and stored.u4 == 1
    assert stored.suggestion == "<b>Bagus</b>"
    assert "Terima kasih" in client.get(thanks).content.decode()
    # The next respondent on this device gets a new form, with a new token, and counts again.
    client.post(reverse("surveys_public:another", args=[service.slug]), "go=1", content_type=FORM)
    send(client, service, fresh_form(client, service))
    assert Response.objects.count() == 2


def test_it_refuses_a_forged_token_and_reshows_the_answers(client: Client, service: Any) -> None:
    data = fresh_form(client, service)
    data["token"] = "forged"
    page = send(client, service, data)
    assert page.status_code == 200
    assert Response.objects.count() == 0
    html = page.content.decode()
    assert 'value="2" required id="id_u1_1" checked' in html or "checked" in html
    # The re-shown form carries a fresh valid token: sending it again works.
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token and token.group(1) != "forged"
    data["token"] = token.group(1)
    assert send(client, service, data).status_code == 302
    assert Response.objects.count() == 1


def test_it_names_unanswered_questions(client: Client, service: Any) -> None:
    data = fresh_form(client, service)
    del data["u3"]
    page = send(client, service, data)
    assert page.status_code == 200
    assert "Silakan pilih salah satu jawaban." in page.content.decode()
    assert Response.objects.count() == 0


def test_it_pretends_to_accept_what_a_bot_sends(client: Client, service: Any) -> None:
    data = fresh_form(client, service)
    data["website"] = "http://spam.example"
    assert send(client, service, data).status_code == 302
    assert Response.objects.count() == 0


@pytest.mark.usefixtures("shared_device")
def test_it_refuses_the_21st_submission_in_a_minute_politely(client: Client, service: Any) -> None:
    for _ in range(ratelimit.LIMIT):
        assert send(client, service, fresh_form(client, service)).status_code == 302
    refused = send(client, service, fresh_form(client, service))
    assert refused.status_code == 429
    assert "Mohon tunggu sebentar" in refused.content.decode()
    assert Response.objects.count() == ratelimit.LIMIT
    # Another client is not affected.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert send(other, service, fresh_form(other, service)).status_code == 302


@pytest.mark.usefixtures("shared_device")
def test_it_forgets_submissions_older_than_a_minute(client: Client, service: Any) -> None:
    from kinerja.surveys.models import RateBucket

    for _ in range(ratelimit.LIMIT):
        send(client, service, fresh_form(client, service))
    bucket = RateBucket.objects.get()
    bucket.hits = [t - 61 for t in bucket.hits]
    bucket.save()
    assert send(client, service, fresh_form(client, service)).status_code == 302


@pytest.mark.usefixtures("shared_device")
def test_it_requires_a_valid_unused_receipt_code_when_asked(client: Client, service: Any) -> None:
    service.receipt_codes_required = True
    service.save()
    code = do_issue_receipt_codes(service, 1)[0].code
    data = fresh_form(client, service)
    data["receipt_code"] = "NOPE1234"
    page = send(client, service, data)
    assert page.status_code == 200 and Response.objects.count() == 0
    data["receipt_code"] = code.lower()
    assert send(client, service, data).status_code == 302
    assert send(client, service, data).status_code == 302  # replay: thanks again
    assert Response.objects.count() == 1
    again = fresh_form(client, service)
    again["receipt_code"] = code
    page = send(client, service, again)
    assert page.status_code == 200 and Response.objects.count() == 1
    assert "sudah digunakan" in page.content.decode()


def test_it_returns_to_a_fresh_form_in_kiosk_mode(client: Client, service: Any) -> None:
    data = fresh_form(client, service, kiosk=True)
    sent = send(client, service, data, kiosk=True)
    assert sent["Location"].endswith("?kiosk=1")
    thanks = client.get(sent["Location"]).content.decode()
    assert f'data-next-url="/s/{service.slug}/?kiosk=1"' in thanks
    assert Response.objects.get().channel == "kiosk"


def test_it_hides_inactive_services(client: Client, service: Any) -> None:
    service.active = False
    service.save()
    assert client.get(form_url(service)).status_code == 404


def test_every_visitor_gets_their_own_tokens_from_the_cached_blank_page(service: Any) -> None:
    sent = []
    for address in ("10.0.0.1", "10.0.0.2"):
        phone = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
        html = phone.get(form_url(service)).content.decode()
        assert "slot" not in html
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|token)" value="([^"]+)"', html))
        sent.append(fields)
        data = {f"u{i}": "3" for i in range(1, 10)} | fields
        # CSRF is enforced here, as in production: the cached page's token passes.
        assert send(phone, service, data).status_code == 302
    assert sent[0]["token"] != sent[1]["token"]
    assert sent[0]["csrfmiddlewaretoken"] != sent[1]["csrfmiddlewaretoken"]
    assert Response.objects.count() == 2


def test_the_next_request_sees_a_changed_service_unit_or_demo_flag(
    client: Client, service: Any
) -> None:
    from kinerja.lib.models import DemoMarker

    assert "Rekomendasi KTP-el/KK" in client.get(form_url(service)).content.decode()
    service.name = "Surat Pindah"
    service.save()
    service.unit.name = "Kedopok"
    service.unit.save()
    html = client.get(form_url(service)).content.decode()
    assert "Surat Pindah" in html and "Kedopok" in html and "DATA CONTOH" not in html
    DemoMarker.objects.create(description="DATA CONTOH")
    assert "DATA CONTOH" in client.get(form_url(service)).content.decode()
    # Other query strings are rendered in full; the language switch returns to them.
    assert "?ref=qr" in client.get(form_url(service) + "?ref=qr").content.decode()
    service.receipt_codes_required = True
    service.save()
    assert 'name="receipt_code"' in client.get(form_url(service)).content.decode()
    service.active = False
    service.save()
    assert client.get(form_url(service)).status_code == 404
