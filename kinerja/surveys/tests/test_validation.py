"""A survey file holds the same responses paper entry accepts: the same rules per answer.

Each case types a paper form and imports a file row with the same answers; both must accept it
or both refuse it on the same field (kinerja/surveys/validation.py holds what they share).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from kinerja.lib import coremessages
from kinerja.surveys import validation
from kinerja.surveys.forms import AnswerForm
from kinerja.surveys.importing import import_bytes
from kinerja.surveys.models import Response
from kinerja_core.errors import InputError
from kinerja_core.survey_csv import MAX_AGE, MIN_AGE

from .conftest import HEADER

pytestmark = pytest.mark.django_db


def paper_errors(client: Any, service: Any, answers: dict[str, str]) -> dict[str, list[str]]:
    url = reverse("surveys:paper_entry", args=[service.pk])
    token = re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode())
    data = {f"u{i}": "3" for i in range(1, 10)}
    data.update({"token": token.group(1), "submitted_on": "2024-05-02", "session": "morning"})  # type: ignore[union-attr]
    data.update(answers)
    page = client.post(url, data)
    return {} if page.status_code == 302 else dict(page.context["form"].errors)


def import_problems(kec: Any, answers: dict[str, str]) -> list[str]:
    row = {"age": "", "suggestion": "", **answers}
    line = f'2024-05-02,ktp,L,{row["age"]},SMA,Swasta,3,3,3,3,3,3,3,3,3,"{row["suggestion"]}"'
    try:
        import_bytes(kec, f"{HEADER}\n{line}\n".encode(), "survei.csv")
    except InputError as exc:
        return coremessages.problem_texts(exc.problems)
    return []


@pytest.mark.parametrize(
    ("field", "value", "refused"),
    [
        ("suggestion", "s" * validation.SUGGESTION_MAX_CHARS, False),
        ("suggestion", "s" * (validation.SUGGESTION_MAX_CHARS + 1), True),
        ("age", str(MAX_AGE), False),
        ("age", str(MAX_AGE + 1), True),
        ("age", str(MIN_AGE - 1), True),
    ],
)
def test_paper_entry_and_a_file_accept_and_refuse_the_same_answers(
    login: Any, officer: Any, service: Any, kec: Any, field: str, value: str, refused: bool
) -> None:
    with translation.override("id"):
        on_paper = paper_errors(login(officer), service, {field: value})
        in_file = import_problems(kec, {field: value})
    assert bool(on_paper) == bool(in_file) == refused
    assert set(on_paper) <= {field}
    assert all(p.startswith(f"baris 2, kolom {field}: ") for p in in_file)
    assert Response.objects.count() == (0 if refused else 2)


def test_the_forms_take_their_limits_from_the_shared_rules() -> None:
    suggestion = AnswerForm.base_fields["suggestion"]
    age = AnswerForm.base_fields["age"]
    assert suggestion.max_length == validation.SUGGESTION_MAX_CHARS  # type: ignore[attr-defined]
    assert (age.min_value, age.max_value) == (MIN_AGE, MAX_AGE)  # type: ignore[attr-defined]
    assert validation.reader_limits()["suggestion_max_chars"] == validation.SUGGESTION_MAX_CHARS
