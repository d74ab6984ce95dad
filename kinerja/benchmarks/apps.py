from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "kinerja.benchmarks"
    label = "benchmarks"
    verbose_name = "Benchmarks"
