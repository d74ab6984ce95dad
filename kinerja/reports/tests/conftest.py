"""The results tests' small plan and people serve the reports tests too."""

from kinerja.results.tests.conftest import staff, staff_factory, uji

__all__ = ["staff", "staff_factory", "uji"]
