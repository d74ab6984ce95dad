"""kinerja ikm FILE.csv: the old spelling of ``kinerja survey ikm``, for one release."""

from kinerja.lib.commands import alias

Command = alias("survey", "ikm")
