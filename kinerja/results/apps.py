from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kinerja.results"
    label = "results"

    def ready(self) -> None:
        from . import checks, registry

        # Every app's models are loaded before any ready(), so every measures module imports.
        registry.load()
        checks.register()
