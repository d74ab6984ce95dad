from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest

from kinerja.accounts.admin import ReadOnlyAdmin

from .models import AuditEntry, AuditHead


class AppendOnlyAdmin(ReadOnlyAdmin):
    """The audit trail is only ever appended to by the application."""

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(AppendOnlyAdmin):
    list_display = ["seq", "at", "actor_name", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["actor_name", "object_repr", "object_id"]


@admin.register(AuditHead)
class AuditHeadAdmin(AppendOnlyAdmin):
    list_display = ["seq", "hash"]


# Every historical model (one per tracked model) is browsable, read-only.
for model in apps.get_app_config("audit").get_models():
    if model.__name__.startswith("Historical"):
        admin.site.register(
            model,
            type(
                f"{model.__name__}Admin",
                (AppendOnlyAdmin,),
                {"list_display": ["history_date", "history_type", "history_user", "__str__"]},
            ),
        )
