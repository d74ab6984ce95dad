"""kinerja iku: the old spelling of ``kinerja results iku``, for one release."""

from kinerja.lib.commands import alias

Command = alias("results", "iku")
