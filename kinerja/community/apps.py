from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "kinerja.community"
    label = "community"
