from __future__ import annotations

from django.contrib import admin

from .models import ManualValue, PendingChange, Result, ResultChange, YearApproval, YearLock


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin[Result]):
    list_display = ("indicator", "unit", "period_key", "realisation", "achievement", "status")
    list_filter = ("plan", "period_kind", "year", "status")
    search_fields = ("indicator__code", "unit__code")
    readonly_fields = ("computed_at",)


@admin.register(ManualValue)
class ManualValueAdmin(admin.ModelAdmin[ManualValue]):
    list_display = ("name", "unit", "period_key", "value", "entered_by", "entered_at")
    list_filter = ("plan", "name", "year")


@admin.register(YearLock)
class YearLockAdmin(admin.ModelAdmin[YearLock]):
    list_display = ("plan", "year", "locked_by", "locked_at")


@admin.register(YearApproval)
class YearApprovalAdmin(admin.ModelAdmin[YearApproval]):
    list_display = ("plan", "year", "status", "submitted_by", "decided_by", "decided_at")
    list_filter = ("plan", "status")


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin[PendingChange]):
    list_display = ("indicator", "unit", "period_key", "detected_at")
    list_filter = ("plan", "year")


@admin.register(ResultChange)
class ResultChangeAdmin(admin.ModelAdmin[ResultChange]):
    list_display = ("indicator", "unit", "period_key", "changed_by", "changed_at", "reason")
    list_filter = ("plan", "year")
