"""Every ``do_*`` action checks who acts: an outsider calling any of them is refused.

The actions are found by walking each app's ``actions`` module, so a new ``do_*`` without a row in
``CALLS`` fails ``test_every_action_has_a_call``: nobody adds a write that this test does not try.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kinerja.accounts.models import ApiKey, Membership, OrgUnit, Role
from kinerja.budget.models import BudgetLine
from kinerja.budget.rules import LineValues
from kinerja.community.models import Activity, Group, GroupKind
from kinerja.community.tests.factories import make_activity, make_group
from kinerja.monitoring.actions import do_add_renaksi_action
from kinerja.monitoring.models import Notification, RenaksiAction
from kinerja.monitoring.rules import NarrativeText
from kinerja.plan.actions import PlanRefused, check_plan_text
from kinerja.plan.models import Indicator, Plan
from kinerja.reports.actions import SignatoryInput, do_save_signatory
from kinerja.reports.models import Signatory, SigningDate
from kinerja.surveys.actions import (
    Answer,
    do_record_published_ikm,
    do_save_service,
    do_submit_response,
)
from kinerja.surveys.models import CODES, FollowUp, PublishedIkm, Response, Service
from kinerja.test import WONOASIH_PLAN
from kinerja_core.periods import Period

# What an action may raise to refuse: Django's refusal, or the plan loader's list of problems.
REFUSALS = (PermissionDenied, PlanRefused)
YEAR = 2023


@dataclass
class World:
    """Wonoasih objects an outsider tries to change, and the outsider."""

    outsider: Any
    planner: Any
    plan: Plan
    kec: OrgUnit
    kel: OrgUnit
    service: Service
    response: Response
    followup: FollowUp
    published: PublishedIkm
    group: Group
    activity: Activity
    membership: Membership
    api_key: ApiKey
    plan_text: str
    budget_line: BudgetLine
    renaksi_action: RenaksiAction
    notification: Notification


Call = Callable[[World], tuple[tuple[Any, ...], dict[str, Any]]]


def answer() -> Answer:
    return Answer(scores=dict.fromkeys(CODES, 3))


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


CALLS: dict[str, Call] = {
    # accounts
    "accounts.do_reset_two_factor": lambda w: ((w.outsider, w.planner), {}),
    "accounts.do_renew_recovery_codes": lambda w: ((w.outsider, w.planner), {}),
    "accounts.do_disable_two_factor": lambda w: ((w.outsider, w.planner), {}),
    "accounts.do_issue_api_key": lambda w: ((w.outsider, w.planner, "kunci", True), {}),
    "accounts.do_revoke_api_key": lambda w: ((w.outsider, w.api_key), {}),
    "accounts.do_grant_role": lambda w: ((w.outsider, w.outsider, w.kec, Role.ADMIN), {}),
    "accounts.do_remove_role": lambda w: ((w.outsider, w.membership), {}),
    # plan
    "plan.do_load_plan_text": lambda w: ((w.plan_text, w.outsider), {}),
    "plan.do_load_plan": lambda w: ((check_plan_text(w.plan_text)[0], w.outsider), {}),
    # results
    "results.do_recompute": lambda w: ((w.plan,), {"user": w.outsider}),
    "results.do_save_manual_value": lambda w: (
        (w.plan, "x", w.kel, Period(YEAR), Decimal(1), w.outsider),
        {},
    ),
    "results.do_submit_year": lambda w: ((w.plan, YEAR, w.outsider), {}),
    "results.do_approve_year": lambda w: ((w.plan, YEAR, w.outsider), {}),
    "results.do_return_year": lambda w: ((w.plan, YEAR, w.outsider, "perbaiki"), {}),
    "results.do_lock_year": lambda w: ((w.plan, YEAR, w.outsider), {}),
    "results.do_apply_pending": lambda w: ((w.plan, YEAR, "koreksi", w.outsider), {}),
    # reports
    "reports.do_issue_document": lambda w: ((w.outsider, w.plan, "pk", YEAR, "https://x.test"), {}),
    # monitoring
    "monitoring.do_save_quarter_targets": lambda w: (
        (w.outsider, w.plan, w.kec, YEAR, s11(w), [Decimal(20)] * 4),
        {},
    ),
    "monitoring.do_add_renaksi_action": lambda w: (
        (w.outsider, w.plan, w.kec, YEAR, s11(w)),
        {"name": "Fasilitasi", "budget_code": "", "position": "Kasi", "months": [1]},
    ),
    "monitoring.do_delete_renaksi_action": lambda w: ((w.outsider, w.renaksi_action), {}),
    "monitoring.do_save_quarter_narrative": lambda w: (
        (w.outsider, w.plan, w.kec, YEAR, 1, s11(w), NarrativeText("a", "b", "c")),
        {},
    ),
    "monitoring.do_move_quarter": lambda w: ((w.outsider, w.plan, w.kec, YEAR, 1, "submitted"), {}),
    "monitoring.do_read_notification": lambda w: ((w.outsider, w.notification), {}),
    # surveys
    "surveys.do_submit_response": lambda w: (
        (w.service, answer()),
        {"channel": Response.Channel.PAPER, "user": w.outsider},
    ),
    "surveys.do_issue_receipt_codes": lambda w: ((w.service, 5, w.outsider), {}),
    "surveys.do_delete_response": lambda w: ((w.response, w.outsider), {}),
    "surveys.do_correct_response": lambda w: (
        (w.outsider, w.response, Answer(scores=dict.fromkeys(CODES, 1))),
        {},
    ),
    "surveys.do_save_service": lambda w: (
        (w.kec,),
        {"code": "baru", "name": "Layanan baru", "user": w.outsider},
    ),
    "surveys.do_save_followup": lambda w: (
        (w.kec, str(YEAR)),
        {
            "element": CODES[0],
            "action": "tindakan",
            "owner": "seksi",
            "deadline": None,
            "status": FollowUp.Status.PLANNED,
            "user": w.outsider,
        },
    ),
    "surveys.do_record_published_ikm": lambda w: (
        (w.kec, 2019),
        {
            "value": Decimal("80.00"),
            "grade": "B",
            "method": "permenpanrb-14-2017",
            "document_title": "Laporan SKM 2019",
            "evidence": upload(),
            "user": w.outsider,
        },
    ),
    "surveys.do_decide_published_ikm": lambda w: (
        (w.published,),
        {"use_answers": True, "reason": "jawaban lengkap", "user": w.outsider},
    ),
    # community
    "community.do_save_group": lambda w: ((w.outsider, w.group), {}),
    "community.do_save_activity": lambda w: ((w.outsider, w.activity, [w.group]), {}),
    "community.do_add_evidence": lambda w: ((w.outsider, w.activity, upload()), {}),
    "community.do_delete_activity": lambda w: ((w.outsider, w.activity), {}),
    "community.do_save_group_kind": lambda w: (
        (w.outsider, GroupKind(code="baru", name="Jenis baru", city=w.kec.parent)),
        {},
    ),
    "community.do_delete_group_kind": lambda w: ((w.outsider, w.group.kind), {}),
    # reports
    "reports.do_save_signatory": lambda w: ((w.outsider, w.kec, head_signatory()), {}),
    "reports.do_end_signatory": lambda w: (
        (w.outsider, stored_signatory(w), date(YEAR, 6, 30)),
        {},
    ),
    "reports.do_delete_signatory": lambda w: ((w.outsider, stored_signatory(w)), {}),
    "reports.do_save_signing_date": lambda w: (
        (w.outsider, w.kec, "pk", YEAR, date(YEAR, 1, 15)),
        {},
    ),
    "reports.do_delete_signing_date": lambda w: (
        (
            w.outsider,
            SigningDate.objects.create(unit=w.kec, kind="pk", year=YEAR, date=date(YEAR, 1, 15)),
        ),
        {},
    ),
    "reports.do_save_lkjip_narrative": lambda w: (
        (w.outsider, w.kec, YEAR, "causes", "x", "S2.1"),
        {},
    ),
    # budget
    "budget.do_save_line": lambda w: (
        (w.outsider, w.budget_line, LineValues("7.01.03", "Diubah", Decimal(5), Decimal(1))),
        {},
    ),
    "budget.do_delete_line": lambda w: ((w.outsider, w.budget_line), {}),
    "budget.do_import_lines": lambda w: (
        (
            w.outsider,
            w.kec,
            YEAR,
            [(2, {"kode": "7.01.09", "nama": "x", "pagu": "1", "realisasi": "0"})],
        ),
        {"replace": True},  # the harsher path: it would also remove the stored line
    ),
    # reports: the PK per level
    "reports.do_save_pk_version": lambda w: (
        (w.outsider, w.plan, YEAR, "camat", "", date(YEAR, 1, 15)),
        {},
    ),
}


def head_signatory() -> SignatoryInput:
    return SignatoryInput("head", "Camat", "197003151995031002", "IV/b", "Camat", date(YEAR, 1, 1))


def stored_signatory(w: World) -> Signatory:
    return do_save_signatory(None, w.kec, head_signatory())


def s11(w: World) -> Indicator:
    return Indicator.objects.get(plan=w.plan, code="S1.1")


def discovered_actions() -> dict[str, Callable[..., Any]]:
    """Every ``do_*`` function defined in an ``actions`` module of a kinerja app."""
    found: dict[str, Callable[..., Any]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("kinerja."):
            continue
        name = f"{config.name}.actions"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        for attr, value in vars(module).items():
            if attr.startswith("do_") and inspect.isfunction(value) and value.__module__ == name:
                found[f"{config.label}.{attr}"] = value
    return found


def test_every_action_has_a_call() -> None:
    found = set(discovered_actions())
    assert found - set(CALLS) == set(), "new do_* actions: add them to CALLS with an outsider"
    assert set(CALLS) - found == set(), "CALLS names actions that no longer exist"


def stored_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model of the project (and users), to compare before and after."""
    labels = {c.label for c in apps.get_app_configs() if c.name.startswith("kinerja.")} | {"auth"}
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


@pytest.fixture
def world(people: Any, wonoasih: Plan) -> World:
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    kel = OrgUnit.objects.get(code="kel-wonoasih")
    service = do_save_service(kec, code="ktp", name="KTP", yearly_users={YEAR: 100})
    response, _created = do_submit_response(service, answer(), channel=Response.Channel.PAPER)
    followup = FollowUp.objects.create(
        unit=kec, period=str(YEAR), element=CODES[0], action="a", owner="o"
    )
    published = do_record_published_ikm(
        kec,
        YEAR,
        value=Decimal("74.67"),
        grade="B",
        method="kepmenpan-25-2004-rounded-weight",
        document_title="Laporan SKM",
        evidence=upload(),
    )
    group = make_group("RT-01", date(2015, 1, 1))
    activity = make_activity(date(YEAR, 3, 1), [group])
    group.name = "Diubah orang luar"  # unsaved: a changed copy the outsider tries to store
    activity.title = "Diubah orang luar"
    planner = people["planner"]
    return World(
        outsider=people["outsider"],
        planner=planner,
        plan=wonoasih,
        kec=kec,
        kel=kel,
        service=service,
        response=response,
        followup=followup,
        published=published,
        group=group,
        activity=activity,
        membership=Membership.objects.get(user=planner),
        api_key=ApiKey.objects.create(user=planner, name="kios", prefix="abcd1234", key_hash="0"),
        plan_text=WONOASIH_PLAN.read_text(encoding="utf-8"),
        budget_line=BudgetLine.objects.create(
            unit=kec, year=YEAR, code="7.01.03", level="program", name="Program", budget=10, spent=5
        ),
        renaksi_action=do_add_renaksi_action(
            None,
            wonoasih,
            kec,
            YEAR,
            Indicator.objects.get(plan=wonoasih, code="S1.1"),
            name="Fasilitasi",
            budget_code="",
            position="Kasi",
            months=[1],
        ),  # fmt: skip
        notification=Notification.objects.create(
            user=planner, kind="returned", key="k", text="t", created_at=timezone.now()
        ),
    )


@pytest.mark.parametrize("action", sorted(CALLS))
def test_it_refuses_an_outsider_and_stores_nothing(world: World, action: str) -> None:
    function = discovered_actions()[action]
    args, kwargs = CALLS[action](world)
    before = stored_state()
    with pytest.raises(REFUSALS):
        function(*args, **kwargs)
    assert stored_state() == before


def test_it_notices_a_new_action_without_a_call(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("kinerja.results.actions")

    def do_something_new(user: Any) -> None:  # pragma: no cover - never called
        pass

    do_something_new.__module__ = module.__name__
    monkeypatch.setattr(module, "do_something_new", do_something_new, raising=False)
    with pytest.raises(AssertionError, match="new do_"):
        test_every_action_has_a_call()


def test_it_refuses_evidence_on_another_units_activity_in_indonesian(world: World) -> None:
    from kinerja.community.actions import do_add_evidence

    with pytest.raises(PermissionDenied, match="Anda tidak berwenang mengubah kegiatan ini."):
        do_add_evidence(world.outsider, world.activity, upload())
