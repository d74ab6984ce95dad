from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("kelompok/baru/", views.group_create, name="group_create"),
    path("kelompok/<int:pk>/", views.group_detail, name="group_detail"),
    path("kelompok/<int:pk>/ubah/", views.group_edit, name="group_edit"),
    path("jenis/", views.kind_list, name="kind_list"),
    path("jenis/baru/", views.kind_create, name="kind_create"),
    path("jenis/<int:pk>/", views.kind_edit, name="kind_edit"),
    path("jenis/<int:pk>/hapus/", views.kind_delete, name="kind_delete"),
    path("kegiatan/", views.activity_list, name="activity_list"),
    path("kegiatan/baru/", views.activity_create, name="activity_create"),
    path("kegiatan/<int:pk>/", views.activity_edit, name="activity_edit"),
    path("kegiatan/<int:pk>/hapus/", views.activity_delete, name="activity_delete"),
    path("bukti/<int:pk>/", views.evidence_file, name="evidence"),
    path("impor/", views.import_view, name="import"),
    path("impor/<uuid:pk>/simpan/", views.import_confirm, name="import_confirm"),
    path("impor/templat/", views.import_template, name="import_template"),
    path("ekspor/", views.export_view, name="export"),
    path("cakupan/", views.drilldown_view, name="drilldown"),
]
