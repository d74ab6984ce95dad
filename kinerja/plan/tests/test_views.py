from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kinerja.plan.models import Target
from kinerja.test import WONOASIH_PLAN

pytestmark = pytest.mark.django_db


def test_it_shows_the_tree_and_both_tables(people, login) -> None:
    client = login(people["head"])
    page = client.get(reverse("plan:detail", args=["wonoasih-2020-2024"])).content.decode()
    assert 'id="targets"' in page and 'id="iku"' in page
    assert "84,60" in page and "88,60" in page and "40,00%" in page  # the indicator's decimals
    assert "Kasi Pelayanan, Kasi Pemerintahan, Kasi Keamanan dan Ketertiban" in page
    assert "Menyelenggarakan Urusan Pemerintahan umum;" in page
    assert 'class="frac"' in page  # the printed formula shown as a fraction, not LaTeX


def test_targets_carry_the_indicators_decimals_and_versions_the_local_time(people, login) -> None:
    from kinerja.plan.models import PlanVersion

    page = login(people["head"]).get(reverse("plan:detail", args=["wonoasih-2020-2024"]))
    html = page.content.decode()
    row = html.split('id="targets"')[1].split("</table>")[0].split("S1.1")[1].split("</tr>")[0]
    assert ">40,00%<" in row and ">40%<" not in row  # S1.1 has two decimals
    version = PlanVersion.objects.get(plan__code="wonoasih-2020-2024", number=1)
    local = timezone.localtime(version.created_at)
    assert f"{local:%H}.{local:%M} WIB" in html.split('id="versions"')[1]


def test_it_refuses_anonymous_users(client, wonoasih) -> None:
    for url in [
        reverse("plan:list"),
        reverse("plan:detail", args=[wonoasih.code]),
        reverse("plan:upload"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_refuses_an_outsider(people, login) -> None:
    client = login(people["outsider"])
    assert client.get(reverse("plan:detail", args=["wonoasih-2020-2024"])).status_code == 403
    assert client.get(reverse("plan:export", args=["wonoasih-2020-2024"])).status_code == 403
    assert client.get(reverse("plan:upload")).status_code == 403
    assert "wonoasih-2020-2024" not in client.get(reverse("plan:list")).content.decode()


def test_it_exports_the_plan_file(people, login) -> None:
    response = login(people["planner"]).get(reverse("plan:export", args=["wonoasih-2020-2024"]))
    assert response.status_code == 200
    assert "format: kinerja-plan/1" in response.content.decode()


def test_it_checks_an_upload_and_stores_only_when_clean(people, login) -> None:
    client = login(people["planner"])
    text = WONOASIH_PLAN.read_text(encoding="utf-8")
    bad = text.replace("        2024: 40\n", "        2024: 45\n", 1).replace(
        "formula: ikm\n    unit", "formula: ikm +\n    unit", 1
    )
    response = client.post(
        reverse("plan:upload"), {"file": SimpleUploadedFile("p.yaml", bad.encode()), "store": "on"}
    )
    assert response.status_code == 200 and "T2.1" in response.content.decode()
    assert Target.objects.get(indicator__code="S1.1", year=2024).value == 40
    good = text.replace("        2024: 40\n", "        2024: 45\n", 1)
    response = client.post(
        reverse("plan:upload"), {"file": SimpleUploadedFile("p.yaml", good.encode()), "store": "on"}
    )
    # A stored plan changes only once the planner has seen the difference and confirms it.
    assert response.status_code == 200 and response.context["confirm"]
    assert [(c.code, c.years, c.before, c.after) for c in response.context["diff"].changes] == [
        ("S1.1", (2024,), "40", "45")
    ]
    assert Target.objects.get(indicator__code="S1.1", year=2024).value == 40
    confirm = response.context["confirm_form"]
    posted = {"text": confirm["text"].value(), "store": "on"}
    stale = client.post(reverse("plan:upload"), {**posted, "digest": "0" * 64})
    assert stale.status_code == 200 and stale.context["confirm"]  # shown again, not stored
    assert Target.objects.get(indicator__code="S1.1", year=2024).value == 40
    response = client.post(reverse("plan:upload"), {**posted, "digest": confirm["digest"].value()})
    assert response.status_code == 302
    assert Target.objects.get(indicator__code="S1.1", year=2024).value == 45


def test_it_refuses_an_upload_from_a_unit_head(people, login) -> None:
    assert login(people["head"]).get(reverse("plan:upload")).status_code == 403


def test_it_switches_to_english(people, login) -> None:
    client = login(people["planner"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("plan:detail", args=["wonoasih-2020-2024"])).content.decode()
    assert "84.60" in page and 'lang="en"' in page
