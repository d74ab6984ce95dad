"""kinerja restore FILE: the old spelling of ``kinerja backup restore``, for one release."""

from kinerja.lib.commands import alias

Command = alias("backup", "restore")
