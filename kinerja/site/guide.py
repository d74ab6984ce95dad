"""The user guide: the Markdown pages of docs/panduan/, one per role, shown in the app.

The same files are read on the repository's site and in the app, so there is one source. The
app renders them with Python-Markdown and then sanitises the HTML with nh3 (an allow-list), so
a page can never carry a script or an attribute the list does not name. Links between guide
pages become the app's guide URLs, pictures (`img/…`) the static files of
``STATICFILES_DIRS`` (prefix ``panduan/``), and any other relative link is dropped, since it
points into the repository, not the app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from kinerja.accounts.models import Role


@dataclass(frozen=True)
class GuidePage:
    slug: str  # the file name without .md and the last part of its URL
    label: str  # the role as the office names it (the guide is written in Indonesian)
    roles: frozenset[str]  # the roles whose users find this page highlighted


INDEX = "README"
PAGES = [
    GuidePage("camat", "Camat", frozenset({Role.HEAD})),
    GuidePage("perencana", "Perencana", frozenset({Role.PLANNER})),
    GuidePage("kasi-pelayanan", "Kasi Pelayanan", frozenset({Role.SURVEY_OFFICER})),
    GuidePage(
        "kasi-pemberdayaan", "Kasi Pemberdayaan Masyarakat", frozenset({Role.REGISTRY_OFFICER})
    ),
    GuidePage("operator-kelurahan", "Operator kelurahan", frozenset({Role.KELURAHAN_OPERATOR})),
    GuidePage("administrator", "Administrator", frozenset({Role.ADMIN})),
]
BY_SLUG = {page.slug: page for page in PAGES}

# What a guide page may contain once rendered: text, lists, tables, headings with their anchors,
# links and pictures; nothing else survives nh3.
TAGS = {
    "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote",
    "a", "img", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "figure", "figcaption",
    "kbd",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "loading", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "th": {"align"},
    "td": {"align"},
}
GUIDE_LINK = re.compile(r"^(?P<slug>[a-z-]+|README)\.md(?P<anchor>#[a-z0-9-]+)?$", re.IGNORECASE)
IMAGE = re.compile(r"^img/(?P<name>[a-z0-9-]+\.png)$")
KEPT_LINK = re.compile(r"^(https?://|mailto:|#)")


def guide_dir() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "panduan"


def source(slug: str) -> str:
    """The Markdown of a guide page; KeyError for a name that is not one of the pages."""
    if slug != INDEX and slug not in BY_SLUG:
        raise KeyError(slug)
    return (guide_dir() / f"{slug}.md").read_text(encoding="utf-8")


def title(text: str) -> str:
    """The page's first level-one heading."""
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def image_names(text: str) -> list[str]:
    """The pictures a page shows (`![…](img/name.png)`), in order."""
    return re.findall(r"!\[[^\]]*\]\(img/([a-z0-9-]+\.png)\)", text)


def to_html(text: str) -> SafeString:
    """The page as sanitised HTML for the app."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists", "toc"], output_format="html")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_app_address,
        url_schemes={"http", "https", "mailto"},
    )
    # Safe: nh3 has just removed everything outside the allow-list.
    return mark_safe(clean)


def _app_address(tag: str, attribute: str, value: str) -> str | None:
    """Addresses the Markdown gives relative to docs/panduan/, turned into the app's own."""
    if tag == "img" and attribute == "src":
        picture = IMAGE.match(value)
        return static(f"panduan/{picture['name']}") if picture else None
    if tag == "a" and attribute == "href":
        link = GUIDE_LINK.match(value)
        if link:
            slug = link["slug"]
            if slug == INDEX:
                url = reverse("guide")
            elif slug in BY_SLUG:
                url = reverse("guide_page", args=[slug])
            else:
                return None
            return url + (link["anchor"] or "")
        return value if KEPT_LINK.match(value) else None
    return value


def pages_for_roles(roles: Iterable[str], superuser: bool) -> set[str]:
    """The slugs of the pages written for these roles (highlighted for their user)."""
    held = set(roles) | ({Role.ADMIN.value} if superuser else set())
    return {page.slug for page in PAGES if page.roles & held}
