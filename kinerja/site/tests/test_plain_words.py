"""What officers read names no internals: a query count, a cache or a rollup is for the people
who run the server (command-line help) or write programs (the API), never for a page."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from kinerja.results.actions import RecomputeSummary

JARGON = re.compile(r"kueri|cache|tembolok|rollup|worker", re.IGNORECASE)
# Catalogues and entries whose readers run the server or write programs.
FOR_DEVELOPERS = ("kinerja/api/",)
CLI_HELP = "#: command line help"


def entries(catalogue: Path) -> list[tuple[str, str]]:
    """(comments, translation) of each entry of a .po file."""
    found = []
    for block in catalogue.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        comments = "\n".join(line for line in lines if line.startswith("#"))
        text, in_msgstr = [], False
        for line in lines:
            if line.startswith("msgstr"):
                in_msgstr = True
                line = line.removeprefix("msgstr").strip()
            elif line.startswith(("msgid", "#")):
                in_msgstr = False
            if in_msgstr and line.startswith('"'):
                text.append(line[1:-1])
        found.append((comments, "".join(text)))
    return found


def test_it_finds_no_internal_word_in_what_pages_say():
    root = Path(settings.BASE_DIR)
    catalogues = [
        p
        for p in [root / "locale", *sorted((root / "kinerja").glob("*/locale"))]
        if not str(p.relative_to(root)).startswith(FOR_DEVELOPERS)
    ]
    assert len(catalogues) >= 7
    jargon = [
        f"{p}: {text}"
        for catalogue in catalogues
        for p in catalogue.glob("id/LC_MESSAGES/django.po")
        for comments, text in entries(p)
        if CLI_HELP not in comments and JARGON.search(text)
    ]
    assert jargon == []


def test_it_tells_what_a_recompute_did_in_plain_words():
    summary = RecomputeSummary(
        plan="rencana", created=2, updated=3, unchanged=40, deleted=1, pending=4
    )
    assert str(summary) == (
        "rencana: 2 hasil baru, 3 berubah, 40 tetap, 1 dihapus; "
        "4 perubahan pada tahun yang dikunci menunggu diterapkan"
    )
