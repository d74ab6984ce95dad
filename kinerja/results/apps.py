from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kinerja.results"
    label = "results"
