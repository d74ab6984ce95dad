from django.urls import path, re_path

from . import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("units", views.units, name="units"),
    path("units/<slug:code>/ikm", views.ikm, name="unit_ikm"),
    path("units/<slug:code>/groups", views.groups, name="unit_groups"),
    path("plans", views.plans, name="plans"),
    path("plans/<slug:code>", views.plan_detail, name="plan"),
    path("plans/<slug:code>/indicators", views.indicators, name="plan_indicators"),
    path("plans/<slug:code>/results", views.results, name="plan_results"),
    path(
        "plans/<slug:code>/indicators/<str:indicator>/series",
        views.indicator_series,
        name="plan_indicator_series",
    ),
    path("plans/<slug:code>/manual-values", views.manual_values, name="plan_manual_values"),
    path("services/<slug:slug>/responses", views.submit_response, name="service_responses"),
    path("activities", views.create_activity, name="activities"),
    # Anything else under /api/v1/ answers with a JSON 404, not the site's HTML page.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
