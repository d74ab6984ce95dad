"""URLs. Each app owns its prefix; Indonesian paths because citizens type and read them."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from kinerja.accounts import urls as account_urls
from kinerja.accounts import views as account_views
from kinerja.audit import urls as audit_urls
from kinerja.results.views import dashboard

from . import views

urlpatterns = [
    # The home page after login is the results dashboard (kinerja/results/views.py).
    path("", dashboard, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("rencana/", include("kinerja.plan.urls")),
    path("hasil/", include("kinerja.results.urls")),
    path("hasil/", include("kinerja.monitoring.urls")),
    path("laporan/", include("kinerja.reports.urls")),
    path("komunitas/", include("kinerja.community.urls")),
    path("admin/", admin.site.urls),
    path("survei/", include("kinerja.surveys.urls")),
    path("anggaran/", include("kinerja.budget.urls")),
    path("s/", include("kinerja.surveys.public_urls")),
    # The audit log sits among the account pages; accounts, a floor below audit, does not import it.
    path(
        "akun/", include((account_urls.urlpatterns + audit_urls.urlpatterns, account_urls.app_name))
    ),
    path("api/v1/", include("kinerja.api.urls")),
    path("bantuan/", views.guide, name="guide"),
    path("bantuan/<slug:page>/", views.guide, name="guide_page"),
    path("", include("kinerja.reports.public_urls")),
]
