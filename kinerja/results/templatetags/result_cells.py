"""A stored result's value and status badge, as shown in every results table and card.

Written as tags rather than included templates because a city's comparison table has thousands
of cells: an ``{% include %}`` and a ``{% url %}`` per cell cost more than the rest of the page.
The link to a result's detail page is reversed once per page render and filled in per cell.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.results.queries import Cell
from kinerja.web.templatetags.kinerja import num

register = template.Library()

MARKER = 987654321  # a primary key no table reaches, replaced by each result's own


def detail_url(context: template.Context) -> Callable[[int], str]:
    """``pk → /…/<pk>/`` for this render, reversing the URL pattern only once."""
    maker = context.render_context.get("result_detail_url")
    if maker is None:
        pattern = reverse("results:detail", args=[MARKER])
        marker = str(MARKER)

        def maker(pk: int) -> str:
            return pattern.replace(marker, str(int(pk)))

        context.render_context["result_detail_url"] = maker
    return maker  # type: ignore[no-any-return]


@register.simple_tag(takes_context=True)
def result_value(context: template.Context, cell: Cell) -> SafeString:
    """The realisation linked to where it comes from; a dash (with the reason) when there is none."""
    return mark_safe(value_html(cell, detail_url(context), _(SOURCE_TITLE)))  # noqa: S308


@register.simple_tag
def result_status(cell: Cell) -> SafeString:
    """The status badge in its band's colour, with the achievement when there is one."""
    return mark_safe(status_html(cell))  # noqa: S308


@register.simple_tag(takes_context=True)
def result_cells(context: template.Context, cells: list[Cell]) -> SafeString:
    """A row of the comparison table: one cell per indicator with its value and badge."""
    url_of, title = detail_url(context), _(SOURCE_TITLE)
    return mark_safe(  # noqa: S308
        "".join(
            f'<td class="num" data-label="{escape(cell.indicator.code)}"><div>'
            f"{value_html(cell, url_of, title)}<br>{status_html(cell)}</div></td>"
            for cell in cells
        )
    )


# The HTML below is built with f-strings and html.escape (what Django's escaping does) rather
# than format_html: a city's comparison table has thousands of cells. Every value is escaped.
SOURCE_TITLE = gettext_noop("Where this number comes from")


def value_html(cell: Cell, url_of: Callable[[int], str], title: str) -> str:
    if cell.result is None:
        return "–"
    url = escape(url_of(cell.result.pk))
    if cell.realisation is not None:
        shown = num(cell.realisation, cell.decimals) + cell.indicator.unit_suffix
        return f'<a href="{url}" title="{escape(title)}">{escape(shown)}</a>'
    return f'<a class="muted" href="{url}" title="{escape(cell.reason)}">–</a>'


def status_html(cell: Cell) -> str:
    achieved = "" if cell.achievement is None else f"{num(cell.achievement, 2)}% · "
    return (
        f'<span class="badge" style="background:{escape(cell.colour)}">'
        f"{escape(achieved)}{escape(str(cell.status_label))}</span>"
    )
