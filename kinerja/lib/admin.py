from django.contrib import admin

from .models import DemoMarker


@admin.register(DemoMarker)
class DemoMarkerAdmin(admin.ModelAdmin[DemoMarker]):
    list_display = ["loaded_at", "description"]
