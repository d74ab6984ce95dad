"""kinerja community import|export: the old spelling of ``kinerja registry``, for one release."""

from kinerja.lib.commands import alias

Command = alias("registry")
