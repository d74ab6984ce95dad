from django.urls import path

from . import public_views

app_name = "surveys_public"

urlpatterns = [
    path("hasil/<slug:unit_code>/<str:period_key>/", public_views.public_results, name="results"),
    path(
        "hasil/<slug:unit_code>/<str:period_key>/poster.pdf",
        public_views.poster_pdf,
        name="poster_pdf",
    ),
    path(
        "hasil/<slug:unit_code>/<str:period_key>/poster.png",
        public_views.poster_png,
        name="poster_png",
    ),
    path("<slug:slug>/", public_views.survey_form, name="form"),
    path("<slug:slug>/terima-kasih/", public_views.thanks, name="thanks"),
    path("<slug:slug>/responden-lain/", public_views.another, name="another"),
]
