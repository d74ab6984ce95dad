"""From a stored result to the records behind it: the inputs tree with links to each source.

Links to the other apps' pages are looked up by URL name at render time and left out when that
page does not exist (yet), so this page works whichever data apps are installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit
from kinerja_core.errors import CoreError
from kinerja_core.periods import Period

from .models import ManualValue, Result


def url_or_none(
    name: str, args: list[Any] | None = None, query: dict[str, Any] | None = None
) -> str | None:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


@dataclass
class InputRow:
    key: str
    label: str
    depth: int
    source: str
    unit: str
    period: str
    value: Decimal | None
    reason: str | None
    formula: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    manual: ManualValue | None = None

    @property
    def decimals(self) -> int:
        """Counts print whole (134), ratios with two decimals (44,78)."""
        return 0 if self.value is not None and self.value == self.value.to_integral_value() else 2

    @property
    def period_label(self) -> str:
        try:
            return Period.parse(self.period).label()
        except CoreError:  # an old row with an unexpected key: show it as stored
            return self.period


def flatten(inputs: dict[str, Any], depth: int = 0) -> list[tuple[str, dict[str, Any], int]]:
    out = []
    for key, item in inputs.items():
        out.append((key, item, depth))
        out += flatten(item.get("inputs") or {}, depth + 1)
    return out


def source_links(item: dict[str, Any]) -> list[tuple[str, str]]:
    unit, period = item.get("unit", ""), item.get("period", "")
    links: list[tuple[str, str]] = []
    if item.get("source") == "community":
        url = url_or_none(
            "community:drilldown",
            query={"unit": unit, "year": period[:4], "measure": item.get("measure", "")},
        )
        if url:
            links.append((_("groups and activities counted"), url))
    elif item.get("source") == "surveys" and item.get("published"):
        url = url_or_none("surveys:published_ikm", [unit])
        if url:
            label = _("published value: %(document)s") % {"document": item["published"]}
            links.append((label, url))
    elif item.get("source") == "surveys":
        url = url_or_none("surveys:results", [unit, period])
        if url:
            links.append((_("survey results of the period"), url))
    return links


def input_rows(result: Result) -> list[InputRow]:
    """The inputs of ``result`` in tree order, each with its source links (three queries)."""
    flat = flatten(result.inputs or {})
    manual_keys = {
        (i["measure"], i["unit"], i["period"]) for _k, i, _d in flat if i.get("source") == "manual"
    }
    manual: dict[tuple[str, str, str], ManualValue] = {}
    if manual_keys:
        for value in ManualValue.objects.filter(
            plan=result.plan,
            name__in={k[0] for k in manual_keys},
            period_key__in={k[2] for k in manual_keys},
            unit__path__startswith=result.plan.unit.path,
        ).select_related("unit", "entered_by"):
            manual[(value.name, value.unit.code, value.period_key)] = value
    names = dict(
        OrgUnit.objects.filter(code__in={i.get("unit") for _k, i, _d in flat}).values_list(
            "code", "name"
        )
    )
    rows = []
    for key, item, depth in flat:
        row = InputRow(
            key=key,
            label=str(item.get("label") or item.get("name") or key),
            depth=depth,
            source=str(item.get("source") or ""),
            unit=names.get(str(item.get("unit")), str(item.get("unit") or "")),
            period=str(item.get("period") or ""),
            value=None if item.get("value") is None else Decimal(item["value"]),
            reason=item.get("reason"),
            formula=str(item.get("formula") or ""),
            links=source_links(item),
        )
        if row.source == "manual":
            row.manual = manual.get((item.get("measure", ""), item.get("unit", ""), row.period))
            row.links.append(
                (_("manual values"), reverse("results:manual", args=[result.plan.code]))
            )
        rows.append(row)
    return rows
