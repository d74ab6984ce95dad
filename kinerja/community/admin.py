from django.contrib import admin

from .models import Activity, ActivityGroup, Evidence, Group, GroupKind


@admin.register(GroupKind)
class GroupKindAdmin(admin.ModelAdmin[GroupKind]):
    list_display = ["name", "code", "is_institution", "city", "order"]
    list_filter = ["is_institution", "city"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin[Group]):
    list_display = ["code", "name", "kind", "kelurahan", "established", "dissolved"]
    list_filter = ["kind", "kelurahan"]
    search_fields = ["code", "name", "chair"]
    date_hierarchy = "established"


class ActivityGroupInline(admin.TabularInline[ActivityGroup, Activity]):
    model = ActivityGroup
    raw_id_fields = ["group"]
    extra = 0


class EvidenceInline(admin.TabularInline[Evidence, Activity]):
    model = Evidence
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin[Activity]):
    list_display = ["date", "type", "title"]
    list_filter = ["type"]
    search_fields = ["title"]
    date_hierarchy = "date"
    inlines = [ActivityGroupInline, EvidenceInline]


@admin.register(ActivityGroup)
class ActivityGroupAdmin(admin.ModelAdmin[ActivityGroup]):
    list_display = ["activity", "group"]
    raw_id_fields = ["activity", "group"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin[Evidence]):
    list_display = ["original_name", "activity", "content_type", "size", "uploaded_at"]
