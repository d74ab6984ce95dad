from django.urls import path

from kinerja.audit import views as audit_views

from . import userviews, views

app_name = "accounts"
urlpatterns = [
    path("keamanan/", views.security, name="security"),
    path("2fa/kode/", views.two_factor_verify, name="two_factor_verify"),
    path("2fa/daftar/", views.two_factor_enrol, name="two_factor_enrol"),
    path("2fa/matikan/", views.two_factor_disable, name="two_factor_disable"),
    path("2fa/kode-cadangan/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("kunci-api/<int:pk>/cabut/", views.api_key_revoke, name="api_key_revoke"),
    path("peran/", views.roles, name="roles"),
    path("peran/<int:pk>/hapus/", views.role_remove, name="role_remove"),
    path("pengguna/<int:pk>/", userviews.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/reset-2fa/", userviews.two_factor_reset, name="two_factor_reset"),
    path("riwayat/", audit_views.audit_log, name="audit_log"),
    path(
        "riwayat/<str:model>/<str:object_id>/",
        audit_views.object_history,
        name="object_history",
    ),
]
