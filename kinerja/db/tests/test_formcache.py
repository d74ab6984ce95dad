"""Contract: the once-compiled look-up of a service by its link reads the ORM's row."""

from __future__ import annotations

from kinerja.db import formcache
from kinerja.lib.models import DemoMarker
from kinerja.surveys.models import Service

from .conftest import Tree


def test_the_service_row_is_the_orms(tree: Tree) -> None:
    ktp, sk = tree.services["ktp"], tree.services["sk"]
    Service.objects.filter(pk=sk.pk).update(active=False)
    slugs = (ktp.slug, sk.slug, "no-such-link", formcache.LINK_SLOT, "%", ktp.slug.upper())
    for slug in slugs:
        assert formcache.active_service_row(slug) == formcache.active_service_row_orm(slug)
    found = formcache.active_service_row(ktp.slug)
    assert found is not None and found.row[0] == ktp.pk and not found.demo_data
    assert [slug for slug in slugs if formcache.active_service_row(slug)] == [ktp.slug]

    DemoMarker.objects.create()
    Service.objects.filter(pk=ktp.pk).update(name="KTP-el")
    again = formcache.active_service_row(ktp.slug)
    assert again == formcache.active_service_row_orm(ktp.slug)
    assert again is not None and again.demo_data and again.row != found.row
