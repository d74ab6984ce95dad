"""Plans that continue one another: the chain of a unit's Renstra periods, its checks against
what is stored, and the indicator definitions in force in a year
(docs/rules.md#plans-continuing-plans).
"""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from kinerja.accounts.models import OrgUnit

from .models import Indicator, Plan
from .planfile import PlanDocument, Problem
from .planfile.crosswalk import Link
from .targets import with_targets


def definition_history(plan: Plan) -> list[Indicator]:
    """Every indicator definition ``plan`` ever had, each row with the years it is in force
    (``valid_from``/``valid_until``, docs/rules.md#plan-revisions), in order, a code's older
    rows first, with their goal, objective and targets (two queries). The one place the chain
    and the series read definitions: a year's definitions are the rows ``in_force`` that year."""
    return with_targets(
        Indicator.objects.filter(plan=plan)
        .select_related("goal", "objective")
        .order_by("order", F("valid_from").asc(nulls_first=True), "pk")
    )


def predecessor(plan: Plan) -> Plan | None:
    if not plan.continues:
        return None
    return Plan.objects.select_related("unit").filter(code=plan.continues).first()


def chain_of(plan: Plan) -> list[Plan]:
    """The plans ``plan`` continues, oldest first, ending with ``plan`` (a cycle stops the walk)."""
    chain = [plan]
    seen = {plan.code}
    while (older := predecessor(chain[0])) is not None and older.code not in seen:
        seen.add(older.code)
        chain.insert(0, older)
    return chain


def links_to(plan: Plan, code: str) -> list[tuple[str, Link]]:
    """The old plan's indicators that became ``code`` of ``plan``, with how (crosswalk order)."""
    found = []
    for old, data in plan.crosswalk.items():
        link = Link.from_json(data)
        if code in link.new:
            found.append((old, link))
    return found


def crosswalk_rows(plan: Plan) -> list[tuple[str, Link]]:
    """The crosswalk as the plan page lists it: each old code with what became of it."""
    return [(old, Link.from_json(data)) for old, data in plan.crosswalk.items()]


def plan_in_force(unit: OrgUnit, year: int) -> Plan | None:
    """The unit's plan whose period holds ``year``: the newest start wins where two overlap
    (a continuing plan may start before the old one ends); else the latest plan begun by then,
    else the unit's first plan."""
    return in_force_among(list(Plan.objects.filter(unit=unit)), year)


def in_force_among(plans: list[Plan], year: int) -> Plan | None:
    """``plan_in_force`` among one unit's plans already read."""
    plans = sorted(plans, key=lambda p: (-p.start_year, p.code))
    holding = [p for p in plans if p.start_year <= year <= p.end_year]
    if holding:
        return holding[0]
    begun = [p for p in plans if p.start_year <= year]
    return begun[0] if begun else (plans[-1] if plans else None)


def chain_problems(doc: PlanDocument) -> list[Problem]:
    """What a plan file's ``continues`` and period say against the stored plans; errors name the
    field and the code (an unknown plan or indicator, a cycle, an overlap)."""
    found: list[Problem] = []
    cont = doc.continuation
    old: Plan | None = None
    if cont is not None:
        old = Plan.objects.select_related("unit").filter(code=cont.plan).first()
        if cont.plan == doc.code:
            found.append(cycle_problem([doc.code, doc.code]))
        elif old is None:
            found.append(
                Problem(
                    _("continues %(code)s, which is not a stored plan") % {"code": cont.plan},
                    where="plan",
                    field="continues",
                )
            )
        else:
            found.extend(crosswalk_problems(doc, old))
    found.extend(overlap_problems(doc, old))
    return found


def cycle_problem(trail: list[str]) -> Problem:
    return Problem(
        _("continues runs in a circle: %(trail)s") % {"trail": " → ".join(trail)},
        where="plan",
        field="continues",
    )


def continues_cycle(new: str, old: str) -> list[str]:
    """The codes of a circle ``new`` → ``old`` → … → a code seen before, or [] (by stored code,
    so a cycle among stored plans is found too)."""
    trail = [new]
    code = old
    while code:
        if code in trail:
            return [*trail, code]
        trail.append(code)
        code = Plan.objects.filter(code=code).values_list("continues", flat=True).first() or ""
    return []


def crosswalk_problems(doc: PlanDocument, old: Plan) -> list[Problem]:
    assert doc.continuation is not None
    found: list[Problem] = []
    cycle = continues_cycle(doc.code, old.code)
    if cycle:
        found.append(cycle_problem(cycle))
    if old.unit.code != doc.unit.code:
        found.append(
            Problem(
                _("continues %(code)s, a plan of another unit (%(unit)s)")
                % {"code": old.code, "unit": old.unit.code},
                where="plan",
                field="continues",
            )
        )
    old_codes = dict(Indicator.objects.filter(plan=old).values_list("code", "iku"))
    crosswalk = doc.continuation.crosswalk
    for code in crosswalk:
        if code not in old_codes:
            found.append(
                Problem(
                    _("%(code)s is not an indicator of %(plan)s")
                    % {"code": code, "plan": old.code},
                    where=f"crosswalk.{code}",
                    field="crosswalk",
                )
            )
    for code, iku in old_codes.items():
        if iku and code not in crosswalk:
            found.append(
                Problem(
                    _("IKU %(code)s of %(plan)s is missing from the crosswalk")
                    % {"code": code, "plan": old.code},
                    where=f"crosswalk.{code}",
                    field="crosswalk",
                )
            )
    return found


def overlap_problems(doc: PlanDocument, old: Plan | None) -> list[Problem]:
    """Two plans of one unit may share years only when one continues the other."""
    unit = OrgUnit.objects.filter(code=doc.unit.code).first()
    if unit is None:
        return []
    found = []
    others = Plan.objects.filter(
        unit=unit, start_year__lte=doc.period.end, end_year__gte=doc.period.start
    ).exclude(code=doc.code)
    for other in others.order_by("code"):
        related = (old is not None and other.code == old.code) or other.continues == doc.code
        if not related:
            found.append(
                Problem(
                    _(
                        "the period %(start)s–%(end)s overlaps plan %(code)s (%(ostart)s–%(oend)s) of the same unit, and neither continues the other"
                    )
                    % {
                        "start": doc.period.start,
                        "end": doc.period.end,
                        "code": other.code,
                        "ostart": other.start_year,
                        "oend": other.end_year,
                    },
                    where="period",
                    field="start",
                )
            )
    return found
