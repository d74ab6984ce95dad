"""Small plans for the results tests, fed by manual measures only (no other app needed)."""

from __future__ import annotations

from decimal import Decimal
from textwrap import dedent, indent
from typing import Any

from kinerja.accounts.models import OrgUnit
from kinerja.plan.actions import do_load_plan_text
from kinerja.plan.models import Plan
from kinerja.results.actions import do_approve_year, do_save_manual_value, do_submit_year
from kinerja_core.periods import Period

HEAD = """\
format: kinerja-plan/1
code: {code}
title: Rencana uji {code}
{unit}period: {{start: 2021, end: 2023, baseline: 2020}}
manual_measures:
- {{name: served, label: Warga dilayani, unit: number}}
- {{name: registered, label: Warga terdaftar, unit: number}}
- {{name: waiting_days, label: Rata-rata hari tunggu, unit: index}}
{extra}goals:
- code: T1
  name: Tujuan uji
  indicators:
{indicators}"""

COVERAGE = """\
- code: I1
  name: Cakupan layanan
  level: goal
  formula: served / registered * 100
  unit: percent
  data_source: Buku register
  responsible: Kasi Pelayanan
  targets: {2021: 50, 2022: 60, 2023: 70}
  quarter_targets: {2023: [20, 35, 50, 70]}
"""
GROWTH = """\
- code: I2
  name: Pertumbuhan layanan
  level: goal
  formula: (served_pct - prev(served_pct)) / prev(served_pct) * 100
  derived:
    served_pct:
      label: Persentase dilayani
      formula: served / registered * 100
      unit: percent
  unit: percent
  data_source: Buku register
  responsible: Kasi Pelayanan
  targets: {2021: 10, 2022: 10, 2023: 10}
"""
WAITING = """\
- code: I3
  name: Hari tunggu
  level: goal
  formula: waiting_days
  unit: number
  polarity: lower
  decimals: 1
  data_source: Buku register
  responsible: Kasi Pelayanan
  targets: {2021: 7, 2022: {low: 3, high: 5}, 2023: 0}
"""


UJI = """\
unit:
  code: kec-uji
  name: Uji
  level: kecamatan
  parents:
  - {code: kota-uji, name: Kota Uji, level: city}
  children:
  - {code: kel-satu, name: Satu, level: kelurahan}
  - {code: kel-dua, name: Dua, level: kelurahan}
"""
# Another kecamatan of the same city, for a second plan over the same years: two plans of one
# unit may share years only when one continues the other (docs/rules.md#plans-continuing-plans).
OTHER = """\
unit:
  code: {unit}
  name: {unit}
  level: kecamatan
  parents:
  - {{code: kota-uji, name: Kota Uji, level: city}}
"""


def plan_text(*indicators: str, code: str = "uji", extra: str = "", unit: str = "kec-uji") -> str:
    body = "".join(indicators) or COVERAGE
    unit_block = UJI if unit == "kec-uji" else OTHER.format(unit=unit)
    return HEAD.format(
        code=code, extra=extra, unit=unit_block, indicators=indent(dedent(body), "  ")
    )


def load(*indicators: str, code: str = "uji", extra: str = "", unit: str = "kec-uji") -> Plan:
    return do_load_plan_text(plan_text(*indicators, code=code, extra=extra, unit=unit))


def put(plan: Plan, name: str, unit: str, period: str, value: str | int) -> None:
    do_save_manual_value(
        plan, name, OrgUnit.objects.get(code=unit), Period.parse(period), Decimal(value)
    )


def approve(plan: Plan, year: int, submitter: Any, approver: Any) -> None:
    """Submit ``year`` as one user and approve it as another: a lock needs it."""
    do_submit_year(plan, year, submitter)
    do_approve_year(plan, year, approver)
