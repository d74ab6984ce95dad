from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "kinerja.lib"
    # The label of the app these helpers and DemoMarker lived in before: the table
    # web_demomarker, its migration history and its content type keep their names, which a new
    # label would make every installed database rename by hand.
    label = "web"

    def ready(self) -> None:
        from . import checks, measure_registry

        # Every app's models are loaded before any ready(), so every measures module imports.
        measure_registry.load()
        checks.register()
