import pytest

from tansiq.network.models import Committee

MODELS = [
    "network",
    "unit",
    "focusarea",
    "organisation",
    "contact",
    "networkmembership",
    "membership",
    "invitation",
    "committee",
    "committeeseat",
]


@pytest.mark.parametrize("model", MODELS)
def test_secretariat_keeps_the_registry_in_the_back_office(client_for, secretariat, org, model):
    client = client_for(secretariat)
    assert client.get(f"/en/admin/network/{model}/").status_code == 200
    assert client.get(f"/en/admin/network/{model}/add/").status_code in (200, 403)


def test_owners_have_no_back_office(client, owner, org):
    client.force_login(owner)
    assert client.get("/en/admin/network/organisation/").status_code == 302


def test_back_office_change_pages_open(client_for, secretariat, org, network):
    committee = Committee.objects.create(network=network, slug="c", name_en="C", name_ar="ج")
    client = client_for(secretariat)
    assert client.get(f"/en/admin/network/organisation/{org.pk}/change/").status_code == 200
    assert client.get(f"/en/admin/network/committee/{committee.pk}/change/").status_code == 200
    membership = org.network_memberships.get()
    assert client.get(f"/en/admin/network/networkmembership/{membership.pk}/change/").status_code == 200
