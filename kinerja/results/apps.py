from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kinerja.results"
    label = "results"

    def ready(self) -> None:
        from kinerja.lib import default_year

        from .default_year import unit_default_year

        default_year.register(unit_default_year)
