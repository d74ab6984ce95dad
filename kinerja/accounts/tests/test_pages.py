from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.accounts.models import ApiKey, Membership, OrgUnit, Role
from kinerja.audit.models import AuditEntry
from kinerja.test import make_user

pytestmark = pytest.mark.django_db


def test_it_lets_an_administrator_give_and_take_roles_in_their_units(people, login):
    kec = OrgUnit.objects.get(code="kec-wonoasih")
    unit_admin = make_user("admin-kec", Role.ADMIN, kec)
    newcomer = make_user("staf-baru")
    client = login(unit_admin)
    page = client.get(reverse("accounts:roles"))
    assert page.status_code == 200 and "perencana" in page.content.decode()
    assert "outsider" not in page.content.decode()  # Kademangan's roles are not theirs
    kel = OrgUnit.objects.get(code="kel-jrebeng-kidul")
    response = client.post(
        reverse("accounts:roles"),
        {"username": "staf-baru", "unit": kel.pk, "role": Role.KELURAHAN_OPERATOR},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert (membership.unit, membership.role) == (kel, Role.KELURAHAN_OPERATOR)
    given = AuditEntry.objects.get(model="accounts.membership", object_id=str(membership.pk))
    assert (given.action, given.actor_name, given.unit_path) == ("create", "admin-kec", kel.path)
    # A unit outside their own is not among the choices.
    pilang = OrgUnit.objects.get(code="kel-pilang")
    refused = client.post(
        reverse("accounts:roles"), {"username": "staf-baru", "unit": pilang.pk, "role": "viewer"}
    )
    assert refused.status_code == 200 and "unit" in refused.context["form"].errors
    other = Membership.objects.get(user=people["outsider"])
    assert client.post(reverse("accounts:role_remove", args=[other.pk])).status_code == 403
    assert client.post(reverse("accounts:role_remove", args=[membership.pk])).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_it_refuses_the_roles_page_to_non_administrators(people, login):
    for persona in ("planner", "head", "operator", "outsider"):
        assert login(people[persona]).get(reverse("accounts:roles")).status_code == 403


def test_it_shows_a_new_api_key_once_and_revokes_it(people, login):
    client = login(people["planner"])
    response = client.post(
        reverse("accounts:security"), {"name": "Kios layanan", "can_write": "on"}
    )
    assert response.status_code == 302
    page = client.get(reverse("accounts:security")).content.decode()
    key = ApiKey.objects.get(user=people["planner"])
    assert key.can_write and f"knj_{key.prefix}_" in page
    assert key.key_hash not in page
    assert f"knj_{key.prefix}_" not in client.get(reverse("accounts:security")).content.decode()
    outsider = login(people["outsider"])
    assert outsider.post(reverse("accounts:api_key_revoke", args=[key.pk])).status_code == 404
    client = login(people["planner"])
    assert client.post(reverse("accounts:api_key_revoke", args=[key.pk])).status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
