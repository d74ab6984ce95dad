"""The user guide: one page per role in docs/panduan/, its pictures made by the browser suite,
shown in the app to every logged-in user with the pages of the user's roles highlighted."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from kinerja.accounts.models import OrgUnit, Role
from kinerja.site.guide import BY_SLUG, INDEX, PAGES, guide_dir, image_names, source, title, to_html
from kinerja.site.tests.test_browser_guide import SHOTS
from kinerja.test import make_user

# The roles the office named, each with its page of the guide.
ROLE_PAGES = {
    Role.HEAD: "camat",
    Role.PLANNER: "perencana",
    Role.SURVEY_OFFICER: "kasi-pelayanan",
    Role.REGISTRY_OFFICER: "kasi-pemberdayaan",
    Role.KELURAHAN_OPERATOR: "operator-kelurahan",
    Role.ADMIN: "administrator",
}
SHOT_NAMES = [name for _viewport, shots in SHOTS.values() for name, _address in shots]


def test_it_has_a_page_for_each_role_with_a_title_starting_in_january():
    assert {p.slug for p in PAGES} == set(ROLE_PAGES.values())
    for role, slug in ROLE_PAGES.items():
        assert role in BY_SLUG[slug].roles
        text = source(slug)
        assert title(text).startswith("Panduan "), slug
        # The tasks follow the year: the first is January's.
        headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
        assert headings and headings[0].startswith("Januari"), (slug, headings)
        assert image_names(text), f"{slug} shows no picture"


def test_it_shows_exactly_the_pictures_the_browser_suite_takes():
    shown = {name for page in [INDEX, *BY_SLUG] for name in image_names(source(page))}
    assert shown == set(SHOT_NAMES)
    assert len(SHOT_NAMES) == len(set(SHOT_NAMES)), "two pictures share a name"
    on_disk = {p.name for p in (guide_dir() / "img").glob("*.png")}
    assert on_disk == shown, "pictures missing or left over in docs/panduan/img"


def test_it_serves_the_pictures_as_static_files():
    for name in SHOT_NAMES:
        assert finders.find(f"panduan/{name}") == str(guide_dir() / "img" / name)


def test_it_turns_the_guides_own_addresses_into_the_apps():
    html = to_html(
        "[Camat](camat.md#januari) [isi](README.md) [aturan](../rules.md) [luar](https://example.org/)\n\n"
        "![dasbor](img/camat-dasbor.png) ![luar](https://example.org/x.png)"
    )
    assert f'href="{reverse("guide_page", args=["camat"])}#januari"' in html
    assert f'href="{reverse("guide")}"' in html
    assert "rules.md" not in html
    assert 'href="https://example.org/"' in html
    assert 'src="/static/panduan/camat-dasbor.png"' in html
    assert "example.org/x.png" not in html


def test_it_removes_scripts_and_hostile_attributes_from_a_page():
    html = to_html(
        '<script>alert(1)</script>\n\n<img src="img/x.png" onerror="alert(2)">\n\n'
        '[klik](javascript:alert(3)) <iframe src=x></iframe> <p style="x" onclick="alert(4)">p</p>'
    )
    for bad in ("<script", "onerror", "javascript:", "<iframe", "onclick", "style="):
        assert bad not in html, bad


@pytest.fixture
def officers(people):
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    return {
        Role.HEAD: people["head"],
        Role.PLANNER: people["planner"],
        Role.SURVEY_OFFICER: make_user("pelayanan", Role.SURVEY_OFFICER, kec),
        Role.REGISTRY_OFFICER: make_user("pemas", Role.REGISTRY_OFFICER, kec),
        Role.KELURAHAN_OPERATOR: people["operator"],
        Role.ADMIN: people["admin"],
    }


def highlighted(html: str) -> list[str]:
    return re.findall(r'<li class="own"><a href="/bantuan/([a-z-]+)/"', html)


def test_it_shows_every_page_to_each_role_with_its_own_page_highlighted(officers, login):
    for role, user in officers.items():
        client = login(user)
        for page in [reverse("guide"), *(reverse("guide_page", args=[s]) for s in BY_SLUG)]:
            response = client.get(page)
            assert response.status_code == 200, (role, page)
            html = response.content.decode()
            assert highlighted(html) == [ROLE_PAGES[role]], (role, page)
        client.logout()


def test_it_renders_the_role_page_from_its_markdown(people, login):
    html = login(people["planner"]).get(reverse("guide_page", args=["perencana"])).content.decode()
    assert "<h1" in html and "Panduan Perencana" in html
    assert 'src="/static/panduan/perencana-rencana.png"' in html
    assert 'aria-current="page">Perencana</a>' in html


def test_it_points_the_contents_page_at_the_users_own_page(people, login):
    html = login(people["operator"]).get(reverse("guide")).content.decode()
    own = reverse("guide_page", args=["operator-kelurahan"])
    assert f'Halaman untuk peran Anda: <a href="{own}">Operator kelurahan</a>' in html


def test_it_highlights_no_page_for_a_user_without_a_role(db, login):
    html = login(make_user("tamu")).get(reverse("guide")).content.decode()
    assert highlighted(html) == []
    assert "Halaman untuk peran Anda" not in html


def test_it_puts_help_in_the_menu(people, login):
    html = login(people["operator"]).get(reverse("guide")).content.decode()
    assert f'<a href="{reverse("guide")}" aria-current="page">Bantuan</a>' in html


def test_it_refuses_anonymous_users(db):
    for page in (reverse("guide"), reverse("guide_page", args=["camat"])):
        response = Client().get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_answers_404_for_a_page_that_is_not_in_the_guide(people, login):
    client = login(people["planner"])
    for name in ("tidak-ada", "README", "..", "camat.md"):
        assert client.get(f"/bantuan/{name}/").status_code == 404, name


def test_it_tells_english_readers_that_the_guide_is_in_indonesian(people, login, settings):
    client = login(people["planner"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("guide_page", args=["perencana"])).content.decode()
    assert "This guide is written in Indonesian." in html
    assert '<article class="card guide" lang="id">' in html
    assert ">Help</a>" in html
