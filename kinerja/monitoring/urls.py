from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("rencana/<slug:code>/triwulan/renaksi/", views.renaksi, name="renaksi"),
    path(
        "rencana/<slug:code>/triwulan/renaksi/<int:year>/target/<str:indicator>/",
        views.save_targets,
        name="save_targets",
    ),
    path(
        "rencana/<slug:code>/triwulan/renaksi/<int:year>/aksi/",
        views.add_action,
        name="add_action",
    ),
    path("renaksi/aksi/<int:pk>/hapus/", views.delete_action, name="delete_action"),
    path("rencana/<slug:code>/triwulan/<int:year>/<int:quarter>/", views.report, name="report"),
    path(
        "rencana/<slug:code>/triwulan/<int:year>/<int:quarter>/narasi/<str:indicator>/",
        views.save_narrative,
        name="narrative",
    ),
    *[
        path(
            f"rencana/<slug:code>/triwulan/<int:year>/<int:quarter>/{slug}/",
            views.report_step,
            {"step": step},
            name=f"{step}_quarter",
        )
        for slug, step in (("ajukan", "submit"), ("setujui", "approve"), ("kembalikan", "return"))
    ],
    path(
        "rencana/<slug:code>/triwulan/<int:year>/<int:quarter>/belum-lapor/",
        views.not_reported,
        name="not_reported",
    ),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/baca/", views.read_notification, name="read_notification"),
]
