from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kinerja.accounts.admin import ReadOnlyAdmin

from .models import IssuedDocument, Signatory, SigningDate


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin[Signatory]):
    list_display = ("unit", "role", "name", "nip", "position", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("name", "nip", "unit__code")


@admin.register(SigningDate)
class SigningDateAdmin(admin.ModelAdmin[SigningDate]):
    list_display = ("unit", "kind", "year", "date", "place")
    list_filter = ("kind", "year")
    search_fields = ("unit__code",)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    """An issued file is frozen (docs/rules.md#issued-documents): shown, never edited or removed."""

    list_display = ["number", "title", "unit", "year", "version", "issued_by_name", "issued_at"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "code", "sha256", "unit__code"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
