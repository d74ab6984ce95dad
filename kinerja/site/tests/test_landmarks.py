"""Landmarks have names of their own (axe-core's landmark-unique, docs/accessibility.md): a screen
reader lists a page's regions by name, and two of one name cannot be told apart. The browser
suite only warns about it (a moderate finding); this test fails on the pages that had it."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Elements that are landmarks once they have a name (a section or form) or always (role=region
# is one only with a name, as for a section).
NAMED_LANDMARKS = {"section", "form"}


class Landmarks(HTMLParser):
    """The named region landmarks of a page, each as (label, or the ids that name it)."""

    def __init__(self) -> None:
        super().__init__()
        self.named: list[str] = []
        self.text_of: dict[str, list[str]] = {}
        self.open_ids: list[tuple[str, str]] = []  # (tag, id) of elements whose text is wanted

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in NAMED_LANDMARKS or a.get("role") == "region":
            name = a.get("aria-label") or (
                "@" + a["aria-labelledby"] if a.get("aria-labelledby") else ""
            )
            if name:
                self.named.append(name)
        if a.get("id"):
            self.open_ids.append((tag, a["id"]))
            self.text_of[a["id"]] = []

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open_ids) - 1, -1, -1):
            if self.open_ids[i][0] == tag:
                del self.open_ids[i]
                break

    def handle_data(self, data: str) -> None:
        for _tag, ident in self.open_ids:
            self.text_of[ident].append(data)

    def names(self) -> list[str]:
        def name(label: str) -> str:
            if not label.startswith("@"):
                return label
            words = [" ".join(self.text_of.get(i, [])) for i in label[1:].split()]
            return " ".join(" ".join(words).split())

        return [name(label) for label in self.named]


def repeated_landmark_names(html: str) -> list[str]:
    parser = Landmarks()
    parser.feed(html)
    return [name for name, n in Counter(parser.names()).items() if n > 1]


def test_it_finds_two_landmarks_of_one_name() -> None:
    html = (
        '<section aria-labelledby="t"><h2 id="t">Kolom</h2>'
        '<div role="region" aria-labelledby="t"></div></section>'
        '<section aria-label="Lain"></section>'
    )
    assert repeated_landmark_names(html) == ["Kolom"]


def test_the_import_pages_name_each_landmark_once(people, login) -> None:
    client = login(people["admin"])
    for url in (
        reverse("community:import"),
        reverse("surveys:import", args=["kec-wonoasih"]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert repeated_landmark_names(page.content.decode()) == [], url
