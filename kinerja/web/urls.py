from django.urls import path

from kinerja.results.views import dashboard

from . import views

urlpatterns = [
    # The home page after login is the results dashboard (kinerja/results/views.py).
    path("", dashboard, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
