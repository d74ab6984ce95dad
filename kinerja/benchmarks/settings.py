"""Settings of ``kinerja bench``: the project's settings plus the benchmark app, which only this
module installs (docs/architecture.md#floors). ``kinerja bench`` chooses it by itself
(kinerja/cli.py); ``make bench`` and the benchmark tests run through that command."""

from kinerja.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "kinerja.benchmarks"]  # noqa: F405
