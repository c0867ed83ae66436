"""Counts and names on the network's pages as Arabic and Malay readers write them."""

import re

import pytest

from tansiq.demo import network as demo
from tests.network.factories import NetworkMembershipFactory, OrganisationFactory


def test_arabic_prepositions_attach_to_the_word():
    assert demo.arabic_prefixed("ل", "الثقافة") == "للثقافة"
    assert demo.arabic_prefixed("ب", "القاهرة") == "بالقاهرة"
    assert demo.arabic_prefixed("ل", "رعاية الأيتام") == "لرعاية الأيتام"
    assert demo.arabic_prefixed("ب", "جدة") == "بجدة"


@pytest.mark.parametrize("variant", range(3))
@pytest.mark.parametrize("topic", range(len(demo.TOPICS)))
def test_demo_names_never_write_a_tatweel_before_the_article(topic, variant):
    local, arabic, _english = demo._names("EG", "ar", ("القاهرة", "Cairo", "القاهرة"), topic, variant)
    assert not re.search("[لب]ـ", local + arabic)
    if variant == 1:
        assert "بالقاهرة" in local
    if variant == 2 and demo.LOCAL["ar"][0][topic] == "الثقافة":
        assert "للثقافة" in local


def _admit(network, count, countries):
    for index in range(count):
        NetworkMembershipFactory(
            network=network, organisation=OrganisationFactory(country=countries[index % len(countries)])
        )


def test_a_one_country_council_counts_members_without_from_one_country(client, network):
    _admit(network, 3, ["MY"])
    html = client.get(f"/ms/networks/{network.slug}/").content.decode()
    lead = re.search(r'<p class="lead mb-0">(.*?)</p>', html, re.S).group(1)
    assert "ahli" in lead and "negara" not in lead


def test_a_network_of_many_countries_counts_both_in_arabic(client, network):
    _admit(network, 12, ["MY", "SA", "EG", "TR", "SN", "JO", "QA", "KW", "BH", "OM", "MA", "TN"])
    html = client.get(f"/ar/networks/{network.slug}/").content.decode()
    lead = re.search(r'<p class="lead mb-0">(.*?)</p>', html, re.S).group(1)
    assert "عضوًا" in lead and "بلدًا" in lead
