"""A stored result's value and status badge, as shown in every results table and card.

Written as tags rather than included templates because a city's comparison table has thousands
of cells: an ``{% include %}`` and a ``{% url %}`` per cell cost more than the rest of the page.
The link to a result's detail page is reversed once per page render and filled in per cell;
what cells repeat (titles, badge colours and labels) is escaped once per render. A dashboard
card's figures are written here too (``card_figures``): the page has one per indicator, and the
status poll sends them again (results/static/results/live.js).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from html import escape
from typing import TYPE_CHECKING, Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.lib.language import lang
from kinerja.results.queries import Cell
from kinerja_core.numbers import format_decimal

if TYPE_CHECKING:
    from kinerja.accounts.models import OrgUnit
    from kinerja.results.dashboard import Card

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
        head, _marker, tail = pattern.partition(str(MARKER))
        # Escaped once: what goes between them is a primary key, digits only.
        self.url_head, self.url_tail = escape(head), escape(tail)
        self.title = escape(_(SOURCE_TITLE))
        self.published = published_mark()
        self.lang = lang()
        self.badges: dict[tuple[int, str], tuple[str, str]] = {}
        self.labels: dict[int, str] = {}
        self.units: dict[int, str] = {}

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
        url = f"{self.url_head}{int(cell.result.pk)}{self.url_tail}"
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

    @cached_property
    def figure_words(self) -> dict[str, str]:
        """The words every card's figures repeat, translated (and escaped, but for the two
        sentences with a value, as ``{% blocktranslate %}`` leaves them) once per render."""
        return {
            "target": escape(_("Target")),
            "none": escape(_("none of its own")),
            "realisation": escape(_("Realisation")),
            "achievement": escape(_("Achievement")),
            "updating": escape(_("updating")),
            "part_of": _("No target of its own: this value is part of the result of %(unit)s."),
            "updated": _("updated %(time)s"),
        }

    def unit_name(self, unit: OrgUnit) -> str:
        """The unit as printed, escaped (its level's label is looked up once per render)."""
        name = self.units.get(unit.pk)
        if name is None:
            name = self.units[unit.pk] = escape(str(unit))
        return name

    def figures(self, card: Card, plan_unit: OrgUnit) -> str:
        """What a dashboard card shows that a recompute changes: target, realisation,
        achievement, the status with its reason, and whether and when it was updated.

        The same markup for the page and for its status poll (``live_status``), built here
        rather than in an included template: a city's dashboard has dozens of cards."""
        words = self.figure_words
        cell = card.cell
        if cell.contribution:
            target = f'<span title="{words["none"]}">–</span>'
        else:
            target = escape(cell.target_text())
        if cell.shows_contribution:
            part_of = words["part_of"] % {"unit": self.unit_name(plan_unit)}
            reason = f' <span class="muted reason">{part_of}</span>'
        elif not cell.computable or cell.achievement is None:
            reason = f' <span class="muted reason">{escape(str(cell.reason))}</span>'
        else:
            reason = ""
        stale = f'<span class="badge updating">{words["updating"]}</span> ' if card.stale else ""
        updated = words["updated"] % {"time": escape(card.updated)} if card.updated else ""
        return (
            '<dl class="figures">\n'
            f"    <div><dt>{words['target']}</dt><dd>{target}</dd></div>\n"
            f"    <div><dt>{words['realisation']}</dt>"
            f'<dd class="realisation">{self.value(cell)}</dd></div>\n'
            f"    <div><dt>{words['achievement']}</dt>"
            f'<dd class="achievement">{escape(self.achievement_text(cell))}</dd></div>\n'
            "  </dl>\n"
            f"  <p>{self.status(cell)}{reason}</p>\n"
            f'  <p class="freshness muted">{stale}{updated}</p>\n'
        )


def writer(context: template.Context) -> CellWriter:
    """The page render's CellWriter (made at its first cell).

    Kept in the render context's outermost scope, as Django keeps its include cache: each
    ``{% include %}`` pushes a scope of its own, and a writer made in an included template
    would be made again (its detail URL reversed again) at every include."""
    scope: dict[Any, Any] = context.render_context.dicts[0]
    made = scope.get("result_cell_writer")
    if made is None:
        made = scope["result_cell_writer"] = CellWriter()
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
def card_figures(context: template.Context, card: Card, plan_unit: OrgUnit) -> SafeString:
    """A dashboard card's figures (``CellWriter.figures``)."""
    return mark_safe(writer(context).figures(card, plan_unit))  # noqa: S308


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
