from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
]
