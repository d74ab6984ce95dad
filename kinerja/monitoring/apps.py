from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "kinerja.monitoring"
    label = "monitoring"
