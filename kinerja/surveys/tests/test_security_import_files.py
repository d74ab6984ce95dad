"""Attack regressions: hostile survey files are refused with a message, nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.surveys.importing import import_bytes
from kinerja.surveys.models import Response
from kinerja.web.tests.hostile import zip_bomb_xlsx
from kinerja_core.errors import InputError

pytestmark = pytest.mark.django_db


def refusal(kec: Any, data: bytes, filename: str = "survei.csv") -> list[str]:
    with pytest.raises(InputError) as caught:
        import_bytes(kec, data, filename)
    assert Response.objects.count() == 0
    return [str(p) for p in caught.value.problems]


def test_it_refuses_a_survey_xlsx_zip_bomb(kec: Any, service: Any) -> None:
    (message,) = refusal(kec, zip_bomb_xlsx(3), "survei.xlsx")
    assert "bagian xl/sharedStrings.xml dari berkas XLSX" in message
