"""The audit log pages. kinerja/site/urls.py serves them under the account pages' prefix and
URL namespace (``accounts:audit_log``), where they have always been."""

from django.urls import path

from . import views

urlpatterns = [
    path("riwayat/", views.audit_log, name="audit_log"),
    path("riwayat/<str:model>/<str:object_id>/", views.object_history, name="object_history"),
]
