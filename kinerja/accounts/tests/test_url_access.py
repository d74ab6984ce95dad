"""Every URL of the site and the API, walked from the resolver: an anonymous user and an
outsider (operator of a kelurahan in another kecamatan) are refused wherever they should be.

A new URL needs either an entry in PUBLIC (with the reason) or values for its path parameters
in PARAMS; without one this test fails, so no view ships without an access rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kinerja.accounts.actions import do_issue_api_key
from kinerja.accounts.models import Membership, OrgUnit
from kinerja.lib.models import PendingUpload

pytestmark = pytest.mark.django_db

# URL name → why anyone may open it. Everything else must refuse anonymous users.
PUBLIC: dict[str, str] = {
    "login": "the log-in page",
    "logout": "logging out is harmless for anyone",
    "admin:logout": "logging out is harmless for anyone",
    "set_language": "language switch",
    "healthz": "load balancer health check",
    "accounts:two_factor_verify": "second log-in step; without a pending log-in it redirects to log-in",
    "accounts:two_factor_enrol": "enrolment during log-in; without one it redirects to log-in",
    "surveys_public:form": "the citizens' survey form",
    "surveys_public:thanks": "the survey's thank-you page",
    "surveys_public:another": "a blank survey form for the next person on a shared device",
    "surveys_public:results": "published IKM results",
    "surveys_public:poster_pdf": "published IKM poster",
    "surveys_public:poster_png": "published IKM poster",
    "api:openapi": "the API's description",
    "api:not_found": "JSON 404 for unknown API addresses",
    "documents_public:verify": "an issued document's verification page (its QR code is printed)",
    "documents_public:file": "an issued document: offices publish them",
    "documents_public:unit": "a unit's list of issued documents: offices publish them",
}

# URL name with path parameters → why every logged-in user, the outsider too, may open it. The
# outsider test checks that nothing of Kecamatan Wonoasih appears on them.
EVERY_USER: dict[str, str] = {
    "guide_page": "the user guide's page of a role: the same text for everyone",
}

# Parameterless staff pages an outsider may open (they list only the outsider's own units); the
# test checks that nothing of Kecamatan Wonoasih appears on them.
LEAK_MARKERS = ("Wonoasih", "wonoasih")


def walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace or ""]))
            yield from walk(p.url_patterns, ns)
        elif p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


@pytest.fixture
def world(people: Any, wonoasih: Any) -> dict[str, Any]:
    """One real object of every kind a URL points at, all in Kecamatan Wonoasih."""
    from kinerja.community.models import Evidence, GroupKind
    from kinerja.community.tests.factories import make_activity, make_group
    from kinerja.plan.models import Indicator
    from kinerja.results.models import ManualValue, Result
    from kinerja.surveys.actions import Answer, do_submit_response
    from kinerja.surveys.models import CODES, ImportJob, PublishedIkm, Response, Service

    kec = OrgUnit.objects.get(code="kec-wonoasih")
    kel = OrgUnit.objects.get(code="kel-wonoasih")
    group = make_group("RT-01", date(2015, 1, 1))
    activity = make_activity(date(2022, 3, 1), [group])
    result = Result.objects.create(
        plan=wonoasih,
        indicator=Indicator.objects.filter(plan=wonoasih).earliest("pk"),
        unit=kec,
        period_key="2022",
        year=2022,
        computed_at=timezone.now(),
    )
    manual = ManualValue.objects.create(
        plan=wonoasih, name="x", unit=kel, period_key="2022", year=2022, value=1
    )
    evidence = Evidence.objects.create(
        activity=activity, file="community/evidence/x.pdf", original_name="x.pdf",
        content_type="application/pdf", size=1,
    )  # fmt: skip
    service = Service.objects.create(unit=kec, code="ktp", name="KTP", slug="ktp234")
    # A kind of the city the outsider's kelurahan also belongs to: theirs to use, not to change.
    kind = GroupKind.objects.create(code="kampung-kb", name="Kampung KB", city=kec.parent)
    response, _created = do_submit_response(
        service, Answer(scores=dict.fromkeys(CODES, 3)), channel=Response.Channel.PAPER
    )
    api_key, _secret = do_issue_api_key(people["planner"], people["planner"], "kiosk", True)
    import_job = ImportJob.objects.create(unit=kec, user=people["planner"], filename="a.csv")
    # A checked file of Wonoasih's Camat, waiting for confirmation.
    pending = PendingUpload.objects.create(
        user=people["head"], purpose="surveys:import:kec-wonoasih", filename="a.csv",
        path="a.csv", size=1, expires_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    published = PublishedIkm.objects.create(
        unit=kec, year=2019, value=80, grade="B", method="permenpanrb-14-2017",
        document_title="Laporan SKM 2019", evidence="surveys/published/x.pdf",
        evidence_type="application/pdf", entered_at=timezone.now(),
    )  # fmt: skip
    from kinerja.budget.models import BudgetLine
    from kinerja.monitoring.actions import do_add_renaksi_action
    from kinerja.monitoring.models import Notification
    from kinerja.monitoring.notifications import notify

    budget_line = BudgetLine.objects.create(
        unit=kec, year=2022, code="7.01.03", level="program", name="Program", budget=10, spent=5
    )
    renaksi_action = do_add_renaksi_action(
        None, wonoasih, kec, 2022, Indicator.objects.filter(plan=wonoasih).earliest("pk"),
        name="Fasilitasi", budget_code="", position="Kasi", months=[1],
    )  # fmt: skip
    notify([people["planner"]], "returned", "k", "Laporan TW 1 Wonoasih dikembalikan")
    return {
        "budget_line": budget_line,
        "renaksi_action": renaksi_action,
        "notification": Notification.objects.get(user=people["planner"]),
        "published": published,
        "import_job": import_job,
        "pending": pending,
        "plan": wonoasih,
        "result": result,
        "manual": manual,
        "group": group,
        "activity": activity,
        "evidence": evidence,
        "kind": kind,
        "response": response,
        "service": service,
        "api_key": api_key,
        "membership": Membership.objects.get(user=people["planner"]),
        "people": people,
    }


W = dict[str, Any]


def PLAN(w: W) -> dict[str, Any]:  # noqa: N802 - reads like the constant it stands for
    return {"code": w["plan"].code}


def UNIT_PERIOD(w: W) -> dict[str, Any]:  # noqa: N802
    return {"unit_code": "kec-wonoasih", "period_key": "2024"}


def SERVICE(w: W) -> dict[str, Any]:  # noqa: N802
    return {"pk": w["service"].pk}


def ISSUED(w: W) -> dict[str, Any]:  # noqa: N802
    """The code of an issued document of Kecamatan Wonoasih (made on first use)."""
    from django.core.files.base import ContentFile

    from kinerja.reports.models import IssuedDocument

    found = IssuedDocument.objects.filter(plan=w["plan"]).first()
    if found is None:
        found = IssuedDocument(
            plan=w["plan"], unit=w["plan"].unit, kind="pk", year=2022, version=1,
            number="PK/kec-wonoasih/2022/V1", title="Perjanjian Kinerja", size=9,
            sha256="0" * 64, issued_by_name="uji", issued_at=timezone.now(),
        )  # fmt: skip
        found.file.save("pk.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {"code": found.code}


# URL name → its path parameters, from the objects above.
PARAMS: dict[str, Callable[[W], dict[str, Any]]] = {
    "plan:detail": PLAN,
    "plan:export": PLAN,
    "results:detail": lambda w: {"pk": w["result"].pk},
    "results:recompute": PLAN,
    "results:manual": PLAN,
    "results:evidence": lambda w: {"pk": w["manual"].pk},
    "results:quarterly": PLAN,
    "results:locks": PLAN,
    "results:lock_year": lambda w: {"code": w["plan"].code, "year": 2022},
    "results:apply": lambda w: {"code": w["plan"].code, "year": 2022},
    "results:submit_year": lambda w: {"code": w["plan"].code, "year": 2022},
    "results:approve_year": lambda w: {"code": w["plan"].code, "year": 2022},
    "results:return_year": lambda w: {"code": w["plan"].code, "year": 2022},
    "reports:download": lambda w: {"kind": "capaian", "fmt": "xlsx"},
    "reports:issue": lambda w: {"kind": "pk"},
    "documents_public:verify": ISSUED,
    "documents_public:file": ISSUED,
    "documents_public:unit": lambda w: {"unit_code": "kec-wonoasih"},
    "monitoring:renaksi": PLAN,
    "monitoring:save_targets": lambda w: {**PLAN(w), "year": 2022, "indicator": "S1.1"},
    "monitoring:add_action": lambda w: {**PLAN(w), "year": 2022},
    "monitoring:delete_action": lambda w: {"pk": w["renaksi_action"].pk},
    "monitoring:report": lambda w: {**PLAN(w), "year": 2022, "quarter": 1},
    "monitoring:narrative": lambda w: {**PLAN(w), "year": 2022, "quarter": 1, "indicator": "S1.1"},
    "monitoring:submit_quarter": lambda w: {**PLAN(w), "year": 2022, "quarter": 1},
    "monitoring:approve_quarter": lambda w: {**PLAN(w), "year": 2022, "quarter": 1},
    "monitoring:return_quarter": lambda w: {**PLAN(w), "year": 2022, "quarter": 1},
    "monitoring:not_reported": lambda w: {**PLAN(w), "year": 2022, "quarter": 1},
    "monitoring:read_notification": lambda w: {"pk": w["notification"].pk},
    "community:group_detail": lambda w: {"pk": w["group"].pk},
    "community:group_edit": lambda w: {"pk": w["group"].pk},
    "community:activity_edit": lambda w: {"pk": w["activity"].pk},
    "community:activity_delete": lambda w: {"pk": w["activity"].pk},
    "community:evidence": lambda w: {"pk": w["evidence"].pk},
    "community:kind_edit": lambda w: {"pk": w["kind"].pk},
    "community:kind_delete": lambda w: {"pk": w["kind"].pk},
    "community:import_confirm": lambda w: {"pk": w["pending"].pk},
    "surveys:service_list": lambda w: {"unit_code": "kec-wonoasih"},
    "surveys:service_create": lambda w: {"unit_code": "kec-wonoasih"},
    "surveys:import": lambda w: {"unit_code": "kec-wonoasih"},
    "surveys:import_confirm": lambda w: {"unit_code": "kec-wonoasih", "pk": w["pending"].pk},
    "surveys:import_template": lambda w: {"unit_code": "kec-wonoasih", "fmt": "csv"},
    "surveys:results": UNIT_PERIOD,
    "surveys:export": lambda w: {**UNIT_PERIOD(w), "fmt": "csv"},
    "surveys:followup": UNIT_PERIOD,
    "surveys:service_detail": SERVICE,
    "surveys:service_edit": SERVICE,
    "surveys:service_qr": lambda w: {**SERVICE(w), "fmt": "svg"},
    "surveys:service_poster": SERVICE,
    "surveys:service_poster_pdf": SERVICE,
    "surveys:receipt_codes": SERVICE,
    "surveys:paper_entry": SERVICE,
    "surveys:paper_correct": lambda w: {**SERVICE(w), "response_pk": w["response"].pk},
    "surveys:import_job": lambda w: {"pk": w["import_job"].pk},
    "surveys:published_ikm": lambda w: {"unit_code": "kec-wonoasih"},
    "surveys:published_ikm_decide": lambda w: {"unit_code": "kec-wonoasih", "year": 2019},
    "surveys:published_ikm_document": lambda w: {"pk": w["published"].pk},
    "surveys:suggestions": UNIT_PERIOD,
    "surveys:suggestions_export": lambda w: {**UNIT_PERIOD(w), "fmt": "csv"},
    "surveys_public:results": UNIT_PERIOD,
    "surveys_public:poster_pdf": UNIT_PERIOD,
    "surveys_public:poster_png": UNIT_PERIOD,
    "surveys_public:form": lambda w: {"slug": w["service"].slug},
    "surveys_public:thanks": lambda w: {"slug": w["service"].slug},
    "surveys_public:another": lambda w: {"slug": w["service"].slug},
    "accounts:api_key_revoke": lambda w: {"pk": w["api_key"].pk},
    "accounts:role_remove": lambda w: {"pk": w["membership"].pk},
    "accounts:user_detail": lambda w: {"pk": w["people"]["head"].pk},
    "accounts:two_factor_reset": lambda w: {"pk": w["people"]["head"].pk},
    "accounts:object_history": lambda w: {"model": "plan.plan", "object_id": w["plan"].pk},
    "api:unit_ikm": lambda w: {"code": "kec-wonoasih"},
    "api:unit_groups": lambda w: {"code": "kec-wonoasih"},
    "api:plan": PLAN,
    "api:plan_indicators": PLAN,
    "api:plan_results": PLAN,
    "api:plan_indicator_series": lambda w: {**PLAN(w), "indicator": "S2.1"},
    "api:plan_manual_values": PLAN,
    "api:service_responses": lambda w: {"slug": w["service"].slug},
    "api:not_found": lambda w: {"rest": "nothing-here"},
    "guide_page": lambda w: {"page": "camat"},
    "budget:create": lambda w: {"unit_code": "kec-wonoasih", "year": 2022},
    "budget:import": lambda w: {"unit_code": "kec-wonoasih", "year": 2022},
    "budget:import_confirm": lambda w: {
        "unit_code": "kec-wonoasih",
        "year": 2022,
        "pk": w["pending"].pk,
    },
    "budget:export": lambda w: {"unit_code": "kec-wonoasih", "year": 2022},
    "budget:edit": lambda w: {"pk": w["budget_line"].pk},
    "budget:delete": lambda w: {"pk": w["budget_line"].pk},
}
# Query strings some pages need to find their object.
QUERY: dict[str, str] = {
    "reports:download": "?plan=wonoasih-2020-2024&year=2022",
    "reports:signing": "?plan=wonoasih-2020-2024",
    "reports:narratives": "?plan=wonoasih-2020-2024&year=2022",
}
# The admin's own parameters (every admin page needs staff status first).
ADMIN_PARAMS = {"object_id": "1", "id": "1", "app_label": "accounts", "content_type_id": "1"}


def urls(w: W) -> list[tuple[str, str, bool]]:
    """(name, URL, has path parameters) for every named URL pattern."""
    found, missing = [], []
    for name, _pattern in walk(get_resolver().url_patterns):
        names = param_names_of(name)
        if name.startswith("admin:"):
            kwargs = {k: ADMIN_PARAMS[k] for k in names}
        elif names:
            if name not in PARAMS:
                missing.append(f"{name} {sorted(names)}")
                continue
            kwargs = PARAMS[name](w)
        else:
            kwargs = {}
        found.append((name, reverse(name, kwargs=kwargs) + QUERY.get(name, ""), bool(names)))
    assert not missing, "add path parameter values to PARAMS for: " + "; ".join(missing)
    return found


def param_names_of(name: str) -> set[str]:
    resolver = get_resolver()
    *namespaces, short = name.split(":")
    for ns in namespaces:
        resolver = resolver.namespace_dict[ns][1]
    names: set[str] = set()
    for possibility, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(short):
        for _text, params in possibility:
            names |= set(params)
    return names


def is_login_redirect(response: Any) -> bool:
    location: str = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith("/accounts/login/") or location.startswith("/admin/login/")
    )


def refused(response: Any, api: bool) -> bool:
    if api:
        return response.status_code in (401, 403, 404, 405)
    return is_login_redirect(response) or response.status_code in (403, 404, 405)


def test_it_refuses_anonymous_users_everywhere_but_public_pages(world):
    anonymous = Client()
    problems = []
    for name, url, _has_params in urls(world):
        if name in PUBLIC:
            continue
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            api = name.startswith("api:")
            ok = (
                response.status_code in (401, 405)
                if api
                else (is_login_redirect(response) or response.status_code == 405)
            )
            if not ok:
                problems.append(
                    f"{method.upper()} {url} ({name}) → {response.status_code} {response.get('Location', '')}"
                )
    assert not problems, "anonymous users not refused:\n" + "\n".join(problems)


def test_it_refuses_an_outsider_everything_of_another_kecamatan(world, login):
    outsider = world["people"]["outsider"]
    site = login(outsider)
    _key, secret = do_issue_api_key(outsider, outsider, "outsider", True)
    api_client = Client(headers={"Authorization": f"Bearer {secret}"})
    problems = []
    for name, url, has_params in urls(world):
        if name in PUBLIC:
            continue
        api = name.startswith("api:")
        client = api_client if api else site
        if has_params and name not in EVERY_USER:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if not refused(response, api):
                    problems.append(
                        f"{method.upper()} {url} ({name}) → {response.status_code} {response.get('Location', '')}"
                    )
        else:
            response = client.get(url)
            if response.status_code >= 500:
                problems.append(f"GET {url} ({name}) → {response.status_code}")
            elif response.status_code == 200 and not response.streaming:
                text = response.content.decode("utf-8", "replace")
                leaked = [m for m in LEAK_MARKERS if m in text]
                if leaked:
                    problems.append(f"GET {url} ({name}) shows {leaked[0]!r} to an outsider")
    assert not problems, "outsider not refused:\n" + "\n".join(problems)


def test_it_lets_everyone_open_the_public_pages(world):
    anonymous = Client()
    for name, url, _has_params in urls(world):
        if name in PUBLIC and name not in {"logout", "set_language"}:
            assert anonymous.get(url).status_code < 500, url
