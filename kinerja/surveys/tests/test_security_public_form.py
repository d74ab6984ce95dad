"""Attack regressions on the public questionnaire's POST: line breaks, errors shown, file uploads,
oversized and non-UTF-8 bodies."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve

from kinerja.surveys.models import Response
from kinerja.surveys.publicpost import PublicPostGuard

from .test_public import FORM, form_url, fresh_form, send

pytestmark = pytest.mark.django_db


def test_it_counts_a_line_break_as_one_character_as_the_browser_does(
    client: Client, service: Any
) -> None:
    # 1 980 letters and 20 line breaks: 2 000 characters in the browser's textarea, which
    # sends each line break as CR LF (2 020 characters on the wire).
    suggestion = ("a" * 99 + "\r\n") * 20
    data = fresh_form(client, service) | {"suggestion": suggestion}
    assert send(client, service, data).status_code == 302
    stored = Response.objects.get().suggestion
    assert "\r" not in stored and len(stored) == 1999  # the last line break is stripped


def test_it_says_why_a_suggestion_is_refused(client: Client, service: Any) -> None:
    data = fresh_form(client, service) | {"suggestion": "b" * 2001}
    page = send(client, service, data)
    assert page.status_code == 200 and Response.objects.count() == 0
    assert "paling banyak 2000 karakter" in page.content.decode()


def test_it_shows_the_errors_of_every_field(client: Client, service: Any) -> None:
    data = fresh_form(client, service) | {
        "gender": "X",
        "education": "Doktor Honoris",
        "occupation": "Astronot",
    }
    page = send(client, service, data).content.decode()
    assert page.count("bukan salah satu dari pilihan yang tersedia") == 3
    del data["token"]
    page = send(client, service, data).content.decode()
    assert "Formulir ini sudah kedaluwarsa" in page
    assert Response.objects.count() == 0


def test_it_refuses_a_file_upload_with_the_form(client: Client, service: Any) -> None:
    data: dict[str, Any] = fresh_form(client, service)
    data["photo"] = io.BytesIO(b"x" * 50_000)
    refused = client.post(form_url(service), data)  # multipart/form-data
    assert refused.status_code == 400
    assert "tanpa berkas" in refused.content.decode()
    assert Response.objects.count() == 0


def test_it_refuses_before_reading_the_body(service: Any) -> None:
    """The guard decides from the headers: an oversized or multipart body is never read."""

    class Untouchable(io.RawIOBase):
        def read(self, *args: Any) -> bytes:
            raise AssertionError("the body was read")

    url = form_url(service)
    guard = PublicPostGuard(lambda request: HttpResponse())
    for content_type, length in (("multipart/form-data; boundary=x", 100), (FORM, 10**8)):
        request = RequestFactory().post(url, b"", content_type=content_type)
        request.META["CONTENT_LENGTH"] = str(length)
        request._stream = Untouchable()  # type: ignore[assignment]  # a stream that must not be read
        refused = guard.process_view(request, resolve(url).func, (), {"slug": service.slug})
        assert refused is not None and refused.status_code in (400, 413)


def test_it_refuses_a_body_over_the_named_limit(
    client: Client, service: Any, settings: Any
) -> None:
    settings.KINERJA_PUBLIC_POST_MAX_BYTES = 2000
    data = fresh_form(client, service) | {"suggestion": "c" * 1900}
    refused = send(client, service, data)
    assert refused.status_code == 413 and "terlalu besar" in refused.content.decode()
    data["suggestion"] = "c" * 100
    assert send(client, service, data).status_code == 302


def test_it_refuses_a_body_that_is_not_utf8(client: Client, service: Any) -> None:
    data = fresh_form(client, service)
    for tail in ("&suggestion=Caf%E9+enak", "&suggestion=%FF%FE"):
        body = urlencode(data) + tail
        refused = client.post(form_url(service), body, content_type=FORM)
        assert refused.status_code == 400, tail
        assert "Formulir harus dikirim sebagai teks UTF-8" in refused.content.decode()
    raw = urlencode(data).encode() + b"&suggestion=Caf\xe9"
    assert client.post(form_url(service), raw, content_type=FORM).status_code == 400
    latin = client.post(
        form_url(service), urlencode(data), content_type=f"{FORM}; charset=iso-8859-1"
    )
    assert latin.status_code == 400
    assert Response.objects.count() == 0
    # Real UTF-8 passes, and is stored as written.
    body = urlencode(data | {"suggestion": "Pelayanan ramah 👍 — terima kasih"})
    assert client.post(form_url(service), body, content_type=FORM).status_code == 302
    assert Response.objects.get().suggestion == "Pelayanan ramah 👍 — terima kasih"
