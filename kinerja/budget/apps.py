from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "kinerja.budget"
    label = "budget"
