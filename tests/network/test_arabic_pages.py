"""The registry's pages in Arabic carry no English of ours (names people typed are their own)."""

import pytest

from tests.factories import UserFactory
from tests.network.factories import (
    CommitteeFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)
from tests.test_translations import english_words


@pytest.fixture
def arabic_network(db):
    network = NetworkFactory(slug="ittihad", name_ar="اتحاد المنظمات", name_en="Union", name_ms="Kesatuan")
    organisation = OrganisationFactory(
        slug="khair", name_ar="جمعية الخير", legal_name="جمعية الخير الخيرية", acronym="", city="الدوحة", country="QA"
    )
    NetworkMembershipFactory(network=network, organisation=organisation)
    committee = CommitteeFactory(network=network, slug="women", name_ar="لجنة المرأة والأسرة والشباب")
    owner = UserFactory(display_name="مريم الكواري", language="ar", email="owner@example.org")
    MembershipFactory(user=owner, organisation=organisation, role="owner")
    return network, organisation, committee, owner


def test_registry_pages_in_arabic_have_no_english_left(client, arabic_network):
    network, organisation, committee, owner = arabic_network
    pages = [
        "/ar/",
        f"/ar/networks/{network.slug}/",
        f"/ar/networks/{network.slug}/members/",
        f"/ar/networks/{network.slug}/members/?country=ZZ",
        f"/ar/networks/{network.slug}/committees/{committee.slug}/",
        f"/ar/organisations/{organisation.slug}/",
    ]
    found = {}
    for path in pages:
        leftovers = english_words(client.get(path).content.decode())
        if leftovers:
            found[path] = leftovers
    client.force_login(owner)
    for path in [f"/ar/organisations/{organisation.slug}/edit/", f"/ar/organisations/{organisation.slug}/people/"]:
        leftovers = english_words(client.get(path).content.decode())
        if leftovers:
            found[f"owner {path}"] = leftovers
    assert not found, f"English on Arabic registry pages: {found}"


def test_a_vacant_committee_office_reads_as_vacant_in_arabic(client, arabic_network):
    network, _organisation, committee, _owner = arabic_network
    html = client.get(f"/ar/networks/{network.slug}/committees/{committee.slug}/").content.decode()
    assert html.count("شاغر") == 2  # the chair and the vice-chair
    assert "Vacant" not in html
