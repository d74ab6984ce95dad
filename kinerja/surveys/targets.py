"""Sample targets where they are decided: each service's yearly users, its Krejcie–Morgan
target and the answers so far, and the unit's target over the services that have a number of
users (docs/rules.md#sample-size-per-service). Two grouped queries, whatever the number of
services."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear

from kinerja.accounts.models import OrgUnit
from kinerja_core.sampling import krejcie_morgan

from .models import DailyTally, Service, ServiceVolume

FULL = 100


@dataclass(frozen=True)
class Progress:
    """Answers against a target; no target without a number of users."""

    users: int | None
    answers: int

    @property
    def target(self) -> int | None:
        return krejcie_morgan(self.users) if self.users else None

    @property
    def percent(self) -> int | None:
        """Whole percent of the target reached, at most 100 (for the bar's label)."""
        target = self.target
        if not target:
            return None
        return min(FULL, self.answers * FULL // target)

    @property
    def reached(self) -> bool:
        target = self.target
        return bool(target) and self.answers >= (target or 0)


@dataclass(frozen=True)
class ServiceTarget(Progress):
    service: Service


@dataclass(frozen=True)
class UnitTarget(Progress):
    """The unit's services of a year; the target counts only those with users."""

    year: int
    services: tuple[ServiceTarget, ...]

    @property
    def counted(self) -> list[ServiceTarget]:
        return [s for s in self.services if s.users]

    @property
    def without_users(self) -> list[Service]:
        return [s.service for s in self.services if not s.users]

    @property
    def all_answers(self) -> int:
        return sum(s.answers for s in self.services)

    @property
    def services_total(self) -> int:
        """The counted services' own targets added up: what measuring each service on its own
        would take (more than the unit's target, which is over all their users at once)."""
        return sum(s.target or 0 for s in self.counted)


def yearly_users(services: Sequence[Service], year: int) -> dict[int, int]:
    rows = ServiceVolume.objects.filter(service__in=services, year=year)
    return dict(rows.values_list("service_id", "users"))


def answers_in_year(services: Sequence[Service], year: int) -> dict[int, int]:
    """Responses stored for each service in the year, from the daily rollup."""
    rows = (
        DailyTally.objects.filter(service__in=services, day__year=year)
        .values("service_id")
        .annotate(n=Sum("respondents"))
        .order_by()
    )
    return {row["service_id"]: int(row["n"] or 0) for row in rows}


def service_targets(services: Sequence[Service], year: int) -> list[ServiceTarget]:
    users = yearly_users(services, year)
    answers = answers_in_year(services, year)
    return [
        ServiceTarget(users=users.get(s.pk), answers=answers.get(s.pk, 0), service=s)
        for s in services
    ]


def unit_target(services: Sequence[Service], year: int) -> UnitTarget:
    rows = tuple(service_targets(services, year))
    counted = [s for s in rows if s.users]
    return UnitTarget(
        users=sum(s.users or 0 for s in counted) or None,
        answers=sum(s.answers for s in counted),
        year=year,
        services=rows,
    )


@dataclass(frozen=True)
class YearTarget(Progress):
    year: int


def years_of(service: Service, current: int) -> list[YearTarget]:
    """The service's years with users or answers, and the current one, latest first."""
    users = dict(service.volumes.values_list("year", "users"))
    rows = (
        DailyTally.objects.filter(service=service)
        .annotate(year=ExtractYear("day"))
        .values("year")
        .annotate(n=Sum("respondents"))
        .order_by()
    )
    answers = {int(row["year"]): int(row["n"] or 0) for row in rows}
    years = sorted({current, *users, *answers}, reverse=True)
    return [YearTarget(users=users.get(y), answers=answers.get(y, 0), year=y) for y in years]


def without_users(unit: OrgUnit, year: int) -> list[Service]:
    """The services of the unit's subtree with no users for the year, active or answered in
    it: a target of the subtree leaves them out, so the page names them."""
    volume = ServiceVolume.objects.filter(service=OuterRef("pk"), year=year)
    answered = DailyTally.objects.filter(service=OuterRef("pk"), day__year=year)
    return list(
        Service.objects.filter(unit.subtree_q())
        .filter(Q(active=True) | Exists(answered))
        .exclude(Exists(volume))
        .order_by("name")
    )
