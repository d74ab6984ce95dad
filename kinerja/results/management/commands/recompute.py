"""kinerja recompute: the old spelling of ``kinerja results recompute``, for one release."""

from kinerja.lib.commands import alias

Command = alias("results", "recompute")
