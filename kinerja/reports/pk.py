"""The PK per level (docs/rules.md#pk-per-level): the Camat with the Wali Kota/Bupati, or an
officer (Sekcam, Kasi) with the Camat, each with its annex Sasaran Strategis · Indikator
Kinerja · Target and Program · Anggaran with the total, from the plan and the budget lines.

A stored version (``PkVersion``) prints its annex as it was agreed; without one the PK is built
from the current plan and budget.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from kinerja.budget.models import BudgetLine
from kinerja.budget.queries import lines_supporting, top_lines, totals_of
from kinerja.plan.chain import chain_of
from kinerja.plan.models import Indicator, Plan
from kinerja.results.formatting import target_text
from kinerja.results.queries import year_target
from kinerja_core.numbers import rupiah
from kinerja_core.periods import indonesian_date

from .builders import DOCUMENT_LANGUAGE, Common, Report, common, printed_name, sasaran_of
from .models import PkVersion, Signatory
from .signing import Signing, holder

CAMAT = PkVersion.Level.CAMAT
KASI = PkVersion.Level.KASI
# The plan asks for goal-level indicators in its PK with ``document.pk_goal_indicators: true``.
GOAL_INDICATORS_FLAG = "pk_goal_indicators"
OFFICER_SEPARATORS = re.compile(r"\s*[,;/]\s*")


@dataclass(frozen=True)
class PkRow:
    no: int
    sasaran: str
    indicator: str
    target: str


@dataclass(frozen=True)
class ProgramRow:
    no: int
    code: str
    program: str
    budget: str  # "Rp 1.200.000"


@dataclass(frozen=True)
class PkReport(Report):
    rows: list[PkRow]
    programs: list[ProgramRow]
    budget_total: str
    level: str = CAMAT
    officer: str = ""
    version: int = 0  # 0: not stored, built from the current data
    reason: str = ""
    version_date: str = ""


def officers_of(indicator: Indicator) -> list[str]:
    """The positions an indicator's ``responsible`` names ("Kasi Pelayanan, Kasi Pemerintahan")."""
    return [p for p in OFFICER_SEPARATORS.split(indicator.responsible.strip()) if p]


def holds(indicator: Indicator, officer: str) -> bool:
    wanted = officer.strip().casefold()
    return any(p.casefold() == wanted for p in officers_of(indicator))


def wants_goal_indicators(plan: Plan) -> bool:
    value = str((plan.document or {}).get(GOAL_INDICATORS_FLAG, "")).strip().lower()
    return value in ("true", "ya", "yes", "1")


def pk_indicators(
    plan: Plan, indicators: list[Indicator], level: str, officer: str
) -> list[Indicator]:
    """The IKUs a PK lists: sasaran-level ones (goal-level too when the plan asks, or when it
    has no sasaran-level IKU: its goals are its sasaran), each code once; for an officer, those
    whose responsible officers include them."""
    with_goals = wants_goal_indicators(plan) or not any(
        i.iku and i.level == Indicator.Level.OBJECTIVE for i in indicators
    )
    chosen: list[Indicator] = []
    seen: set[str] = set()
    for ind in indicators:
        if not ind.iku or ind.code in seen:
            continue
        if ind.level != Indicator.Level.OBJECTIVE and not with_goals:
            continue
        if level == KASI and not holds(ind, officer):
            continue
        seen.add(ind.code)
        chosen.append(ind)
    return chosen


def budget_lines(plan: Plan, year: int, level: str, chosen: list[Indicator]) -> list[BudgetLine]:
    """The Camat's PK: every top line of the unit's year; an officer's: the lines linked to
    their indicators or to those indicators' sasaran."""
    if level == CAMAT:
        return top_lines(BudgetLine.objects.filter(unit=plan.unit, year=year).order_by("code"))
    return lines_supporting(
        plan.unit,
        year,
        [i.pk for i in chosen],
        [i.objective_id for i in chosen if i.objective_id is not None],
    )


def plan_for(plan: Plan, year: int) -> Plan:
    """The plan of the PK's year: ``plan`` or the plan of its chain whose period holds the year
    (a PK of 2024 asked of the 2025–2029 plan is the 2020–2024 plan's)."""
    if plan.start_year <= year <= plan.end_year:
        return plan
    return next((p for p in chain_of(plan) if p.start_year <= year <= p.end_year), plan)


def check_request(plan: Plan, level: str, officer: str) -> None:
    if level not in PkVersion.Level.values:
        raise ValidationError(_("unknown PK level %(level)s (camat or kasi)") % {"level": level})
    if level == KASI and not officer.strip():
        raise ValidationError(_("a Sekcam/Kasi PK names its officer (--officer)"))


def officer_signing(base: Signing, plan: Plan, officer: str) -> Signing:
    """An officer's PK: the officer first party, the head of the unit (the Camat) second.
    The officer is whoever held that position in the officer role on the signing date."""
    day = base.date
    found = None
    if day is not None:
        for s in Signatory.objects.filter(unit=plan.unit, role=Signatory.Role.OFFICER):
            if s.position.casefold() == officer.strip().casefold() and s.holds_on(day):
                found = s
    head = holder(plan.unit, Signatory.Role.HEAD, day) if day else None
    return dataclasses.replace(
        base,
        title=found.position if found else officer,
        name=found.name if found else "",
        nip=found.nip if found else "",
        rank=found.rank if found else "",
        superior_title=head.position if head else base.title,
        superior_name=head.name if head else base.name,
        superior_nip=head.nip if head else base.nip,
        superior_rank=head.rank if head else base.rank,
        draft=base.date is None or found is None or not (head.name if head else base.name),
    )


def has_no_target(indicator: Indicator, year: int) -> bool:
    """No target row for the year, or one the plan left empty (``2024: null``)."""
    target = year_target(indicator, year)
    return target is None or target.comparable() is None


def live_annex(
    plan: Plan, year: int, level: str, officer: str, indicators: list[Indicator]
) -> dict[str, object]:
    """The annex from the current plan and budget; a missing target refuses the PK."""
    chosen = pk_indicators(plan, indicators, level, officer)
    if not chosen:
        raise ValidationError(
            _("plan %(plan)s has no indicator for this PK (%(who)s) in %(year)d")
            % {"plan": plan.code, "who": officer or level, "year": year}
        )
    missing = [i for i in chosen if has_no_target(i, year)]
    if missing:
        raise ValidationError(
            _("no target for %(year)d: %(indicators)s")
            % {"year": year, "indicators": "; ".join(f"{i.code} {i.name}" for i in missing)}
        )
    lines = budget_lines(plan, year, level, chosen)
    return {
        "rows": [
            {
                "sasaran": sasaran_of(i),
                "indicator": printed_name(plan, i.code, i.name),
                "target": target_text(i, year_target(i, year)),
            }
            for i in chosen
        ],
        "programs": [
            {"code": line.code, "program": line.name, "budget": str(line.budget)} for line in lines
        ],
        "total": str(totals_of(lines).budget),
    }


def latest_version(plan: Plan, year: int, level: str, officer: str) -> PkVersion | None:
    return (
        PkVersion.objects.filter(plan=plan, year=year, level=level, officer=officer.strip())
        .order_by("-version")
        .first()
    )


def build_level_pk(
    plan: Plan,
    year: int,
    on: date | None = None,
    level: str = CAMAT,
    officer: str = "",
    version: int | None = None,
) -> PkReport:
    """The PK of ``level`` (and ``officer``): the stored ``version`` (default: the latest
    stored), or built from the current data when none is stored."""
    check_request(plan, level, officer)
    plan = plan_for(plan, year)
    officer = officer.strip() if level == KASI else ""
    stored = (
        PkVersion.objects.filter(
            plan=plan, year=year, level=level, officer=officer, version=version
        ).first()
        if version is not None
        else latest_version(plan, year, level, officer)
    )
    if version is not None and stored is None:
        raise ValidationError(
            _("PK %(year)d has no version %(version)d") % {"year": year, "version": version}
        )
    on = on or (stored.date if stored else None)
    # The figures and names in Indonesian, whatever the page's or the command line's language
    # (the refusals above stay in the user's).
    with translation.override(DOCUMENT_LANGUAGE):
        base = common(plan, year, on, "pk")
        if level == KASI:
            base = dataclasses.replace(base, signing=officer_signing(base.signing, plan, officer))
        annex = stored.annex if stored else live_annex(plan, year, level, officer, base.indicators)
        return report_of(base, annex, level, officer, stored)


def report_of(
    base: Common, annex: dict[str, object], level: str, officer: str, stored: PkVersion | None
) -> PkReport:
    rows = annex["rows"]
    programs = annex["programs"]
    assert isinstance(rows, list) and isinstance(programs, list)
    return PkReport(
        common=base,
        rows=[PkRow(no=n, **r) for n, r in enumerate(rows, start=1)],
        programs=[
            ProgramRow(
                no=n, code=p["code"], program=p["program"], budget=rupiah(Decimal(p["budget"]))
            )
            for n, p in enumerate(programs, start=1)
        ],
        budget_total=rupiah(Decimal(str(annex["total"]))),
        level=level,
        officer=officer,
        version=stored.version if stored else 0,
        reason=stored.reason if stored else "",
        version_date=indonesian_date(stored.date) if stored else "",
    )


def build_pk(plan: Plan, year: int, on: date | None = None) -> PkReport:
    """The Camat's PK, as the registry builds every document (plan, year, signing day)."""
    return build_level_pk(plan, year, on)


def officer_positions(plan: Plan, indicators: list[Indicator]) -> list[str]:
    """The positions holding at least one indicator of the Camat's PK: one PK each."""
    found: dict[str, str] = {}
    for ind in pk_indicators(plan, indicators, CAMAT, ""):
        for position in officers_of(ind):
            found.setdefault(position.casefold(), position)
    return list(found.values())


def download_query(request_get: Mapping[str, str], plan: Plan, year: int) -> PkReport:
    """The PK a download link asks for (``level``, ``officer``, ``version``), refused with a
    ValidationError like the command line's."""
    raw_version = request_get.get("version", "")
    return build_level_pk(
        plan,
        year,
        None,
        request_get.get("level", CAMAT),
        request_get.get("officer", ""),
        int(raw_version) if raw_version.isdigit() else None,
    )
