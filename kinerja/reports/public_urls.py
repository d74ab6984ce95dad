"""Public addresses of issued documents: short, because they are printed under a QR code."""

from django.urls import path

from . import public_views

app_name = "documents_public"
urlpatterns = [
    path("v/<slug:code>", public_views.verify, name="verify"),
    path("v/<slug:code>/pdf", public_views.issued_file, name="file"),
    path("dokumen/<slug:unit_code>/", public_views.unit_documents, name="unit"),
]
