from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("unit/<slug:unit_code>/layanan/", views.service_list, name="service_list"),
    path("unit/<slug:unit_code>/layanan/baru/", views.service_create, name="service_create"),
    path("unit/<slug:unit_code>/impor/", views.import_file, name="import"),
    path("impor/<uuid:pk>/", views.import_job, name="import_job"),
    path(
        "unit/<slug:unit_code>/impor/<uuid:pk>/simpan/", views.import_confirm, name="import_confirm"
    ),
    path(
        "unit/<slug:unit_code>/impor/templat.<str:fmt>",
        views.import_template,
        name="import_template",
    ),
    path("unit/<slug:unit_code>/hasil/<str:period_key>/", views.results, name="results"),
    path(
        "unit/<slug:unit_code>/hasil/<str:period_key>/ekspor.<str:fmt>",
        views.export,
        name="export",
    ),
    path("unit/<slug:unit_code>/saran/<str:period_key>/", views.suggestions, name="suggestions"),
    path(
        "unit/<slug:unit_code>/saran/<str:period_key>/ekspor.<str:fmt>",
        views.suggestions_export,
        name="suggestions_export",
    ),
    path(
        "unit/<slug:unit_code>/tindak-lanjut/<str:period_key>/",
        views.followup,
        name="followup",
    ),
    path("unit/<slug:unit_code>/ikm-terbit/", views.published_ikm, name="published_ikm"),
    path(
        "unit/<slug:unit_code>/ikm-terbit/<int:year>/keputusan/",
        views.published_ikm_decide,
        name="published_ikm_decide",
    ),
    path(
        "ikm-terbit/<int:pk>/dokumen/", views.published_ikm_document, name="published_ikm_document"
    ),
    path("layanan/<int:pk>/", views.service_detail, name="service_detail"),
    path("layanan/<int:pk>/ubah/", views.service_edit, name="service_edit"),
    path("layanan/<int:pk>/qr.<str:fmt>", views.service_qr, name="service_qr"),
    path("layanan/<int:pk>/poster/", views.service_poster, name="service_poster"),
    path("layanan/<int:pk>/poster.pdf", views.service_poster_pdf, name="service_poster_pdf"),
    path("layanan/<int:pk>/kode/", views.receipt_codes, name="receipt_codes"),
    path("layanan/<int:pk>/entri/", views.paper_entry, name="paper_entry"),
    path("layanan/<int:pk>/entri/<int:response_pk>/", views.paper_correct, name="paper_correct"),
]
