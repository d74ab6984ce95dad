"""Attack regressions: hostile plan files get a message naming the line or field, never a 500,
a full memory or a minute of CPU, and nothing is stored (docs/security.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kinerja.accounts.models import OrgUnit
from kinerja.plan.actions import PlanRefused, check_plan_text, do_load_plan_text
from kinerja.plan.explanation import to_html, to_plain
from kinerja.plan.models import Plan
from kinerja.plan.planfile import PlanFileError, parse_plan
from kinerja.test import WONOASIH_PLAN
from kinerja_core.formula import identical_ratio

PLAN = """\
format: kinerja-plan/1
code: uji-2021-2022
title: Rencana uji
unit:
  code: kec-uji
  name: Uji
  level: kecamatan
period: {start: 2021, end: 2022}
profile:
  function: Fungsi kecamatan
manual_measures:
- {name: served, label: Warga dilayani}
bands:
- {minimum: 100, key: met, label: Tercapai, colour: "#2e7d32"}
- {minimum: null, key: not_met, label: Tidak tercapai, colour: "#c62828"}
goals:
- code: T1
  name: Tujuan uji
  indicators:
  - code: I1
    name: Warga dilayani
    level: goal
    explanation: Jumlah warga dilayani
    formula: served
    unit: number
    cap: 150
    data_source: Buku register
    responsible: Kasi Pelayanan
    targets: {2021: 50, 2022: 60}
    quarter_targets: {2022: [10, 20, 30, 60]}
notes:
- Catatan pembacaan
"""

# The 515-byte alias bomb: nine levels of nine references grow to 9^9 strings when expanded.
ALIAS_BOMB = dedent(
    """\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """
)

# Parses the bomb in a child whose address space is capped 256 MB above what it uses at start:
# a regression fails this test with a MemoryError instead of exhausting the machine.
BOUNDED_CHILD = """
import resource, sys
import django
django.setup()
from kinerja.plan.actions import check_plan_text
with open("/proc/self/status") as status:
    used = next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmSize:"))
resource.setrlimit(resource.RLIMIT_AS, (used + 256 * 2**20, used + 256 * 2**20))
doc, problems = check_plan_text(sys.stdin.read())
print("refused" if doc is None else "parsed", *[str(p) for p in problems], sep="\\n")
"""


def problems_of(text: str) -> list[str]:
    doc, problems = check_plan_text(text)
    return [str(p) for p in problems if p.severity == "error"]


@pytest.mark.django_db  # the linter checks against the stored plans
def test_it_checks_the_template_of_these_tests_clean() -> None:
    assert problems_of(PLAN) == []


# -- input limits, before parsing --------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_a_plan_file_over_the_size_limit(
    settings: Any, login: Any, people: Any, tmp_path: Path
) -> None:
    assert django_settings.KINERJA_PLAN_FILE_MAX_BYTES == 1024 * 1024
    settings.KINERJA_PLAN_FILE_MAX_BYTES = 4000
    text = WONOASIH_PLAN.read_text(encoding="utf-8")  # 6.7 KB
    assert any("4000" in p and "paling besar" in p for p in problems_of(text))
    response = login(people["planner"]).post(
        reverse("plan:upload"),
        {"file": SimpleUploadedFile("p.yaml", text.encode()), "store": "on"},
    )
    assert response.status_code == 200 and "4000" in response.content.decode()
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    for action in ("load", "check"):
        with pytest.raises(CommandError, match="4000"):
            call_command("plan", action, str(path))


def test_it_refuses_yaml_anchors_and_aliases_naming_the_line() -> None:
    with pytest.raises(PlanFileError) as refused:
        parse_plan("format: kinerja-plan/1\ntitle: &t Judul\ncode: *t\n")
    assert refused.value.problems[0].line == 2
    assert "anchor dan alias YAML" in str(refused.value)


def test_it_refuses_the_alias_bomb_in_bounded_memory() -> None:
    assert len(ALIAS_BOMB.encode()) <= 520
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kinerja.settings"}
    child = subprocess.run(
        [sys.executable, "-c", BOUNDED_CHILD],
        input=ALIAS_BOMB,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=django_settings.BASE_DIR,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.startswith("refused") and "line 1" in child.stdout.replace("baris", "line")


def test_it_refuses_a_recursive_alias() -> None:
    with pytest.raises(PlanFileError) as refused:
        parse_plan("format: kinerja-plan/1\ngoals: &g [*g]\n")
    assert refused.value.problems[0].line == 2


@pytest.mark.parametrize(
    "tag", ["!!python/name:os.system", "!!python/object/apply:os.system ['true']", "!foo", "!!set"]
)
def test_it_refuses_unsafe_and_custom_tags_naming_the_line(tag: str) -> None:
    with pytest.raises(PlanFileError) as refused:
        parse_plan(f"format: kinerja-plan/1\ncode: x\ntitle: {tag} judul\n")
    assert refused.value.problems[0].line == 3
    assert "tidak diizinkan" in str(refused.value)


def test_it_names_the_line_of_a_value_yaml_cannot_build() -> None:
    for value in ["2021-13-45", "=", "!!int dua"]:
        with pytest.raises(PlanFileError) as refused:
            parse_plan(f"format: kinerja-plan/1\ncode: x\ntitle: {value}\n")
        assert refused.value.problems[0].line == 3, value


def test_it_refuses_a_5000_digit_integer(settings: Any) -> None:
    with pytest.raises(PlanFileError) as refused:
        parse_plan("format: kinerja-plan/1\ncode: " + "1" * 5000 + "\n")
    assert refused.value.problems[0].line == 2
    assert django_settings.KINERJA_PLAN_NUMBER_MAX_CHARS == 40
    settings.KINERJA_PLAN_NUMBER_MAX_CHARS = 3
    assert any(
        "targets" in p and "3" in p for p in problems_of(PLAN.replace("50, 2022", "1000, 2022"))
    )


def test_it_refuses_nesting_deeper_than_the_limit(settings: Any) -> None:
    with pytest.raises(PlanFileError) as refused:
        parse_plan("format: kinerja-plan/1\ngoals: " + "[" * 3000 + "]" * 3000 + "\n")
    assert refused.value.problems[0].line == 2
    settings.KINERJA_PLAN_YAML_MAX_DEPTH = 3
    assert any("3" in p for p in problems_of(PLAN))


@pytest.mark.django_db
def test_it_shows_a_hostile_file_as_a_message_on_upload(login: Any, people: Any) -> None:
    client = login(people["planner"])
    for text in ["a: !!python/name:os.system\n", "a: &a [*a]\n", "a: " + "9" * 5000 + "\n"]:
        response = client.post(
            reverse("plan:upload"), {"file": SimpleUploadedFile("p.yaml", text.encode())}
        )
        assert response.status_code == 200 and response.context["failed"]


# -- the explanation linter and renderer: linear time ------------------------------------------

FRACS = "\\frac{" * 24_400  # 146 KB, as in the attack
NESTED = "\\frac{" * 5_000 + "a" + "}{b}" * 5_000
DIVISIONS = "(a) / (a) / " * 5_000 + "a / " * 20_000


@pytest.mark.parametrize("text", [FRACS, NESTED, DIVISIONS], ids=["fracs", "nested", "divisions"])
def test_it_reads_an_explanation_bomb_in_linear_time(text: str) -> None:
    start = time.process_time()  # CPU time: other processes on the machine do not count
    identical_ratio(text)
    to_plain(text)
    to_html(text)
    assert time.process_time() - start < 2


@pytest.mark.django_db  # the linter checks against the stored plans
def test_it_lints_a_long_explanation_quickly_and_bounds_its_length(settings: Any) -> None:
    bomb = PLAN.replace("explanation: Jumlah warga dilayani", "explanation: '" + FRACS + "'")
    assert django_settings.KINERJA_PLAN_EXPLANATION_MAX_CHARS == 2000
    assert any("I1, explanation" in p and "2000" in p for p in problems_of(bomb))
    settings.KINERJA_PLAN_EXPLANATION_MAX_CHARS = 200_000
    start = time.process_time()
    assert problems_of(bomb) == []
    assert time.process_time() - start < 3


# -- text lengths: what passes the check fits its column on every engine ------------------------

LONG = {
    "title": ("title: Rencana uji", "title: " + "J" * 301, "plan, title"),
    "unit name": ("  name: Uji", "  name: " + "U" * 201, "unit, name"),
    "goal name": ("name: Tujuan uji", "name: " + "T" * 501, "goals[0], name"),
    "indicator code": ("code: I1", "code: I" + "1" * 20, "code"),
    "indicator name": ("name: Warga dilayani", "name: " + "W" * 501, "I1, name"),
    "data source": ("data_source: Buku register", "data_source: " + "B" * 301, "I1, data_source"),
    "responsible": ("responsible: Kasi Pelayanan", "responsible: " + "K" * 301, "I1, responsible"),
    "band key": ("key: met,", "key: " + "m" * 31 + ",", "bands"),
    "manual measure": ("name: served,", "name: s" + "e" * 80 + ",", "manual_measures"),
    "profile": ("function: Fungsi kecamatan", "function: " + "F" * 5001, "profile, function"),
    "note": ("- Catatan pembacaan", "- " + "C" * 5001, "notes"),
}


@pytest.mark.parametrize("field", LONG, ids=list(LONG))
@pytest.mark.django_db
def test_it_refuses_an_over_long_text_at_check_time(field: str) -> None:
    short, long, where = LONG[field]
    text = PLAN.replace(short, long, 1)
    assert text != PLAN
    assert any(where in p and "terlalu panjang" in p for p in problems_of(text)), problems_of(text)
    with pytest.raises(PlanRefused):
        do_load_plan_text(text)
    assert not Plan.objects.exists() and not OrgUnit.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_400_character_plan_title_at_check_and_load() -> None:
    text = PLAN.replace("title: Rencana uji", "title: " + "J" * 400)
    assert any("plan, title" in p and "300" in p for p in problems_of(text))
    with pytest.raises(PlanRefused):
        do_load_plan_text(text)
    assert not Plan.objects.exists()


# -- decimal ranges: what passes the check fits its column and reads back ----------------------

NUMBERS = {
    "target": ("{2021: 50, 2022: 60}", "{2021: 50, 2022: 10000000000}", "targets.2022"),
    "fraction": ("{2021: 50, 2022: 60}", "{2021: 50, 2022: 60.12345}", "targets.2022"),
    "range": ("{2021: 50, 2022: 60}", "{2021: 50, 2022: {low: 1, high: 1e10}}", "2022.high"),
    "quarter": ("[10, 20, 30, 60]", "[10, 20, 30, 1e10]", "quarter_targets.2022[3]"),
    "cap": ("cap: 150", "cap: 10000000", "cap"),
    "band": ("minimum: 100,", "minimum: 1e16,", "minimum"),
}


@pytest.mark.parametrize("field", NUMBERS, ids=list(NUMBERS))
@pytest.mark.django_db
def test_it_refuses_a_number_out_of_its_range_and_stores_nothing(field: str) -> None:
    small, big, where = NUMBERS[field]
    text = PLAN.replace(small, big, 1)
    assert text != PLAN
    assert any(where in p and "di luar jangkauan" in p for p in problems_of(text)), problems_of(
        text
    )
    with pytest.raises(PlanRefused):
        do_load_plan_text(text)
    assert not Plan.objects.exists() and not OrgUnit.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_target_of_ten_to_the_tenth_and_keeps_the_stored_plan() -> None:
    plan = do_load_plan_text(PLAN)
    bad = PLAN.replace("2022: 60}", "2022: 10000000000}")
    assert any("I1, targets.2022" in p for p in problems_of(bad))
    with pytest.raises(PlanRefused):
        do_load_plan_text(bad)
    assert [str(t.value) for t in plan.indicators.get().targets.filter(quarter=0)] == [
        "50.0000",
        "60.0000",
    ]
    assert do_load_plan_text(PLAN).pk == plan.pk  # the correct file still loads
    largest = PLAN.replace("2022: 60}", "2022: 9999999999.9999}")
    do_load_plan_text(largest)
    target = plan.indicators.get().targets.get(year=2022, quarter=0)
    assert str(target.value) == "9999999999.9999"


@pytest.mark.django_db
def test_it_bounds_the_texts_of_the_plan_admin_forms(
    settings: Any, wonoasih: Plan, admin_user: Any, rf: Any
) -> None:
    from django.contrib import admin
    from django.forms.models import model_to_dict

    from kinerja.plan.models import Indicator

    settings.KINERJA_PLAN_EXPLANATION_MAX_CHARS = 10
    settings.KINERJA_PLAN_TEXT_MAX_CHARS = 10
    request = rf.get("/")
    request.user = admin_user
    indicator = wonoasih.indicators.get(code="T2.1")
    indicator_form = admin.site._registry[Indicator].get_form(request, indicator)
    data = model_to_dict(indicator)
    for name, size in [("explanation", 11), ("formula", 501)]:
        form = indicator_form({**data, name: "x" * size}, instance=indicator)
        assert not form.is_valid() and "terlalu panjang" in form.errors[name][0]
    assert indicator_form({**data, "explanation": "x" * 10}, instance=indicator).is_valid()
    plan_form = admin.site._registry[Plan].get_form(request, wonoasih)
    form = plan_form({**model_to_dict(wonoasih), "profile_function": "x" * 11}, instance=wonoasih)
    assert not form.is_valid() and "terlalu panjang" in form.errors["profile_function"][0]


def test_it_exports_a_repeated_value_without_an_alias() -> None:
    from dataclasses import replace

    from kinerja.plan.planfile import dump_plan
    from kinerja.plan.planfile.document import Binding

    doc = parse_plan(PLAN)
    goal = doc.goals[0]
    shared: dict[str, tuple[str, ...]] = {"kind": ("posyandu",)}
    bindings = {"a": Binding("groups_total", shared), "b": Binding("groups_total", shared)}
    indicator = replace(goal.indicators[0], bindings=bindings)
    goal = replace(goal, indicators=(indicator, *goal.indicators[1:]))
    text = dump_plan(replace(doc, goals=(goal, *doc.goals[1:])))
    assert "&" not in text and "*id" not in text
    assert parse_plan(text).goals[0].indicators[0].bindings["b"].filters == shared
