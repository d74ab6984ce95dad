from django.urls import path

from . import views

app_name = "plan"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("unggah/", views.plan_upload, name="upload"),
    path("<slug:code>/", views.plan_detail, name="detail"),
    path("<slug:code>/berkas.yaml", views.plan_export, name="export"),
]
