from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .limits import file_size_problem


class PlanUploadForm(forms.Form):
    file = forms.FileField(label=_("Plan file (YAML)"))
    store = forms.BooleanField(label=_("Store the plan when it has no errors"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            too_large = file_size_problem(upload.size)
            if too_large:  # before the file is read
                raise forms.ValidationError(too_large)
            try:
                data["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        return data
