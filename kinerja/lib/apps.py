from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "kinerja.lib"
    # The label of the app these helpers and DemoMarker lived in before: the table
    # web_demomarker, its migration history and its content type keep their names, which a new
    # label would make every installed database rename by hand.
    label = "web"
