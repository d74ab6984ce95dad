"""kinerja sample-size N: the old spelling of ``kinerja survey sample-size``, for one release."""

from kinerja.lib.commands import alias

Command = alias("survey", "sample-size")
