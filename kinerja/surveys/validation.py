"""The rules of one survey answer that paper entry, the public form and a file import share.

The forms check an answer with their fields; a file is checked by the core's reader
(``kinerja_core.survey_csv``), which parses a million rows fast. Both take their bounds from
here and from the core (``MIN_AGE``/``MAX_AGE``, the element scores, the profile lists), so a
file holds exactly the answers paper entry accepts; the reader's limits are ``reader_limits``.
"""

from __future__ import annotations

from typing import Any

from kinerja.lib.input_checks import survey_reader_limits

# The longest suggestion, in characters, from any channel (the public form's text box shows it).
SUGGESTION_MAX_CHARS = 2000


def reader_limits() -> dict[str, Any]:
    """The arguments that hold the core's survey reader to these rules and the site's limits."""
    return {**survey_reader_limits(), "suggestion_max_chars": SUGGESTION_MAX_CHARS}
