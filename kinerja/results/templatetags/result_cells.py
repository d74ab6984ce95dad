"""A stored result's value and status badge, as shown in every results table and card.

Written as tags rather than included templates because a city's comparison table has thousands
of cells: an ``{% include %}`` and a ``{% url %}`` per cell cost more than the rest of the page.
The link to a result's detail page is reversed once per page render and filled in per cell;
what cells repeat (titles, badge colours and labels) is escaped once per render.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.lib.language import lang
from kinerja.results.queries import Cell
from kinerja_core.numbers import format_decimal

register = template.Library()

MARKER = 987654321  # a primary key no table reaches, replaced by each result's own
SOURCE_TITLE = gettext_noop("Where this number comes from")
PUBLISHED_LABEL = gettext_noop("published value")
PUBLISHED_TITLE = gettext_noop(
    "Taken from the document the office published, not computed from records in Kinerja"
)


def published_mark() -> str:
    """The "nilai terbit" marker beside a realisation that is a published value."""
    title, label = escape(_(PUBLISHED_TITLE)), escape(_(PUBLISHED_LABEL))
    return f' <span class="published-mark" title="{title}">{label}</span>'


# The HTML is built with f-strings and html.escape (what Django's escaping does) rather than
# format_html: a city's comparison table has thousands of cells. Every value is escaped.


class CellWriter:
    """Writes result cells for one page render, working out once what cells repeat: the
    detail link pattern, the language, escaped titles and labels, each status's badge colour
    and label, each indicator's column label."""

    def __init__(self) -> None:
        pattern = reverse("results:detail", args=[MARKER])
        self.url_head, _marker, self.url_tail = pattern.partition(str(MARKER))
        self.title = escape(_(SOURCE_TITLE))
        self.published = published_mark()
        self.lang = lang()
        self.badges: dict[tuple[int, str], tuple[str, str]] = {}
        self.labels: dict[int, str] = {}

    def number(self, value: Decimal, decimals: int) -> str:
        return format_decimal(value, decimals, self.lang)

    def value_text(self, cell: Cell) -> str:
        """The realisation as printed (84,60%), a dash when there is none."""
        if cell.realisation is None:
            return "–"
        return self.number(cell.realisation, cell.decimals) + cell.indicator.unit_suffix

    def achievement_text(self, cell: Cell) -> str:
        """The achievement as printed (105,75%), a dash when there is none."""
        if cell.achievement is None:
            return "–"
        return f"{self.number(cell.achievement, 2)}%"

    def value(self, cell: Cell) -> str:
        """The realisation linked to where it comes from; a dash (with the reason) when none."""
        if cell.result is None:
            return "–"
        url = escape(f"{self.url_head}{int(cell.result.pk)}{self.url_tail}")
        if cell.realisation is not None:
            shown = self.value_text(cell)
            mark = self.published if cell.published else ""
            return f'<a href="{url}" title="{self.title}">{escape(shown)}</a>{mark}'
        return f'<a class="muted" href="{url}" title="{escape(cell.reason)}">–</a>'

    def status(self, cell: Cell) -> str:
        """The status badge in its band's colour, with the achievement when there is one."""
        key = (id(cell.bands), "contribution" if cell.shows_contribution else cell.status)
        badge = self.badges.get(key)
        if badge is None:
            badge = self.badges[key] = (escape(cell.colour), escape(str(cell.status_label)))
        colour, label = badge
        achieved = "" if cell.achievement is None else f"{self.achievement_text(cell)} · "
        return f'<span class="badge" style="background:{colour}">{escape(achieved)}{label}</span>'

    def column(self, cell: Cell) -> str:
        label = self.labels.get(cell.indicator.pk)
        if label is None:
            label = self.labels[cell.indicator.pk] = escape(cell.indicator.code)
        return label


def writer(context: template.Context) -> CellWriter:
    """The page render's CellWriter (made at its first cell)."""
    made = context.render_context.get("result_cell_writer")
    if made is None:
        made = context.render_context["result_cell_writer"] = CellWriter()
    return made


@register.simple_tag(takes_context=True)
def result_value(context: template.Context, cell: Cell) -> SafeString:
    """The realisation linked to where it comes from; a dash (with the reason) when there is none."""
    return mark_safe(writer(context).value(cell))  # noqa: S308


@register.simple_tag(takes_context=True)
def result_achievement(context: template.Context, cell: Cell) -> str:
    """The achievement as printed (105,75%), a dash when there is none."""
    return writer(context).achievement_text(cell)


@register.simple_tag
def published_marker() -> SafeString:
    """The "nilai terbit" marker, for pages that show one result."""
    return mark_safe(published_mark())  # noqa: S308


@register.simple_tag(takes_context=True)
def result_status(context: template.Context, cell: Cell) -> SafeString:
    """The status badge in its band's colour, with the achievement when there is one."""
    return mark_safe(writer(context).status(cell))  # noqa: S308


@register.simple_tag(takes_context=True)
def result_cells(context: template.Context, cells: list[Cell]) -> SafeString:
    """A row of the comparison table: one cell per indicator with its value and badge."""
    out = writer(context)
    return mark_safe(  # noqa: S308
        "".join(
            f'<td class="num" data-label="{out.column(cell)}"><div>'
            f"{out.value(cell)}<br>{out.status(cell)}</div></td>"
            for cell in cells
        )
    )
