"""Each user's main pages, on the demo data, pass axe-core (docs/accessibility.md).

Every browser test is checked by axe-core through the `browser` fixture; this one makes sure the
check sees the pages each role works with: it logs in through the log-in form as each demo user
(`kinerja demo`), opens every entry of that user's main menu and the pages of the role's tasks,
and the citizen answers the public form on a phone. Pages are taken from the database and the
URL names, not written out, so renamed links and slugs follow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from kinerja.test import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_group_kinds"),
]

YEAR = "2024"  # the last year of the demo plan, with data in every app
PLAN = "wonoasih-2020-2024"
KEC = "kec-wonoasih"


def _result() -> str:
    from kinerja.results.models import Result

    result = Result.objects.filter(plan__code=PLAN, unit__code=KEC).order_by("pk").first()
    assert result is not None
    return reverse("results:detail", args=[result.pk])


def _group() -> str:
    from kinerja.community.models import Group

    group = Group.objects.order_by("pk").first()
    assert group is not None
    return reverse("community:group_detail", args=[group.pk])


def _service() -> Any:
    from kinerja.surveys.models import Service

    return Service.objects.filter(unit__code=KEC).order_by("pk").first()


def _user(username: str) -> str:
    from django.contrib.auth.models import User

    return reverse("accounts:user_detail", args=[User.objects.get(username=username).pk])


# Each role's device and the pages of its tasks beyond the main menu (built after the demo has
# loaded: some need the primary key of a demo record).
ROLES: dict[str, tuple[str, Callable[[], list[str]]]] = {
    "camat": (
        "desktop",
        lambda: [
            f"{reverse('home')}?year={YEAR}",
            _result(),
            f"{reverse('results:quarterly', args=[PLAN])}?unit={KEC}&year={YEAR}",
            reverse("results:locks", args=[PLAN]),
            reverse("plan:detail", args=[PLAN]),
        ],
    ),
    "perencana": (
        "desktop",
        lambda: [
            reverse("plan:detail", args=[PLAN]),
            reverse("plan:upload"),
            reverse("results:manual", args=[PLAN]),
            f"{reverse('results:quarterly', args=[PLAN])}?unit={KEC}&year={YEAR}",
        ],
    ),
    "pemas": (
        "phone",
        lambda: [
            reverse("community:activity_list"),
            _group(),
            reverse("community:group_create"),
            reverse("community:activity_create"),
            f"{reverse('community:drilldown')}?unit={KEC}&year={YEAR}",
            reverse("community:import"),
        ],
    ),
    "pelayanan": (
        "desktop",
        lambda: [
            reverse("surveys:service_list", args=[KEC]),
            reverse("surveys:results", args=[KEC, YEAR]),
            reverse("surveys:followup", args=[KEC, YEAR]),
            reverse("surveys:paper_entry", args=[_service().pk]),
            reverse("surveys:service_edit", args=[_service().pk]),
            reverse("surveys:service_poster", args=[_service().pk]),
            reverse("surveys:import", args=[KEC]),
        ],
    ),
    "operator.wonoasih": (
        "phone",
        lambda: [
            reverse("community:activity_create"),
            reverse("surveys:paper_entry", args=[_service().pk]),  # refused: the 403 page
        ],
    ),
    "admin": (
        "desktop",
        lambda: [
            reverse("accounts:roles"),
            _user("camat"),
            reverse("accounts:two_factor_enrol"),
            reverse("accounts:object_history", args=["surveys.service", _service().pk]),
            reverse("surveys:receipt_codes", args=[_service().pk]),
        ],
    ),
}


@pytest.mark.parametrize("username", list(ROLES))
def test_the_main_pages_of_each_role_pass_axe(
    username: str, request: Any, live_server: Any, axe: Any, demo: None
) -> None:
    from kinerja.demo.loader import DEMO_PASSWORD

    device, task_pages = ROLES[username]
    page = request.getfixturevalue(device)
    log_in(page, f"{live_server.url}{reverse('login')}", username, DEMO_PASSWORD)
    menu = page.eval_on_selector_all("nav.menu a[href]", "links => links.map(a => a.href)")
    assert len(menu) >= 3, f"{username} sees no main menu after logging in"
    visited = [page.url]
    for url in [*menu, *(f"{live_server.url}{path}" for path in task_pages())]:
        page.goto(url)
        visited.append(page.url)
    axe.finish()  # let the last page's check report before counting
    missing = [url for url in visited if url not in axe.checked]
    assert missing == [], "pages axe-core did not check"


def test_a_citizen_answers_the_survey_on_a_phone_and_every_page_passes_axe(
    phone: Any, live_server: Any, axe: Any, demo: None
) -> None:
    service = _service()
    page = phone
    page.goto(f"{live_server.url}{reverse('surveys_public:form', args=[service.slug])}")
    for i in range(1, 10):
        page.locator(f"label.opt:has(#id_u{i}_3)").click()
    with page.expect_navigation():
        page.click("button.send")
    assert "Terima kasih" in page.inner_text("main")
    page.goto(f"{live_server.url}{reverse('surveys_public:results', args=[KEC, YEAR])}")
    page.goto(f"{live_server.url}/tidak-ada/")  # the 404 page
    axe.finish()
    assert len(axe.checked) == 4, axe.checked
