from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    DailyTally,
    FollowUp,
    ImportBatch,
    RateBucket,
    ReceiptCode,
    Response,
    Service,
    ServiceVolume,
)


class ServiceVolumeInline(admin.TabularInline[ServiceVolume, Service]):
    model = ServiceVolume
    extra = 1


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ["name", "code", "unit", "slug", "active", "receipt_codes_required"]
    list_filter = ["active", "unit"]
    search_fields = ["name", "code", "slug"]
    inlines = [ServiceVolumeInline]


@admin.register(ServiceVolume)
class ServiceVolumeAdmin(admin.ModelAdmin[ServiceVolume]):
    list_display = ["service", "year", "users"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin[Response]):
    # Read-only: a change here would bypass the rollup; staff delete through the app's action.
    list_display = ["submitted_at", "service", "channel", "unit"]
    list_filter = ["channel", "unit"]
    date_hierarchy = "submitted_at"
    list_select_related = ["service", "unit"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(DailyTally)
class DailyTallyAdmin(ResponseAdmin):
    list_display = ["day", "service", "unit", "respondents"]
    list_filter = ["unit"]
    date_hierarchy = "day"


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = ["filename", "unit", "created_at", "state", "rows", "inserted"]

    def has_delete_permission(self, request: HttpRequest, obj: ImportBatch | None = None) -> bool:
        # Deleting a batch unlinks its rows (SET_NULL), which would show the rows of one not
        # yet committed; abandoned batches go with ``kinerja survey clean-imports``.
        return obj is not None and obj.state == ImportBatch.State.COMMITTED


@admin.register(ReceiptCode)
class ReceiptCodeAdmin(admin.ModelAdmin[ReceiptCode]):
    list_display = ["code", "service", "created_at", "used_at"]
    search_fields = ["code"]


@admin.register(RateBucket)
class RateBucketAdmin(admin.ModelAdmin[RateBucket]):
    list_display = ["key", "updated_at"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin[FollowUp]):
    list_display = ["unit", "period", "element", "owner", "deadline", "status"]
    list_filter = ["status", "period"]
