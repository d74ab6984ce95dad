from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "kinerja.site"
    label = "site"
