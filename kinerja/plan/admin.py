from django.contrib import admin

from .forms import IndicatorAdminForm, PlanAdminForm
from .models import Goal, Indicator, Objective, Plan, Target


class TargetInline(admin.TabularInline[Target, Indicator]):
    model = Target
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    form = PlanAdminForm
    list_display = ["code", "title", "unit", "start_year", "end_year"]
    search_fields = ["code", "title"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ["code", "name", "plan"]
    list_filter = ["plan"]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin[Objective]):
    list_display = ["code", "name", "goal"]
    list_filter = ["goal__plan"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    form = IndicatorAdminForm
    list_display = ["code", "name", "level", "iku", "unit", "polarity", "plan"]
    list_filter = ["plan", "level", "iku"]
    search_fields = ["code", "name"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin[Target]):
    list_display = ["indicator", "year", "quarter", "value", "low", "high"]
    list_filter = ["indicator__plan", "year"]
