"""A stored result's value and status badge, as shown in every results table and card.

Written as tags rather than included templates because a city's comparison table has thousands
of cells: an ``{% include %}`` and a ``{% url %}`` per cell cost more than the rest of the page.
The link to a result's detail page is reversed once per page render and filled in per cell.
"""

from __future__ import annotations

from collections.abc import Callable

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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
def result_value(context: template.Context, cell: Cell) -> SafeString | str:
    """The realisation linked to where it comes from; a dash (with the reason) when there is none."""
    return value_html(cell, detail_url(context))


def value_html(cell: Cell, url_of: Callable[[int], str]) -> SafeString | str:
    if cell.result is None:
        return "–"
    url = url_of(cell.result.pk)
    if cell.realisation is not None:
        return format_html(
            '<a href="{}" title="{}">{}{}</a>',
            url,
            _("Where this number comes from"),
            num(cell.realisation, cell.decimals),
            cell.indicator.unit_suffix,
        )
    return format_html('<a class="muted" href="{}" title="{}">–</a>', url, cell.reason)


@register.simple_tag
def result_status(cell: Cell) -> SafeString:
    return status_html(cell)


def status_html(cell: Cell) -> SafeString:
    """The status badge in its band's colour, with the achievement when there is one."""
    achieved = "" if cell.achievement is None else f"{num(cell.achievement, 2)}% · "
    return format_html(
        '<span class="badge" style="background:{}">{}{}</span>',
        cell.colour,
        achieved,
        cell.status_label,
    )


@register.simple_tag(takes_context=True)
def result_cells(context: template.Context, cells: list[Cell]) -> SafeString:
    """A row of the comparison table: one cell per indicator with its value and badge."""
    url_of = detail_url(context)
    # One string per row rather than format_html per cell: a city's table has thousands of cells.
    return mark_safe(  # noqa: S308 - every part below is escaped or built by format_html
        "".join(
            f'<td class="num" data-label="{escape(cell.indicator.code)}"><div>'
            f"{value_html(cell, url_of)}<br>{status_html(cell)}</div></td>"
            for cell in cells
        )
    )
