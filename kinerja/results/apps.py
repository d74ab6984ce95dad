from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kinerja.results"
    label = "results"

    def ready(self) -> None:
        from kinerja.plan.versions import FACT_SOURCES

        from .plan_facts import result_facts

        # A plan load may not destroy stored results: the plan asks what is stored here.
        if result_facts not in FACT_SOURCES:
            FACT_SOURCES.append(result_facts)
        from kinerja.lib import default_year

        from .default_year import unit_default_year

        default_year.register(unit_default_year)
        from kinerja.db.stale import on_marked

        from .live import enqueue_recompute

        # Writes that feed a measure mark results stale; the worker recomputes them.
        on_marked(enqueue_recompute)
