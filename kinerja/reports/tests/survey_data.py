"""Survey answers for the SKM report tests: the regulation's worked example in any year."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from kinerja.accounts.models import OrgUnit
from kinerja.surveys.actions import Answer, do_save_service, do_submit_response
from kinerja.surveys.models import CODES, FollowUp, Response

# DESIGN worked example: 29 responses, element totals U1…U9 → IKM 91,475… → 91,48, grade A.
RESPONDENTS = 29
TOTALS = (105, 101, 100, 116, 102, 105, 106, 115, 105)
EXAMPLE_IKM = "91,48"
SUGGESTIONS = ("Ruang tunggu sempit.", "ruang tunggu sempit. ", "Parkir kurang.")


def scores_of(respondent: int) -> dict[str, int]:
    """The respondent's answers: of each element's total, T // 29 for every respondent and one
    more for the first T % 29 of them."""
    return {
        code: total // RESPONDENTS + (1 if respondent < total % RESPONDENTS else 0)
        for code, total in zip(CODES, TOTALS, strict=True)
    }


def answer_the_example(unit: OrgUnit, year: int, users: int = 40) -> None:
    service = do_save_service(
        unit, code=f"ktp{year}", name=f"KTP {year}", yearly_users={year: users}
    )
    for n in range(RESPONDENTS):
        do_submit_response(
            service,
            Answer(
                scores=scores_of(n),
                gender="LP"[n % 2],
                suggestion=SUGGESTIONS[n] if n < len(SUGGESTIONS) else "",
            ),
            channel=Response.Channel.PAPER,
            submitted_at=timezone.make_aware(datetime(year, 3, 1 + n % 28, 9, 0)),
        )


def plan_followup(unit: OrgUnit, year: int, action: str, status: str) -> FollowUp:
    return FollowUp.objects.create(
        unit=unit,
        period=str(year),
        element="U3",
        action=action,
        owner="Kasi Pelayanan",
        status=status,
    )
