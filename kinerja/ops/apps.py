from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "kinerja.ops"
    label = "ops"
