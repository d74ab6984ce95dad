"""kinerja serve: the old spelling of ``kinerja server run``, for one release."""

from kinerja.lib.commands import alias

Command = alias("server", "run")
