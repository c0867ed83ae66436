"""The contacts, representatives and units pages in Arabic carry no English of ours."""

import pytest

from tests.factories import UserFactory
from tests.network.factories import (
    ContactFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UnitFactory,
)
from tests.test_translations import english_words


@pytest.fixture
def arabic_registry(db):
    network = NetworkFactory(slug="ittihad", name_ar="اتحاد المنظمات", name_en="Union", name_ms="Kesatuan")
    country = UnitFactory(network=network, slug="qatar", name_ar="ممثلية قطر", name_en="Qatar", kind="country")
    UnitFactory(network=network, parent=country, slug="doha", name_ar="فرع الدوحة", name_en="Doha", kind="other")
    organisation = OrganisationFactory(
        slug="khair", name_ar="جمعية الخير", legal_name="جمعية الخير الخيرية", acronym="", city="الدوحة", country="QA"
    )
    NetworkMembershipFactory(network=network, organisation=organisation, unit=country)
    ContactFactory(organisation=organisation, name="مكتب الإعلام", role="الإعلام", email="media@example.org")
    owner = UserFactory(display_name="مريم الكواري", language="ar", email="owner@example.org")
    MembershipFactory(user=owner, organisation=organisation, role="owner")
    delegate = UserFactory(display_name="عبد الله المري", language="ar", email="delegate@example.org")
    MembershipFactory(user=delegate, organisation=organisation, role="viewer")
    return network, organisation, owner


def _leftovers(client, paths):
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        leftovers = english_words(response.content.decode())
        if leftovers:
            found[path] = leftovers
    return found


def test_management_pages_in_arabic_have_no_english_left(client, arabic_registry, secretariat):
    network, organisation, owner = arabic_registry
    contact = organisation.contacts.get()
    client.force_login(owner)
    found = _leftovers(
        client,
        [
            f"/ar/organisations/{organisation.slug}/contacts/",
            f"/ar/organisations/{organisation.slug}/contacts/?q=لا-أحد",
            f"/ar/organisations/{organisation.slug}/contacts/{contact.uuid}/",
            f"/ar/organisations/{organisation.slug}/representatives/",
        ],
    )
    # Errors are in Arabic too.
    response = client.post(f"/ar/organisations/{organisation.slug}/contacts/", {"name": "", "email": "x"})
    found.update(
        {"contact errors": english_words(response.content.decode())} if english_words(response.content.decode()) else {}
    )
    client.force_login(secretariat)
    found.update(
        _leftovers(
            client,
            [
                f"/ar/networks/{network.slug}/units/",
                f"/ar/networks/{network.slug}/units/?archived=1",
                f"/ar/networks/{network.slug}/units/qatar/",
                f"/ar/networks/{network.slug}/units/doha/?where=elsewhere",
            ],
        )
    )
    assert not found, f"English on Arabic management pages: {found}"
