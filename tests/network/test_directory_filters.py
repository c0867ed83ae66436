"""The directory's page and GET /api/v1/organisations narrow by one set of filters, checked by one form."""

import pytest

from tansiq.network.models import CommitteeSeat, NetworkMembership

from .factories import (
    CommitteeFactory,
    FocusAreaFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

PAGE = "/en/networks/home/members/"
API = "/api/v1/organisations"


@pytest.fixture
def networks(db):
    """Two networks whose committees share a slug ("finance" in the other one only), and an
    organisation that is a member of both, seated on the other network's finance committee."""
    home, other = NetworkFactory(slug="home"), NetworkFactory(slug="other")
    area = FocusAreaFactory(slug="water")
    board = CommitteeFactory(network=home, slug="board")
    finance = CommitteeFactory(network=other, slug="finance")
    rows = [
        ("amal", "MY", "ngo", NetworkMembership.Category.FULL),
        ("bina", "TR", "foundation", NetworkMembership.Category.ASSOCIATE),
        ("cahaya", "MY", "foundation", NetworkMembership.Category.FULL),
        ("dua", "ID", "ngo", NetworkMembership.Category.FOUNDING),
    ]
    found = {}
    for slug, country, kind, category in rows:
        organisation = OrganisationFactory(slug=slug, name_en=slug.title(), country=country, type=kind)
        NetworkMembershipFactory(network=home, organisation=organisation, category=category)
        found[slug] = organisation
    found["amal"].focus_areas.add(area)
    found["cahaya"].focus_areas.add(area)
    CommitteeSeat.objects.create(committee=board, organisation=found["bina"])
    NetworkMembershipFactory(network=other, organisation=found["cahaya"])
    CommitteeSeat.objects.create(committee=finance, organisation=found["cahaya"])
    return home, other


def page_slugs(client, filters) -> list[str]:
    response = client.get(PAGE, filters)
    assert response.status_code == 200
    return [membership.organisation.slug for membership in response.context["page_obj"]]


def api_slugs(client, filters) -> list[str]:
    response = client.get(API, {"network": "home", **filters})
    assert response.status_code == 200, response.content
    return [organisation["slug"] for organisation in response.json()["items"]]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"country": "MY"},
        {"type": "foundation"},
        {"focus": "water"},
        {"committee": "board"},
        {"category": "full"},
        {"category": "associate"},
        {"category": "full", "country": "MY", "focus": "water", "type": "foundation"},
    ],
)
def test_page_and_api_find_the_same_members(client, networks, filters):
    assert page_slugs(client, filters) == api_slugs(client, filters)


def test_the_api_filters_by_category(client, networks):
    assert api_slugs(client, {"category": "full"}) == ["amal", "cahaya"]
    assert api_slugs(client, {"category": "founding"}) == ["dua"]


def test_a_committee_of_another_network_is_refused_by_both(client, networks):
    # "finance" is a committee of the other network, where cahaya sits on it: it is not a committee
    # of this network, so neither the page nor the API narrows by it.
    page = client.get(PAGE, {"committee": "finance"})
    assert "committee" in page.context["filter_form"].errors
    assert [membership.organisation.slug for membership in page.context["page_obj"]] == [
        "amal",
        "bina",
        "cahaya",
        "dua",
    ]
    refused = client.get(API, {"network": "home", "committee": "finance"})
    assert refused.status_code == 422
    assert "committee" in refused.json()["error"]["fields"]


def test_committee_and_category_need_a_network_in_the_api(client, networks):
    for name, value in (("committee", "finance"), ("category", "full")):
        refused = client.get(API, {name: value})
        assert refused.status_code == 422
        assert name in refused.json()["error"]["fields"]


def _country_options(client, path: str) -> list[str]:
    from django.core.cache import cache

    cache.clear()  # the filter lists are a cached fragment
    response = client.get(path)
    assert response.status_code == 200
    field = response.context["filter_form"]["country"]
    return [label for value, label in field.field.choices if value]


def test_the_country_filter_lists_the_countries_with_members_in_the_readers_order(client, networks):
    home, _other = networks
    kosovo = OrganisationFactory(slug="prishtina", country="XK")
    NetworkMembershipFactory(network=home, organisation=kosovo)
    # An applicant's country is not a member country for visitors.
    NetworkMembershipFactory(
        network=home, organisation=OrganisationFactory(slug="pending", country="EG"), status="applicant"
    )
    assert _country_options(client, PAGE) == ["Indonesia", "Kosovo", "Malaysia", "Türkiye"]
    # Arabic in Arabic alphabetical order (إندونيسيا with the alifs, before تركيا), Kosovo named.
    assert _country_options(client, "/ar/networks/home/members/") == ["إندونيسيا", "تركيا", "كوسوفو", "ماليزيا"]
    assert _country_options(client, "/ms/networks/home/members/")[1] == "Kosovo"
    # A country without members is still a filter (it finds nothing), not a mistake.
    page = client.get(PAGE, {"country": "FR"})
    assert "country" not in page.context["filter_form"].errors and not list(page.context["page_obj"])


def test_the_country_list_is_cached_and_forgotten_when_a_member_joins(client, networks, django_assert_num_queries):
    from django.core.cache import cache

    home, _other = networks
    cache.clear()
    client.get(PAGE)
    # Read from the cache with the directory's other filter choices: no query for the countries.
    from tansiq.network.queries.directory import member_country_choices

    with django_assert_num_queries(0):
        assert [code for code, _name in member_country_choices(home, staff=False)] == ["ID", "MY", "TR"]
    NetworkMembershipFactory(network=home, organisation=OrganisationFactory(slug="cairo", country="EG"))
    assert "EG" in dict(member_country_choices(home, staff=False))
