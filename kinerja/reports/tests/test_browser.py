"""A citizen checks a PDF on an issued document's verification page from a phone."""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.reports.actions import do_issue_document

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("signed"),
]


def test_a_changed_pdf_does_not_match_on_the_phone(
    phone: Any, live_server: Any, uji: Any, staff: Any, settings: Any, tmp_path: Any
) -> None:
    settings.KINERJA_PUBLIC_URL = live_server.url
    document = do_issue_document(staff["head"], uji, "pk", 2022)
    with document.file.open("rb") as handle:
        content = bytearray(handle.read())
    original = tmp_path / "asli.pdf"
    original.write_bytes(bytes(content))
    content[len(content) // 2] ^= 1
    changed = tmp_path / "diubah.pdf"
    changed.write_bytes(bytes(content))

    phone.goto(f"{live_server.url}/v/{document.code}")
    assert document.number in phone.inner_text("h1")
    phone.set_input_files("#file", str(changed))
    phone.click("button[type=submit]")
    assert "tidak cocok" in phone.inner_text("#verdict")
    phone.set_input_files("#file", str(original))
    phone.click("button[type=submit]")
    verdict = phone.inner_text("#verdict")
    assert "cocok" in verdict and "tidak cocok" not in verdict
    phone.click("text=Semua dokumen unit ini")
    assert document.number in phone.inner_text("main")
