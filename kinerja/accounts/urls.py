from django.urls import path

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
]
