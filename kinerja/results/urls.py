from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("<int:pk>/", views.result_detail, name="detail"),
    path("dasbor/status/", views.live_status, name="live"),
    path("rencana/<slug:code>/hitung-ulang/", views.recompute, name="recompute"),
    path("rencana/<slug:code>/nilai-manual/", views.manual_values, name="manual"),
    path("nilai-manual/<int:pk>/bukti/", views.evidence, name="evidence"),
    path("rencana/<slug:code>/triwulan/", views.quarterly, name="quarterly"),
    path("rencana/<slug:code>/kunci/", views.locks, name="locks"),
    path("rencana/<slug:code>/kunci/<int:year>/", views.lock_year, name="lock_year"),
    path("rencana/<slug:code>/kunci/<int:year>/terapkan/", views.apply_pending, name="apply"),
    path(
        "rencana/<slug:code>/kunci/<int:year>/ajukan/",
        views.approval_step,
        {"step": "submit"},
        name="submit_year",
    ),
    path(
        "rencana/<slug:code>/kunci/<int:year>/setujui/",
        views.approval_step,
        {"step": "approve"},
        name="approve_year",
    ),
    path(
        "rencana/<slug:code>/kunci/<int:year>/kembalikan/",
        views.approval_step,
        {"step": "return"},
        name="return_year",
    ),
]
