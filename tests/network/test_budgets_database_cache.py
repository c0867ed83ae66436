"""The registry's pages keep their budget of ten queries with the production cache, which is a
table in the database: each cache read and write there is a query (decision 0017). The other
budget tests use the in-memory cache and do not see them.

Each page is read twice: with every cached entry missing (after a change, or when the entries
expire together), then again (the common request), which must keep the budget. The first may
recompute what the cache held, but its cache work is bounded: every entry read in at most three
statements (the middleware's read of the keys every page needs, the page's own read of the rest,
one more for a fragment the template asks for) and all of them written back in one."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.network.factories import (
    CommitteeFactory,
    FocusAreaFactory,
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UnitFactory,
)

BUDGET = 10


@pytest.fixture
def registry(network, unit, org, owner, unit_admin, reindex):
    for number in range(30):
        NetworkMembershipFactory(
            network=network,
            organisation=OrganisationFactory(name_en=f"Health Trust {number}"),
            unit=unit if number % 2 else None,
        )
    for number in range(5):
        UnitFactory(network=network, parent=unit, slug=f"sub-{number}")
    CommitteeFactory(network=network, slug="c1")
    FocusAreaFactory(slug="education")
    reindex()


VISITOR_PAGES = [
    "/ar/networks/uniw/",
    "/ar/networks/uniw/members/",
    "/ar/networks/uniw/members/?q=health",
    "/ar/networks/uniw/members/?q=health&country=MY&page=2",
    "/ar/networks/uniw/members/?country=MY&type=ngo",
    "/ar/organisations/{org}/",
]
MEMBER_PAGES = [
    *VISITOR_PAGES,
    "/ar/organisations/{org}/contacts/",
    "/ar/organisations/{org}/representatives/",
    "/ar/organisations/{org}/people/",
]
UNIT_ADMIN_PAGES = [
    "/ar/networks/uniw/units/",
    "/ar/networks/uniw/units/{unit}/",
    "/ar/networks/uniw/members/?q=health",
]


def _cache_statements(queries) -> tuple[int, int]:
    sql = [query["sql"] for query in queries.captured_queries if '"tansiq_cache"' in query["sql"]]
    return sum(statement.startswith("SELECT") for statement in sql), sum(
        statement.startswith("INSERT") for statement in sql
    )


def _within_budget(client, url, django_assert_max_num_queries):
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200, url
    reads, writes = _cache_statements(cold)
    assert reads <= 3 and writes <= 1, (reads, writes)
    with django_assert_max_num_queries(BUDGET) as warm:
        assert client.get(url).status_code == 200, url
    assert _cache_statements(warm) == (_cache_statements(warm)[0], 0)  # nothing to write back


@pytest.mark.parametrize("url", VISITOR_PAGES)
def test_visitors_pages(client, registry, org, database_cache, url, django_assert_max_num_queries):
    _within_budget(client, url.format(org=org.slug), django_assert_max_num_queries)


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_an_owners_pages(client_for, registry, org, owner, database_cache, url, django_assert_max_num_queries):
    _within_budget(client_for(owner), url.format(org=org.slug), django_assert_max_num_queries)


@pytest.mark.parametrize("url", UNIT_ADMIN_PAGES)
def test_a_unit_admins_pages(
    client_for, registry, unit, unit_admin, database_cache, url, django_assert_max_num_queries
):
    _within_budget(client_for(unit_admin), url.format(unit=unit.slug), django_assert_max_num_queries)


@pytest.mark.parametrize("url", [*UNIT_ADMIN_PAGES, "/ar/networks/uniw/"])
def test_the_secretariats_pages(
    client_for, registry, unit, secretariat, database_cache, url, django_assert_max_num_queries
):
    _within_budget(client_for(secretariat), url.format(unit=unit.slug), django_assert_max_num_queries)


def test_a_second_member_reads_what_the_first_left(
    client_for, client, registry, org, database_cache, django_assert_max_num_queries
):
    first, second = UserFactory(), UserFactory()
    MembershipFactory(organisation=org, user=first, role="viewer")
    MembershipFactory(organisation=org, user=second, role="viewer")
    url = "/ar/networks/uniw/members/?q=health"
    client_for(first).get(url)
    client.logout()
    client_for(second)
    with django_assert_max_num_queries(BUDGET):
        assert client.get(url).status_code == 200
