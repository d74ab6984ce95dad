from django.urls import path

from . import narrative_views, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("penandatangan/", views.signing, name="signing"),
    path("<slug:kind>.<slug:fmt>", views.download, name="download"),
    path("terbitkan/<slug:kind>", views.issue, name="issue"),
    path("narasi/", narrative_views.narratives, name="narratives"),
]
