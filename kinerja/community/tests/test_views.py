from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from kinerja.community.models import Activity, Evidence, Group, GroupKind

from .factories import make_activity, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(people) -> dict[str, Group]:
    groups = {
        "rw": make_group("WNS-RW01", date(2010, 1, 1), kind="rw", name="RW 01 Wonoasih"),
        "pkk": make_group("WNS-PKK", date(2012, 1, 1), kind="pkk", name="TP PKK Wonoasih"),
        "kt": make_group(
            "PKJ-KT", date(2015, 1, 1), kind="karang-taruna", kelurahan="kel-pakistaji"
        ),
    }
    make_activity(date(2024, 3, 1), [groups["rw"], groups["kt"]], title="Rapat koordinasi")
    return groups


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def urls(registry: dict[str, Group]) -> list[str]:
    activity = Activity.objects.get()
    return [
        reverse("community:group_list"),
        reverse("community:group_create"),
        reverse("community:group_detail", args=[registry["rw"].pk]),
        reverse("community:group_edit", args=[registry["rw"].pk]),
        reverse("community:activity_list"),
        reverse("community:activity_create"),
        reverse("community:activity_edit", args=[activity.pk]),
        reverse("community:import"),
        reverse("community:export"),
        reverse("community:drilldown"),
    ]


def test_it_sends_anonymous_users_to_log_in(client, registry) -> None:
    for url in urls(registry):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_it_refuses_an_outsider(login, people, registry) -> None:
    client = login(people["outsider"])
    rw = registry["rw"]
    activity = Activity.objects.get()
    for url in [
        reverse("community:group_detail", args=[rw.pk]),
        reverse("community:group_edit", args=[rw.pk]),
        reverse("community:activity_edit", args=[activity.pk]),
        reverse("community:drilldown") + "?unit=kec-wonoasih&year=2024",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("community:activity_delete", args=[activity.pk])).status_code == 403
    listing = client.get(reverse("community:group_list")).content.decode()
    assert "WNS-RW01" not in listing
    export = b"".join(client.get(reverse("community:export") + "?format=csv").streaming_content)
    assert b"WNS-RW01" not in export
    # the outsider's own registry page works, and an import into Wonoasih is refused
    upload = SimpleUploadedFile(
        "g.csv", b"code,name,kind,kelurahan,established\nX1,RW 9,RW,Wonoasih,2020-01-01\n"
    )
    page = client.post(reverse("community:import"), {"file": upload})
    html = page.content.decode()
    assert "kelurahan" in html and "/simpan/" not in html
    assert not Group.objects.filter(code="X1").exists()


def test_it_refuses_a_user_without_any_role(client, registry, django_user_model) -> None:
    client.force_login(django_user_model.objects.create_user("nobody"))
    for url in urls(registry):
        assert client.get(url).status_code == 403, url


def test_it_lets_the_operator_edit_only_their_own_kelurahan(login, people, registry) -> None:
    client = login(people["operator"])
    assert client.get(reverse("community:group_edit", args=[registry["kt"].pk])).status_code == 403
    page = client.get(reverse("community:activity_edit", args=[Activity.objects.get().pk]))
    assert page.status_code == 200 and b"Rapat koordinasi" in page.content  # read-only view
    rt = GroupKind.objects.get(code="rt")
    data = {"code": "WNS-RT01", "name": "RT 01", "kind": rt.pk, "established": "2020-02-02"}
    pakistaji = registry["kt"].kelurahan
    response = client.post(reverse("community:group_create"), {**data, "kelurahan": pakistaji.pk})
    assert response.status_code == 200 and not Group.objects.filter(code="WNS-RT01").exists()
    response = client.post(
        reverse("community:group_create"), {**data, "kelurahan": registry["rw"].kelurahan_id}
    )
    assert response.status_code == 302
    assert Group.objects.get(code="WNS-RT01").city.code == "kota-probolinggo"
    # a second group with the same code in the city is refused
    response = client.post(
        reverse("community:group_create"),
        {**data, "name": "lagi", "kelurahan": registry["rw"].kelurahan_id},
    )
    assert response.status_code == 200 and Group.objects.filter(code="WNS-RT01").count() == 1


def test_it_records_an_activity_with_evidence(login, people, registry) -> None:
    client = login(people["operator"])
    url = reverse("community:activity_create") + "?kelurahan=kel-wonoasih"
    page = client.get(url).content.decode()
    assert "RW 01 Wonoasih" in page and "Karang Taruna" not in page
    fields = {"date": "2024-05-02", "type": "fostering", "title": "Pembinaan PKK"}
    fake = SimpleUploadedFile("foto.jpg", b"<html>not a photo</html>")
    response = client.post(url, {**fields, "groups": [registry["pkk"].pk], "evidence": [fake]})
    assert response.status_code == 200 and "foto.jpg" in response.content.decode()
    assert not Activity.objects.filter(title="Pembinaan PKK").exists()
    # a group of another kelurahan cannot be slipped in
    response = client.post(url, {**fields, "groups": [registry["kt"].pk]})
    assert response.status_code == 200 and not Activity.objects.filter(title="Pembinaan PKK")
    photo = SimpleUploadedFile("foto.png", png_bytes())
    response = client.post(url, {**fields, "groups": [registry["pkk"].pk], "evidence": [photo]})
    assert response.status_code == 302
    activity = Activity.objects.get(title="Pembinaan PKK")
    assert list(activity.groups.all()) == [registry["pkk"]]
    evidence = Evidence.objects.get(activity=activity)
    assert evidence.content_type == "image/png" and (evidence.file.name or "").startswith(
        "community/"
    )
    download = client.get(reverse("community:evidence", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()
    assert (
        login(people["outsider"]).get(reverse("community:evidence", args=[evidence.pk])).status_code
        == 403
    )


def test_it_refuses_an_activity_before_the_group_existed(login, people, registry) -> None:
    client = login(people["operator"])
    url = reverse("community:activity_create") + "?kelurahan=kel-wonoasih"
    response = client.post(
        url,
        {
            "date": "2011-05-02",
            "type": "fostering",
            "title": "Lama",
            "groups": [registry["pkk"].pk],
        },
    )
    assert response.status_code == 200 and "2012-01-01" in response.content.decode()
    assert not Activity.objects.filter(title="Lama").exists()


def test_it_filters_the_group_list(login, people, registry) -> None:
    client = login(people["head"])
    page = client.get(reverse("community:group_list") + "?kelurahan=kel-pakistaji").content
    assert b"PKJ-KT" in page and b"WNS-RW01" not in page
    page = client.get(reverse("community:group_list") + "?q=pkk").content
    assert b"WNS-PKK" in page and b"WNS-RW01" not in page
    page = client.get(reverse("community:group_list") + "?kind=rw").content
    assert b"WNS-RW01" in page and b"WNS-PKK" not in page


def test_it_drills_down_with_a_fixed_number_of_queries(login, people, registry) -> None:
    client = login(people["head"])
    url = reverse("community:drilldown") + "?unit=kec-wonoasih&year=2024&measure=groups_facilitated"
    page = client.get(url).content.decode()
    assert "<svg" in page and "Rapat koordinasi" in page
    table = page[page.index('id="by-kelurahan"') :]
    # Wonoasih: 1 of 2 facilitated = 50 %; Pakistaji: 1 of 1 = 100 %
    assert "50,00%" in table and "100,00%" in table
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for i in range(20):
        g = make_group(f"WNS-X{i}", date(2020, 1, 1))
        make_activity(date(2024, 1, 1 + i), [g], title=f"Kegiatan {i}")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_it_imports_from_the_page_after_a_check(login, people, wonoasih) -> None:
    client = login(people["operator"])
    text = b"code,name,kind,kelurahan,established\nWNS-RT09,RT 09,RT,Wonoasih,2020-01-01\n"
    page = client.post(reverse("community:import"), {"file": SimpleUploadedFile("g.csv", text)})
    html = page.content.decode()
    assert 'id="report"' in html and not Group.objects.exists()
    confirm = re.search(r'action="([^"]+/simpan/)"', html)
    assert confirm is not None
    stored = client.post(confirm.group(1), {"confirm": "1"}).content.decode()
    assert "Berhasil diimpor" in stored and Group.objects.get().code == "WNS-RT09"
    assert client.post(confirm.group(1), {"confirm": "1"}).status_code == 404  # stored once
    bad = text + b"WNS-RT09,RT 09,RT,Wonoasih,2020-01-01\n"
    page = client.post(
        reverse("community:import"), {"file": SimpleUploadedFile("g.csv", bad)}
    ).content.decode()
    assert 'id="problems"' in page and "code" in page and "/simpan/" not in page


def test_it_exports_xlsx(login, people, registry) -> None:
    response = login(people["head"]).get(reverse("community:export") + "?format=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_it_drills_down_a_sub_year_period_from_the_first_of_january(
    login, people, registry
) -> None:
    client = login(people["head"])
    base = reverse("community:drilldown") + "?unit=kel-wonoasih&measure=groups_facilitated"
    quarter = client.get(base + "&period=2024-Q1").content.decode()
    counted = quarter[quarter.index('class="counted"') : quarter.index('class="not-counted"')]
    assert "RW 01 Wonoasih" in counted and "Rapat koordinasi" in counted  # 1 March is in Q1
    january = client.get(base + "&period=2024-01").content.decode()
    counted = january[january.index('class="counted"') : january.index('class="not-counted"')]
    assert "RW 01 Wonoasih" not in counted
