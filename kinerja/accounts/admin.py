from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import (
    ApiKey,
    EncryptedTOTPDevice,
    LoginBlock,
    LoginFailure,
    Membership,
    OrgUnit,
    RecoveryCodeDevice,
    TwoFactorExemption,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["unit"]


class ReadOnlyAdmin(admin.ModelAdmin[models.Model]):
    """Security records are written by the app, never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "ip"]
    search_fields = ["username", "ip"]


@admin.register(LoginBlock)
class LoginBlockAdmin(ReadOnlyAdmin):
    list_display = ["kind", "key", "until"]
    list_filter = ["kind"]


class DeviceAdmin(ReadOnlyAdmin):
    """Two-factor devices: seen here, removed only by the audited reset (the user's page)."""

    list_display = ["user", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]  # never the key

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.register(EncryptedTOTPDevice, DeviceAdmin)
admin.site.register(RecoveryCodeDevice, DeviceAdmin)


@admin.register(TwoFactorExemption)
class TwoFactorExemptionAdmin(admin.ModelAdmin[TwoFactorExemption]):
    list_display = ["user", "reason", "created_at"]
    autocomplete_fields = ["user"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    list_display = [
        "name",
        "user",
        "prefix",
        "can_write",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["can_write"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are made on the account security page, shown once to their owner
