"""Forms: the public questionnaire, paper-form entry, services, receipt codes, follow-up,
published IKM values."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, TypeVar, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kinerja.lib.evidence import evidence_type
from kinerja.lib.input_checks import CheckedText, check_day
from kinerja_core.errors import CoreError
from kinerja_core.ikm import EDUCATION_LEVELS, ELEMENTS_2017, METHODS, OCCUPATIONS
from kinerja_core.numbers import parse_decimal
from kinerja_core.survey_csv import MAX_AGE, MIN_AGE, ElementOrder

from .actions import Answer
from .models import SLUG_MAX_LENGTH, FollowUp, Response, Service
from .published import FIRST_YEAR, GRADES, check_published
from .validation import SUGGESTION_MAX_CHARS

# The questions citizens read, keyed by element code (docs/rules.md#ikm-elements); the answer
# labels are the regulation's (kinerja_core.ikm), translated through this app's catalogue.
QUESTIONS: dict[str, Any] = {
    "U1": _("How well do the requirements match the service you received?"),
    "U2": _("How easy is the service procedure?"),
    "U3": _("How fast was the service completed?"),
    "U4": _("How do you rate the cost of the service?"),
    "U5": _("How well does the result match the service standard?"),
    "U6": _("How competent were the officers?"),
    "U7": _("How polite and friendly were the officers?"),
    "U8": _("How are complaints, suggestions and feedback handled?"),
    "U9": _("How good are the facilities?"),
}
ELEMENT_NAMES: dict[str, Any] = {
    "U1": _("Requirements"),
    "U2": _("Systems, mechanisms and procedures"),
    "U3": _("Completion time"),
    "U4": _("Cost/tariff"),
    "U5": _("Product specification of the service"),
    "U6": _("Staff competence"),
    "U7": _("Staff behaviour"),
    "U8": _("Handling of complaints, suggestions and feedback"),
    "U9": _("Facilities and infrastructure"),
}
# A context keeps short answer words ("None", "Good", "Free") apart from the same words
# elsewhere in the project's catalogues.
ANSWER_LABELS: dict[str, tuple[Any, Any, Any, Any]] = {
    "U1": (
        pgettext_lazy("survey answer", "Not suitable"),
        pgettext_lazy("survey answer", "Less suitable"),
        pgettext_lazy("survey answer", "Suitable"),
        pgettext_lazy("survey answer", "Very suitable"),
    ),
    "U2": (
        pgettext_lazy("survey answer", "Not easy"),
        pgettext_lazy("survey answer", "Less easy"),
        pgettext_lazy("survey answer", "Easy"),
        pgettext_lazy("survey answer", "Very easy"),
    ),
    "U3": (
        pgettext_lazy("survey answer", "Not fast"),
        pgettext_lazy("survey answer", "Less fast"),
        pgettext_lazy("survey answer", "Fast"),
        pgettext_lazy("survey answer", "Very fast"),
    ),
    "U4": (
        pgettext_lazy("survey answer", "Very expensive"),
        pgettext_lazy("survey answer", "Rather expensive"),
        pgettext_lazy("survey answer", "Cheap"),
        pgettext_lazy("survey answer", "Free"),
    ),
    "U5": (
        pgettext_lazy("survey answer", "Not suitable"),
        pgettext_lazy("survey answer", "Less suitable"),
        pgettext_lazy("survey answer", "Suitable"),
        pgettext_lazy("survey answer", "Very suitable"),
    ),
    "U6": (
        pgettext_lazy("survey answer", "Not competent"),
        pgettext_lazy("survey answer", "Less competent"),
        pgettext_lazy("survey answer", "Competent"),
        pgettext_lazy("survey answer", "Very competent"),
    ),
    "U7": (
        pgettext_lazy("survey answer", "Not polite and friendly"),
        pgettext_lazy("survey answer", "Less polite and friendly"),
        pgettext_lazy("survey answer", "Polite and friendly"),
        pgettext_lazy("survey answer", "Very polite and friendly"),
    ),
    "U8": (
        pgettext_lazy("survey answer", "None"),
        pgettext_lazy("survey answer", "Exists but does not work"),
        pgettext_lazy("survey answer", "Works, not optimally"),
        pgettext_lazy("survey answer", "Well managed"),
    ),
    "U9": (
        pgettext_lazy("survey answer", "Poor"),
        pgettext_lazy("survey answer", "Fair"),
        pgettext_lazy("survey answer", "Good"),
        pgettext_lazy("survey answer", "Very good"),
    ),
}
assert set(QUESTIONS) == {e.code for e in ELEMENTS_2017}

GENDER_CHOICES = [("L", _("Male (L)")), ("P", _("Female (P)"))]
EDUCATION_CHOICES = [("", "–"), *((e, e) for e in EDUCATION_LEVELS)]
OCCUPATION_LABELS: dict[str, Any] = {
    "PNS": _("Civil servant (PNS)"),
    "TNI": "TNI",
    "POLRI": "POLRI",
    "Swasta": _("Private employee"),
    "Wirausaha": _("Self-employed"),
    "Pelajar/Mahasiswa": _("Student"),
    "Lainnya": _("Other"),
}
OCCUPATION_CHOICES = [("", "–"), *((o, OCCUPATION_LABELS[o]) for o in OCCUPATIONS)]


FieldT = TypeVar("FieldT", bound=forms.Field)


def shared(field: FieldT) -> FieldT:
    """A field every form instance uses as it is, instead of a deep copy of its own.

    Django copies each field (widget and choices included) for every form it builds; the
    public form is built on every visit and nothing changes these fields per form, so the
    copies were a large part of a visit's cost. (``copy.deepcopy`` looks ``__deepcopy__``
    up on the object itself.)
    """
    field.__deepcopy__ = lambda memo: field  # type: ignore[method-assign]  # the patch itself
    return field


class TextAreaField(forms.CharField):
    """Text from a textarea, its line breaks counted as the browser counted them.

    A browser counts a line break as one character against ``maxlength`` but sends it as CR LF,
    so a suggestion the browser let through would be too long here: line breaks become LF
    before the length is checked (and are stored so).
    """

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return super().to_python(value)


def score_field(code: str) -> forms.TypedChoiceField:
    return shared(
        forms.TypedChoiceField(
            label=QUESTIONS[code],
            choices=[(str(i + 1), label) for i, label in enumerate(ANSWER_LABELS[code])],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": _("Please choose an answer.")},
        )
    )


class AnswerForm(forms.Form):
    """The nine elements, the respondent profile (no name, NIK or phone), a suggestion
    (docs/rules.md#ikm-respondent-profile)."""

    u1 = score_field("U1")
    u2 = score_field("U2")
    u3 = score_field("U3")
    u4 = score_field("U4")
    u5 = score_field("U5")
    u6 = score_field("U6")
    u7 = score_field("U7")
    u8 = score_field("U8")
    u9 = score_field("U9")
    gender = shared(
        forms.ChoiceField(
            label=_("Gender"), choices=GENDER_CHOICES, widget=forms.RadioSelect, required=False
        )
    )
    age = shared(
        forms.IntegerField(
            label=_("Age (years)"), min_value=MIN_AGE, max_value=MAX_AGE, required=False
        )
    )
    education = shared(
        forms.ChoiceField(label=_("Last education"), choices=EDUCATION_CHOICES, required=False)
    )
    occupation = shared(
        forms.ChoiceField(label=_("Occupation"), choices=OCCUPATION_CHOICES, required=False)
    )
    suggestion = shared(
        TextAreaField(
            label=_("Suggestions for improvement (optional)"),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=SUGGESTION_MAX_CHARS,
            required=False,
            strip=False,
        )
    )

    def score_fields(self) -> list[Any]:
        return [self[f"u{i}"] for i in range(1, 10)]

    def score_rows(self) -> list[tuple[str, Any, Any]]:
        """(code, short element name, field): the compact rows of paper-form entry."""
        return [(f"U{i}", ELEMENT_NAMES[f"U{i}"], self[f"u{i}"]) for i in range(1, 10)]

    def answer(self) -> Answer:
        data = self.cleaned_data
        return Answer(
            scores={f"U{i}": data[f"u{i}"] for i in range(1, 10)},
            gender=data.get("gender") or "",
            age=data.get("age"),
            education=data.get("education") or "",
            occupation=data.get("occupation") or "",
            suggestion=(data.get("suggestion") or "").strip(),
        )


class PublicForm(AnswerForm):
    token = shared(
        forms.CharField(
            widget=forms.HiddenInput,
            error_messages={
                "required": _("This form has expired. Please check your answers and send it again.")
            },
        )
    )
    # Honeypot: hidden from people by CSS and aria; bots that fill every field reveal themselves.
    website = shared(forms.CharField(required=False, label=_("Leave this field empty")))
    # Not shared: made required per service below.
    receipt_code = forms.CharField(
        label=_("Survey code from your receipt"), max_length=20, required=False
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        if service.receipt_codes_required:
            self.fields["receipt_code"].required = True
        else:
            del self.fields["receipt_code"]


class PaperFields(CheckedText, AnswerForm):
    """A paper form as typed in: the date and session written on it plus the answers."""

    submitted_on = forms.DateField(
        label=_("Date on the form"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        validators=[check_day],
    )
    session = forms.ChoiceField(
        label=_("Session"),
        choices=[("morning", _("morning")), ("afternoon", _("afternoon"))],
        initial="morning",
    )


class PaperForm(PaperFields):
    """One paper form typed in; the one-time token makes Enter pressed twice store one form."""

    token = forms.CharField(widget=forms.HiddenInput)


class PaperCorrectionForm(PaperFields):
    """A stored paper form corrected, with why (kept in its history)."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=100,  # the history's reason column
        required=False,
        help_text=_("For example: U3 typed wrongly. Kept in the record's history."),
    )

    @classmethod
    def initial_of(cls, response: Response) -> dict[str, Any]:
        """The form filled with a stored response, its date and session as on the paper."""
        local = timezone.localtime(response.submitted_at)
        return {
            **{f"u{i}": getattr(response, f"u{i}") for i in range(1, 10)},
            "gender": response.gender,
            "age": response.age,
            "education": response.education,
            "occupation": response.occupation,
            "suggestion": response.suggestion,
            "submitted_on": local.date(),
            "session": response.session or "morning",
        }


# A whole number of users, plain or grouped in thousands with dots or commas (1200, 1.200,
# 1,200 or 12.500.000); a decimal ("1,5") is refused rather than read as 15.
USERS = re.compile(r"\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+")


class ServiceForm(forms.ModelForm[Service]):
    # Not the model's field: the action checks a code (and names it when refused), and an empty
    # one makes a code from the name.
    slug = forms.CharField(
        label=_("Public link code"),
        required=False,
        # Longer than a code may be, so that the action refuses a long one naming it.
        max_length=4 * SLUG_MAX_LENGTH,
        help_text=_(
            "The end of the public link, e.g. rekomendasi-ktp-kk. Leave it empty for a new "
            "service: it is made from the name. When you change it, the old link keeps working."
        ),
    )
    yearly_users = forms.CharField(
        label=_("Service users per year"),
        required=False,
        help_text=_("One year per line, e.g. 2024: 1.200"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    # The model's fields without the link code: the form must not put a new code on the
    # service before the action has kept the old one.
    class Meta:
        model = Service
        fields = ["code", "name", "active", "receipt_codes_required"]

    field_order = ["code", "name", "slug", "active", "receipt_codes_required", "yearly_users"]

    def clean_yearly_users(self) -> dict[int, int]:
        result: dict[int, int] = {}
        for number, line in enumerate(self.cleaned_data["yearly_users"].splitlines(), start=1):
            if not line.strip():
                continue
            year, sep, users = (part.strip() for part in line.partition(":"))
            if not sep or not year.isdigit() or not USERS.fullmatch(users):
                raise forms.ValidationError(
                    _("Line %(n)s: write YEAR: USERS, e.g. 2024: 1.200") % {"n": number}
                )
            result[int(year)] = int(users.replace(".", "").replace(",", ""))
        return result


class ReceiptCodesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=1000, initial=50)


class FollowUpForm(forms.ModelForm[FollowUp]):
    class Meta:
        model = FollowUp
        fields = ["element", "action", "owner", "deadline", "status"]
        widgets = {
            "deadline": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "action": forms.Textarea(attrs={"rows": 2}),
        }


# How the file numbers its element columns (docs/rules.md#survey-csv-element-order): asked on
# every upload, never guessed. "named" reads only headers that name the elements.
NAMED = "named"
ELEMENT_ORDER_CHOICES = [
    (
        NAMED,
        _(
            "The header names the elements (e.g. “U8 Penanganan Pengaduan, Saran dan Masukan”), "
            "as the template and exports do"
        ),
    ),
    (
        "regulation",
        _(
            "Bare U1…U9 in the regulation's order: U8 = Penanganan Pengaduan, Saran dan Masukan; "
            "U9 = Sarana dan Prasarana"
        ),
    ),
    (
        "questionnaire",
        _(
            "Bare U1…U9 in the sample questionnaire's order: U8 = Sarana dan Prasarana; "
            "U9 = Penanganan Pengaduan, Saran dan Masukan"
        ),
    ),
]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    element_order = forms.ChoiceField(
        label=_("Element columns"),
        choices=ELEMENT_ORDER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the file names its element columns.")},
    )

    def order(self) -> ElementOrder | None:
        """The element order to read bare codes in; None: the header must name the elements."""
        chosen: str = self.cleaned_data["element_order"]
        return None if chosen == NAMED else cast(ElementOrder, chosen)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.KINERJA_IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload


def too_large_message() -> str:
    limit = settings.KINERJA_IMPORT_MAX_UPLOAD_BYTES / (1024 * 1024)
    return _("The file is larger than %(limit)s MB; split it into smaller files.") % {
        "limit": f"{limit:g}"
    }


class PublishedIkmForm(CheckedText, forms.Form):
    """The IKM a unit published for a year, as printed in its report, with the report."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)
    value = forms.CharField(
        label=_("Published IKM"), max_length=10, help_text=_("As printed, for example 74,67")
    )
    grade = forms.ChoiceField(label=_("Grade (mutu pelayanan)"), choices=[(g, g) for g in GRADES])
    method = forms.ChoiceField(
        label=_("Method the report used"),
        choices=[(name, method.label) for name, method in METHODS.items()],
        help_text=_("Reports under KepMenPAN 25/2004 mostly multiplied by the weight 0,071."),
    )
    document_title = forms.CharField(label=_("Title of the published document"), max_length=300)
    document_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    evidence = forms.FileField(
        label=_("Published document (PDF, JPEG or PNG, up to 5 MB)"),
        required=False,
        help_text=_("Needed for a new year; leave empty to keep the stored document."),
    )

    def clean_value(self) -> Decimal:
        try:
            return parse_decimal(self.cleaned_data["value"])
        except CoreError as exc:
            raise forms.ValidationError(
                _("Not a number: %(value)s") % {"value": self.cleaned_data["value"]}
            ) from exc

    def clean_evidence(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("evidence")
        if upload:
            evidence_type(upload, upload.size)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wanted = ("year", "value", "grade", "method")
        if all(name in cleaned for name in wanted):
            try:
                check_published(*(cleaned[name] for name in wanted))
            except ValidationError as exc:
                for name, problems in exc.message_dict.items():
                    self.add_error(name, problems)
        return cleaned


class PublishedDecisionForm(CheckedText, forms.Form):
    """Which figure is the year's IKM: the answers or the published value, and why."""

    use = forms.ChoiceField(
        choices=[("answers", _("the answers")), ("published", _("the published value"))]
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
