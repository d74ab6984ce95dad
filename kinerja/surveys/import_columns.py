"""The columns of a survey import file, explained on the import page and filled in its template
(docs/rules.md#survey-csv)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kinerja.lib.importhelp import Column
from kinerja_core.ikm import EDUCATION_LEVELS, ELEMENTS_2017, GENDERS, OCCUPATIONS
from kinerja_core.survey_csv import MAX_AGE, MIN_AGE, element_header

from .validation import SUGGESTION_MAX_CHARS

# The example row's answers, one per element in the regulation's order.
EXAMPLE_SCORES = ("4", "3", "3", "4", "3", "4", "4", "3", "3")


def columns(service_code: str) -> list[Column]:
    """The file's columns, with ``service_code`` (one of the unit's services) as the example."""
    profile = [
        Column(
            "submitted_at",
            _("When the form was filled in (office time when no zone is given)"),
            _("a date YYYY-MM-DD, or a date and time YYYY-MM-DD HH:MM"),
            "2025-06-30 09:30",
            required=True,
        ),
        Column(
            "service",
            _("The service the respondent used"),
            _("the code or name of one of this unit's services; may be empty when it has one"),
            service_code,
        ),
        Column(
            "gender", _("Gender"), _("%(choices)s or empty") % {"choices": "/".join(GENDERS)}, "P"
        ),
        Column(
            "age",
            _("Age in years"),
            _("a whole number %(low)s–%(high)s, or empty") % {"low": MIN_AGE, "high": MAX_AGE},
            "34",
        ),
        Column(
            "education",
            _("Last education"),
            _("%(choices)s or empty") % {"choices": ", ".join(EDUCATION_LEVELS)},
            "SMA",
        ),
        Column(
            "occupation",
            _("Occupation"),
            _("%(choices)s or empty") % {"choices": ", ".join(OCCUPATIONS)},
            "Swasta",
        ),
    ]
    elements = [
        Column(
            name,
            _("Answer for the element %(name)s") % {"name": element.name},
            ", ".join(f"{score} = {label}" for score, label in enumerate(element.labels, 1)),
            score,
            required=True,
        )
        for name, element, score in zip(
            element_header(), ELEMENTS_2017, EXAMPLE_SCORES, strict=True
        )
    ]
    suggestion = Column(
        "suggestion",
        _("The respondent's suggestion"),
        _("free text of at most %(n)s characters, may be empty")
        % {"n": number_format(SUGGESTION_MAX_CHARS, force_grouping=True)},
        "Antrean lebih tertib",
    )
    return [*profile, *elements, suggestion]
