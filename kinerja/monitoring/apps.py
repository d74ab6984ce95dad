from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "kinerja.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        from kinerja.plan.signals import plan_loaded

        from .planfile import store_renaksi

        plan_loaded.connect(store_renaksi, dispatch_uid="monitoring.store_renaksi")
        from kinerja.budget import uses

        from .budget_uses import renaksi_uses

        # A budget line an action names is not removed: the budget asks here, never imports us.
        uses.register(renaksi_uses)
