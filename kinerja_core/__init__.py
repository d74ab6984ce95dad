"""Pure-Python computation core of Kinerja.

Everything here is stdlib-only so it can be tested, reused by the CLI and audited without
Django: formulas (an ``ast`` whitelist), IKM by PermenPANRB 14/2017, achievement, coverage,
periods, sampling and number formatting. Import the submodules directly; this package
module stays empty on purpose so that ``import kinerja_core`` is cheap.
"""

from __future__ import annotations
