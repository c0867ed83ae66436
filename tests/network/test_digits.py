"""Counts inside translated sentences are written in the reader's digits."""

import re

import pytest
from django.utils.html import strip_tags

from tests.factories import UserFactory
from tests.network.factories import NetworkFactory, NetworkMembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    network = NetworkFactory(slug="ittihad", name_ar="اتحاد المنظمات", name_en="Union")
    for index, country in enumerate(["QA", "QA", "MY", "TR"]):
        organisation = OrganisationFactory(slug=f"org-{index}", country=country, staff_count=12, volunteer_count=340)
        NetworkMembershipFactory(network=network, organisation=organisation)
    return network


def lead(client, path: str, pattern: str) -> str:
    text = " ".join(strip_tags(client.get(path).content.decode()).split())
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not on {path}"
    return found.group(0)


def test_arabic_pages_count_in_arabic_indic_digits(client, network):
    home = lead(client, "/ar/networks/ittihad/", r"[0-9٠-٩]+ أعضاء من [0-9٠-٩]+ بلدان")
    assert home == "٤ أعضاء من ٣ بلدان"
    assert lead(client, "/ar/networks/ittihad/members/", r"[0-9٠-٩]+ منظمات(?!\S)") == "٤ منظمات"
    assert "١٢" in lead(client, "/ar/organisations/org-0/", r"\S+ موظفًا")
    assert "٣٤٠" in lead(client, "/ar/organisations/org-0/", r"\S+ متطوع\S*")


def test_english_pages_and_a_latin_preference_keep_western_digits(client, network):
    assert lead(client, "/en/networks/ittihad/", r"\d+ members from \d+ countries") == "4 members from 3 countries"
    reader = UserFactory(language="ar", digits="latin")
    client.force_login(reader)
    assert lead(client, "/ar/networks/ittihad/members/", r"[0-9٠-٩]+ منظمات(?!\S)") == "4 منظمات"
