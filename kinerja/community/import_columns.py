"""The columns of a registry import file (groups, or activities), explained on the import page
and filled in its templates (``importers`` reads them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kinerja.lib.importhelp import Column

DATES = _("a date: YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or DD.MM.YYYY")


def group_columns(kind: str, kelurahan: str) -> list[Column]:
    """A groups file; ``kind`` and ``kelurahan`` are codes the uploader may use (the example)."""
    return [
        Column("code", _("The group's code, unique in the city"), _("text"), "WNS-RT01", True),
        Column("name", _("The group's name"), _("text"), "RT 01 RW 02", True),
        Column(
            "kind", _("The kind of group or institution"), _("a kind's code or name"), kind, True
        ),
        Column(
            "kelurahan",
            _("The kelurahan or desa it belongs to"),
            _("the code or name of a kelurahan you may edit"),
            kelurahan,
            True,
        ),
        Column("established", _("When it was founded"), DATES, "2015-01-10", True),
        Column(
            "dissolved", _("When it was dissolved"), _("%(dates)s, or empty") % {"dates": DATES}, ""
        ),
        Column("chair", _("Its chair"), _("text, may be empty"), "Bu Siti"),
        Column("contact", _("How to reach it"), _("text, may be empty"), "0812 0000 0000"),
        Column("members", _("Number of members"), _("a whole number, or empty"), "25"),
        Column("address", _("Its address"), _("text, may be empty"), "Jl. Anggrek 3"),
        Column("notes", _("Notes"), _("text, may be empty"), ""),
        Column(
            "decree_number", _("Number of its founding decree (SK)"), _("text, may be empty"), ""
        ),
        Column(
            "decree_date",
            _("Date of its founding decree"),
            _("%(dates)s, or empty") % {"dates": DATES},
            "",
        ),
    ]


def activity_columns(group_code: str) -> list[Column]:
    """An activities file, one row per group reached; ``group_code`` is the example group."""
    return [
        Column("date", _("The day of the activity"), DATES, "2025-06-30", True),
        Column(
            "group_code",
            _("A group the activity reached (one row per group)"),
            _("the code of a group in the registry"),
            group_code,
            True,
        ),
        Column(
            "type",
            _("The kind of activity"),
            _("fasilitasi or pembinaan (also: facilitation, fostering)"),
            "pembinaan",
            True,
        ),
        Column("title", _("The activity's title"), _("text"), "Rapat RT", True),
        Column("description", _("What was done"), _("text, may be empty"), "Di balai RW"),
    ]
