from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("", views.line_list, name="list"),
    path("templat/", views.template_view, name="template"),
    path("<slug:unit_code>/<int:year>/baru/", views.line_create, name="create"),
    path("<slug:unit_code>/<int:year>/impor/", views.import_view, name="import"),
    path(
        "<slug:unit_code>/<int:year>/impor/<uuid:pk>/simpan/",
        views.import_confirm,
        name="import_confirm",
    ),
    path("<slug:unit_code>/<int:year>/ekspor/", views.export_view, name="export"),
    path("baris/<int:pk>/", views.line_edit, name="edit"),
    path("baris/<int:pk>/hapus/", views.line_delete, name="delete"),
]
