from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kinerja.surveys"
    label = "surveys"
