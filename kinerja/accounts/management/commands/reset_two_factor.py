"""kinerja reset_two_factor USER: the old spelling of ``kinerja user reset-two-factor``, for one
release."""

from kinerja.lib.commands import alias

Command = alias("user", "reset-two-factor")
