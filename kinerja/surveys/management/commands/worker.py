"""kinerja worker: the old spelling of ``kinerja jobs run``, for one release."""

from kinerja.lib.commands import alias

Command = alias("jobs", "run")
