from decimal import Decimal

import pytest

from kinerja.accounts.models import OrgUnit
from kinerja.budget.models import BudgetLine
from kinerja.budget.queries import objective_totals, unit_year_totals
from kinerja.demo import budget

pytestmark = pytest.mark.django_db


def test_it_loads_illustrative_lines_once_with_programs_summing_their_kegiatan(wonoasih):
    first = budget.load(wonoasih)
    count = BudgetLine.objects.count()
    assert count == 5 * 12
    assert budget.load(wonoasih).startswith("0 ")
    assert BudgetLine.objects.count() == count
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    lines = {b.code: b for b in BudgetLine.objects.filter(year=2023)}
    for program in ("7.01.01", "7.01.02", "7.01.03"):
        kegiatan = [
            b for c, b in lines.items() if c.startswith(program + ".") and c.count(".") == 4
        ]
        assert lines[program].budget == sum(b.budget for b in kegiatan)
        assert lines[program].spent == sum(b.spent for b in kegiatan)
    sub = [lines["7.01.01.2.01.0001"], lines["7.01.01.2.01.0006"]]
    assert lines["7.01.01.2.01"].budget == sum(b.budget for b in sub)
    totals = unit_year_totals(kec, 2023)
    assert totals.budget == sum(lines[p].budget for p in ("7.01.01", "7.01.02", "7.01.03"))
    assert totals.absorption is not None
    assert Decimal(93) < totals.absorption < Decimal(97)  # the year's rate, a little less on some
    assert totals.spent == sum(lines[p].spent for p in ("7.01.01", "7.01.02", "7.01.03"))
    s2 = wonoasih.goals.get(code="T2").objectives.get(code="S2")
    assert objective_totals([s2], 2023)[s2.pk].budget == lines["7.01.02"].budget
    assert "illustrative" in first
