from django.urls import path

from kinerja.audit import views as audit_views

app_name = "accounts"
urlpatterns = [
    path("riwayat/", audit_views.audit_log, name="audit_log"),
    path(
        "riwayat/<str:model>/<str:object_id>/",
        audit_views.object_history,
        name="object_history",
    ),
]
