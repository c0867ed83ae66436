"""Who sees what: visibility is part of the query, so pages, totals and facets agree with it."""

from __future__ import annotations

import pytest

from tansiq.core.search import index_document, search
from tests.factories import UserFactory

NETWORK, OTHER_NETWORK = 7, 8
ORGANISATION = 70


@pytest.fixture
def documents(db):
    common = {"body": "Rancangan kerjasama pertubuhan belia", "language": "ms"}
    index_document("organisation", "public", title="Pertubuhan awam", country="MY", **common)
    index_document(
        "event",
        "network",
        title="Mesyuarat rangkaian",
        visibility="network",
        network_id=NETWORK,
        country="ID",
        **common,
    )
    index_document(
        "event",
        "other-network",
        title="Mesyuarat lain",
        visibility="network",
        network_id=OTHER_NETWORK,
        country="BN",
        **common,
    )
    index_document(
        "report",
        "organisation",
        title="Laporan dalaman",
        visibility="organisation",
        network_id=NETWORK,
        organisation_id=ORGANISATION,
        country="SG",
        **common,
    )
    index_document("incident", "staff", title="Insiden untuk disahkan", visibility="staff", country="TH", **common)


def seen(user=None) -> tuple[set[str], int, dict[str, dict[str, int]]]:
    results = search("kerjasama", user=user, limit=50)
    facets = {name: {facet.value: facet.count for facet in facets} for name, facets in results.facets.items()}
    return {hit.key for hit in results.hits}, results.total, facets


def test_a_visitor_sees_public_documents_only_and_counts_nothing_else(documents):
    keys, total, facets = seen(None)
    assert keys == {"public"}
    assert total == 1
    assert facets == {"kind": {"organisation": 1}, "country": {"MY": 1}}


def test_a_signed_in_person_without_memberships_sees_what_a_visitor_sees(documents, outsider, memberships):
    assert seen(outsider) == seen(None)


def test_network_members_see_their_networks_documents(documents, member, memberships):
    memberships[member.pk] = ([NETWORK], [])
    keys, total, facets = seen(member)
    assert keys == {"public", "network"}
    assert total == 2
    assert facets["country"] == {"MY": 1, "ID": 1}


def test_organisation_members_see_their_organisations_documents(documents, member, memberships):
    memberships[member.pk] = ([NETWORK], [ORGANISATION])
    assert seen(member)[0] == {"public", "network", "organisation"}


def test_members_of_another_network_see_none_of_ours(documents, outsider, memberships):
    memberships[outsider.pk] = ([OTHER_NETWORK], [ORGANISATION + 1])
    keys, total, facets = seen(outsider)
    assert keys == {"public", "other-network"}
    assert total == 2
    assert facets["kind"] == {"organisation": 1, "event": 1}


@pytest.mark.parametrize("how", ["is_staff", "analyst", "secretariat"])
def test_platform_staff_see_staff_documents(documents, how, analyst, secretariat):
    user = {"is_staff": UserFactory(is_staff=True), "analyst": analyst, "secretariat": secretariat}[how]
    keys, total, facets = seen(user)
    assert keys == {"public", "staff"}
    assert total == 2
    assert facets["kind"] == {"organisation": 1, "incident": 1}


def test_an_inactive_account_is_a_visitor(documents, memberships):
    user = UserFactory(is_staff=True, is_active=False)
    memberships[user.pk] = ([NETWORK], [ORGANISATION])
    assert seen(user)[0] == {"public"}


def test_hidden_documents_never_take_a_place_on_a_page(documents, member, memberships):
    """The best-ranked documents are hidden ones; a visitor's first page still holds a visible hit."""
    for number in range(5):
        index_document(
            "event",
            f"hidden-{number}",
            title="Kerjasama kerjasama kerjasama",
            body="kerjasama",
            visibility="network",
            network_id=NETWORK,
            language="ms",
        )
    page = search("kerjasama", limit=1)
    assert [hit.key for hit in page.hits] == ["public"]
    assert page.total == 1
    memberships[member.pk] = ([NETWORK], [])
    assert search("kerjasama", user=member, limit=1).hits[0].key.startswith("hidden-")
