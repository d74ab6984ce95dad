"""The main menu: (URL name, label). Entries whose URL is not installed are skipped."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MENU = [
    ("home", _("Dashboard")),
    ("plan:list", _("Plans")),
    ("community:group_list", _("Community")),
    ("surveys:staff_home", _("Survey")),
    ("budget:list", _("Budget")),
    ("reports:index", _("Reports")),
    ("accounts:audit_log", _("History")),
    ("accounts:security", _("Account")),
    ("guide", _("Help")),
]
