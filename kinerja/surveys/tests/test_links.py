"""Public links people can read that point at the real site: KINERJA_PUBLIC_URL in QR codes,
posters and shown links; link codes made from the service name, editable by staff, old codes
redirecting; a taken or malformed code refused with a message naming it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.test import Client
from django.urls import reverse

from kinerja import settings as settings_module
from kinerja.accounts.models import OrgUnit
from kinerja.surveys import qr
from kinerja.surveys.actions import do_save_service
from kinerja.surveys.links import SlugRefused, slug_from_name
from kinerja.surveys.models import Response, Service, ServiceSlug
from kinerja.surveys.tests.test_public import FORM, fresh_form

pytestmark = pytest.mark.django_db

SITE = "https://skm.probolinggokota.go.id"


@pytest.fixture
def public_site(settings: Any) -> None:
    settings.KINERJA_PUBLIC_URL = SITE


def edit(client: Client, service: Service, **changes: str) -> Any:
    data = {"code": service.code, "name": service.name, "active": "on", "slug": service.slug}
    return client.post(reverse("surveys:service_edit", args=[service.pk]), {**data, **changes})


# -- the site's public address -------------------------------------------------------------


@pytest.mark.usefixtures("public_site")
def test_qr_codes_posters_and_shown_links_use_the_public_address(
    login: Any, officer: Any, service: Any
) -> None:
    client = login(officer)  # browsing from the test server's host, "testserver"
    url = f"{SITE}/s/{service.slug}/"
    qr_svg = client.get(reverse("surveys:service_qr", args=[service.pk, "svg"])).content.decode()
    assert qr_svg == qr.qr_svg(url)
    poster = client.get(reverse("surveys:service_poster", args=[service.pk])).content.decode()
    assert url in poster and qr.qr_svg(url, scale=10) in poster
    for name, args in [
        ("surveys:service_detail", [service.pk]),
        ("surveys:receipt_codes", [service.pk]),
        ("surveys:service_list", ["kec-wonoasih"]),
        ("surveys:staff_home", []),
    ]:
        html = client.get(reverse(name, args=args)).content.decode()
        assert url in re.sub(r"<[^>]+>", "", html), name  # a line may break after the host
        assert "testserver" not in html, name
    detail = client.get(reverse("surveys:service_detail", args=[service.pk])).content.decode()
    assert 'id="public-url-unset"' not in detail


def test_without_the_setting_links_use_the_host_and_the_page_says_so(
    login: Any, officer: Any, service: Any, settings: Any
) -> None:
    settings.KINERJA_PUBLIC_URL = ""
    html = login(officer).get(reverse("surveys:service_detail", args=[service.pk])).content
    page = html.decode()
    assert f"http://testserver/s/{service.slug}/" in page
    assert 'id="public-url-unset"' in page and "KINERJA_PUBLIC_URL" in page


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("https://skm.probolinggokota.go.id", "https://skm.probolinggokota.go.id"),
        ("https://SKM.Example.go.id/", "https://skm.example.go.id"),
        ("http://10.0.0.5:8000", "http://10.0.0.5:8000"),
    ],
)
def test_the_public_address_setting_is_read_as_an_origin(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    monkeypatch.setenv("KINERJA_PUBLIC_URL", value)
    assert settings_module.env_origin("KINERJA_PUBLIC_URL") == expected


@pytest.mark.parametrize(
    "value",
    ["skm.example.go.id", "ftp://skm.example.go.id", "https://x.go.id/kinerja", "https://x.go.id/?a=1",
     "https://user@x.go.id", "https://"],
)  # fmt: skip
def test_a_malformed_public_address_stops_the_start_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KINERJA_PUBLIC_URL", value)
    with pytest.raises(ImproperlyConfigured, match="KINERJA_PUBLIC_URL"):
        settings_module.env_origin("KINERJA_PUBLIC_URL")


# -- link codes from names -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Rekomendasi KTP/KK", "rekomendasi-ktp-kk"),
        ("Rekomendasi KTP-el/KK", "rekomendasi-ktp-el-kk"),
        ("  Surat Keterangan Tidak Mampu (SKTM) ", "surat-keterangan-tidak-mampu-sktm"),
        ("Légalisasi Dokumen", "legalisasi-dokumen"),
        ("Surat Keterangan Ahli Waris untuk Pencairan Dana Pensiun", "surat-keterangan-ahli-waris-untuk"),
    ],
)  # fmt: skip
def test_a_link_code_is_made_from_the_name(name: str, slug: str) -> None:
    assert slug_from_name(name) == slug
    assert len(slug_from_name(name)) <= 40


def test_a_name_without_letters_gets_a_random_code() -> None:
    assert re.fullmatch(r"[a-z0-9]{6}", slug_from_name("—/—"))


def test_a_new_service_gets_a_readable_free_code(kec: Any) -> None:
    first = do_save_service(kec, code="ktp", name="Rekomendasi KTP/KK")
    assert first.slug == "rekomendasi-ktp-kk"
    kel = OrgUnit.objects.get(code="kel-wonoasih")
    second = do_save_service(kel, code="ktp", name="Rekomendasi KTP/KK")
    assert second.slug == "rekomendasi-ktp-kk-2"
    # A code another service had before is not given out either.
    do_save_service(kec, code="ktp", name=first.name, service=first, slug="ktp-kk")
    third = do_save_service(kec, code="ktp3", name="Rekomendasi KTP/KK")
    assert third.slug == "rekomendasi-ktp-kk-3"


def test_the_public_form_answers_at_the_readable_link(client: Client, kec: Any) -> None:
    do_save_service(kec, code="ktp", name="Rekomendasi KTP/KK")
    page = client.get("/s/rekomendasi-ktp-kk/")
    assert page.status_code == 200 and "Rekomendasi KTP/KK" in page.content.decode()


def test_existing_random_codes_keep_working(client: Client, kec: Any) -> None:
    service = Service.objects.create(unit=kec, code="ktp", name="KTP", slug="ktp234")
    assert client.get("/s/ktp234/").status_code == 200
    do_save_service(kec, code="ktp", name="KTP baru", service=service)  # no code given: kept
    service.refresh_from_db()
    assert service.slug == "ktp234" and not ServiceSlug.objects.exists()


# -- changing a code -------------------------------------------------------------------------


def test_staff_change_the_code_and_the_old_link_redirects(
    login: Any, officer: Any, service: Any
) -> None:
    old = service.slug
    saved = edit(login(officer), service, slug="ktp-el")
    assert saved.status_code == 302
    assert saved["Location"] == reverse("surveys:service_detail", args=[service.pk])
    service.refresh_from_db()
    assert service.slug == "ktp-el"
    assert list(service.old_slugs.values_list("slug", flat=True)) == [old]
    citizen = Client()
    moved = citizen.get(f"/s/{old}/")
    assert moved.status_code == 301 and moved["Location"] == "/s/ktp-el/"
    assert citizen.get(f"/s/{old}/?kiosk=1")["Location"] == "/s/ktp-el/?kiosk=1"
    assert citizen.get(f"/s/{old}/terima-kasih/")["Location"] == "/s/ktp-el/terima-kasih/"
    assert citizen.get("/s/ktp-el/").status_code == 200
    # The service page lists the old link, still leading there.
    detail = login(officer).get(reverse("surveys:service_detail", args=[service.pk]))
    assert f"/s/{old}/" in detail.content.decode().split('id="old-links"')[1]


def test_a_form_opened_before_the_change_is_still_stored(
    client: Client, login: Any, officer: Any, service: Any
) -> None:
    old = service.slug
    data = fresh_form(client, service)
    edit(login(officer), service, slug="ktp-el")
    sent = client.post(f"/s/{old}/", urlencode(data), content_type=FORM)
    assert sent.status_code == 308 and sent["Location"] == "/s/ktp-el/"
    assert client.post(sent["Location"], urlencode(data), content_type=FORM).status_code == 302
    assert Response.objects.count() == 1


def test_a_code_changed_twice_leads_every_old_link_to_the_last(
    client: Client, kec: Any, service: Any
) -> None:
    first = service.slug
    do_save_service(kec, code="ktp", name=service.name, service=service, slug="ktp-a")
    do_save_service(kec, code="ktp", name=service.name, service=service, slug="ktp-b")
    assert client.get(f"/s/{first}/")["Location"] == "/s/ktp-b/"
    assert client.get("/s/ktp-a/")["Location"] == "/s/ktp-b/"
    # Taking back an old code of its own: that link is current again, the other one redirects.
    do_save_service(kec, code="ktp", name=service.name, service=service, slug=first)
    assert client.get(f"/s/{first}/").status_code == 200
    assert client.get("/s/ktp-b/")["Location"] == f"/s/{first}/"
    assert set(ServiceSlug.objects.values_list("slug", flat=True)) == {"ktp-a", "ktp-b"}


def test_an_unknown_code_is_still_a_404(client: Client, service: Any) -> None:
    assert client.get("/s/tidak-ada/").status_code == 404
    assert client.get("/s/tidak-ada/terima-kasih/").status_code == 404


def test_codes_are_lowercased(login: Any, officer: Any, service: Any) -> None:
    assert edit(login(officer), service, slug="  KTP-EL ").status_code == 302
    service.refresh_from_db()
    assert service.slug == "ktp-el"


# -- refused codes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["ktp baru", "ktp_el", "-ktp", "ktp-", "ktp--el", "k", "ktp/el", "ktp.el", "x" * 51]
)
def test_a_malformed_code_is_refused_naming_it(
    login: Any, officer: Any, service: Any, typed: str
) -> None:
    old = service.slug
    page = edit(login(officer), service, slug=typed)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Kode tautan “{typed.strip()}” tidak sah" in html
    service.refresh_from_db()
    assert service.slug == old and not ServiceSlug.objects.exists()


def test_a_code_of_another_service_is_refused_naming_it(
    login: Any, officer: Any, service: Any, kec: Any
) -> None:
    other = do_save_service(kec, code="kk", name="Kartu Keluarga")
    page = edit(login(officer), service, slug=other.slug)
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Kode tautan “{other.slug}” sudah dipakai layanan Kartu Keluarga" in html
    with pytest.raises(SlugRefused, match=other.slug):
        do_save_service(kec, code="baru", name="Baru", slug=other.slug)
    assert not Service.objects.filter(code="baru").exists()


def test_a_former_code_of_another_service_is_refused_naming_it(
    login: Any, officer: Any, service: Any, kec: Any
) -> None:
    other = do_save_service(kec, code="kk", name="Kartu Keluarga")
    before = other.slug
    do_save_service(kec, code="kk", name=other.name, service=other, slug="kk-baru")
    page = edit(login(officer), service, slug=before)
    html = page.content.decode()
    assert f"Kode tautan “{before}” pernah dipakai layanan Kartu Keluarga" in html
    assert Client().get(f"/s/{before}/")["Location"] == "/s/kk-baru/"


def test_an_outsider_cannot_change_a_code(people: Any, service: Any) -> None:
    old = service.slug
    with pytest.raises(PermissionDenied):
        do_save_service(
            service.unit,
            code=service.code,
            name=service.name,
            service=service,
            slug="diambil",
            user=people["outsider"],
        )
    service.refresh_from_db()
    assert service.slug == old and not ServiceSlug.objects.exists()
