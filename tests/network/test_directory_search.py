"""The directory's search is the global search index: its variants, its ranking, its visibility.

The same rules hold on the members page, its CSV/XLSX/HXL exports and ``GET /api/v1/organisations?q=``.
"""

import csv
import io

import pytest

from tansiq.core.search import search
from tansiq.network import search as network_search
from tansiq.network import services
from tansiq.network.models import CommitteeSeat, NetworkMembership
from tests.factories import UserFactory
from tests.network.factories import (
    CommitteeFactory,
    FocusAreaFactory,
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

MEMBERS = "/en/networks/uniw/members/"


def slugs(response) -> list[str]:
    return [membership.organisation.slug for membership in response.context["page_obj"]]


@pytest.fixture
def relief(network):
    """An Arabic name written with hamza, a Malay council, a Turkish foundation."""
    islamic = OrganisationFactory(
        slug="islamic-relief",
        name_ar="المجلس الإسلامي للإغاثة",
        name_en="Islamic Relief Council of Istanbul",
        legal_name="İslami Yardım Konseyi",
        country="TR",
        type="foundation",
    )
    council = OrganisationFactory(
        slug="majlis",
        name_ar="مجلس تنسيق المنظمات",
        name_en="Coordinating Council of Organisations of Malaysia",
        name_ms="Majlis Penyelaras Pertubuhan Malaysia",
        legal_name="Majlis Penyelaras Pertubuhan Malaysia",
        acronym="MAPEM",
        country="MY",
    )
    orphans = OrganisationFactory(
        slug="orphans",
        name_ar="جمعية رعاية الأيتام",
        name_en="Orphan Care Society",
        legal_name="Persatuan Anak Yatim",
        description_en="Works with the Islamic Relief Council on orphan sponsorship.",
        country="MY",
    )
    for organisation in (islamic, council, orphans):
        NetworkMembershipFactory(network=network, organisation=organisation)
    return islamic, council, orphans


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("الاسلامي", ["islamic-relief"]),  # without hamza finds الإسلامي
        ("الإسلامى", ["islamic-relief"]),  # alef maqsura typed for yaa
        ("رعايه الايتام", ["orphans"]),  # taa marbuta typed as haa, alef without hamza
        ("penyelarasan", ["majlis"]),  # Malay affixes: penyelarasan → selaras ← Penyelaras
        ("menyelaraskan pertubuhan", ["majlis"]),
        ("mapem", ["majlis"]),
    ],
)
def test_search_finds_what_the_analyser_finds(client, relief, reindex, query, expected):
    reindex()
    assert slugs(client.get(MEMBERS, {"q": query})) == expected


def test_names_are_ranked_above_descriptions(client, relief, reindex):
    reindex()
    response = client.get(MEMBERS, {"q": "Islamic Relief Council"})
    assert slugs(response) == ["islamic-relief", "orphans"]  # a name match, then a description match
    assert response.context["searched"] is True
    assert "best matches first" in response.content.decode()


def test_search_keeps_every_filter(client, network, relief, reindex, secretariat, client_for):
    islamic, council, orphans = relief
    area = FocusAreaFactory(slug="orphans-care")
    orphans.focus_areas.add(area)
    committee = CommitteeFactory(network=network, slug="humanitarian")
    CommitteeSeat.objects.create(committee=committee, organisation=islamic)
    NetworkMembership.objects.filter(organisation=council).update(category="associate")
    reindex()
    assert slugs(client.get(MEMBERS, {"q": "islamic", "country": "TR"})) == ["islamic-relief"]
    assert slugs(client.get(MEMBERS, {"q": "islamic", "country": "MY"})) == ["orphans"]
    assert slugs(client.get(MEMBERS, {"q": "islamic", "focus": "orphans-care"})) == ["orphans"]
    assert slugs(client.get(MEMBERS, {"q": "islamic", "committee": "humanitarian"})) == ["islamic-relief"]
    assert slugs(client.get(MEMBERS, {"q": "islamic", "type": "foundation"})) == ["islamic-relief"]
    assert slugs(client.get(MEMBERS, {"q": "majlis", "category": "associate"})) == ["majlis"]
    assert slugs(client.get(MEMBERS, {"q": "majlis", "category": "full"})) == []
    NetworkMembership.objects.filter(organisation=orphans).update(status="suspended")
    staff = client_for(secretariat)
    assert slugs(staff.get(MEMBERS, {"q": "islamic", "status": "suspended"})) == ["orphans"]
    assert slugs(staff.get(MEMBERS, {"q": "islamic", "status": "admitted"})) == ["islamic-relief"]


def test_an_invalid_filter_is_shown_and_the_others_still_apply(client, relief, reindex):
    reindex()
    response = client.get(MEMBERS, {"q": "islamic", "country": "XX"})
    assert slugs(response) == ["islamic-relief", "orphans"]
    assert 'id="id_country_error"' in response.content.decode()


def test_a_query_without_words_lists_everyone_and_no_match_says_so(client, relief, reindex):
    reindex()
    assert len(slugs(client.get(MEMBERS, {"q": "the"}))) == 3  # only a stop word: nothing to search
    response = client.get(MEMBERS, {"q": "nothing-like-this"})
    assert slugs(response) == []
    assert "No member organisations match." in response.content.decode()


def test_search_pages_through_every_match_in_rank_order(client, network, reindex):
    for number in range(30):
        organisation = OrganisationFactory(slug=f"relief-{number:02}", name_en=f"Relief Committee {number}")
        NetworkMembershipFactory(network=network, organisation=organisation)
    reindex()
    first, second = client.get(MEMBERS, {"q": "relief"}), client.get(MEMBERS, {"q": "relief", "page": 2})
    assert first.context["page_obj"].paginator.count == 30
    assert len(slugs(first)) == 25 and len(slugs(second)) == 5
    assert set(slugs(first)) | set(slugs(second)) == {f"relief-{number:02}" for number in range(30)}
    export = client.get(MEMBERS, {"q": "relief", "export": "csv"}).content.decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(export))][1:]
    page_names = [m.organisation.name for m in first.context["page_obj"]] + [
        m.organisation.name for m in second.context["page_obj"]
    ]
    assert names == page_names  # the export is the searched list, in the page's order


def test_a_query_matching_more_than_the_window_says_so(client, network, reindex, monkeypatch):
    for number in range(4):
        NetworkMembershipFactory(network=network, organisation=OrganisationFactory(name_en=f"Relief Trust {number}"))
    reindex()
    monkeypatch.setattr(network_search, "WINDOW", 3)
    monkeypatch.setattr(network_search.matching_organisations, "__kwdefaults__", {"country": "", "window": 3})
    response = client.get(MEMBERS, {"q": "relief"})
    assert response.context["page_obj"].paginator.count == 3
    assert "More than 3 organisations match this search" in response.content.decode()


def test_a_visitor_never_finds_an_applicant_or_a_suspended_member(client, network, org, applicant, reindex):
    suspended = OrganisationFactory(slug="suspended", name_en="Pending Suspended Society")
    NetworkMembershipFactory(network=network, organisation=suspended, status="suspended")
    reindex()
    for query in ({"q": "pending"}, {"q": "society"}, {"q": "pending", "status": "applicant"}):
        assert slugs(client.get(MEMBERS, query)) == []
        for fmt in ("csv", "hxl"):
            body = client.get(MEMBERS, {**query, "export": fmt}).content.decode("utf-8-sig")
            assert "Pending" not in body, fmt
        xlsx = client.get(MEMBERS, {**query, "export": "xlsx"}).content
        assert b"Pending" not in xlsx
    assert client.get("/api/v1/organisations", {"q": "pending"}).json()["items"] == []
    assert client.get("/api/v1/organisations", {"q": "pending", "network": "uniw"}).json()["items"] == []
    # Inside the index too: no total, no facet counts it.
    results = search("pending", user=None, kinds=["organisation"])
    assert results.total == 0 and results.facets["country"] == []


def test_an_outsider_finds_no_more_than_a_visitor(client_for, outsider, network, org, applicant, reindex):
    reindex()
    client = client_for(outsider)
    assert slugs(client.get(MEMBERS, {"q": "pending"})) == []
    assert client.get("/api/v1/organisations", {"q": "pending"}).json()["items"] == []
    assert search("pending", user=outsider).total == 0


def test_the_applicants_own_people_unit_admins_and_the_secretariat_find_it(
    client_for, network, unit, applicant, secretariat, unit_admin, reindex
):
    NetworkMembership.objects.filter(organisation=applicant).update(unit=unit)
    owner = UserFactory()
    MembershipFactory(user=owner, organisation=applicant, role="owner")
    reindex()
    # In the index: its own people, the admins of its unit and the secretariat.
    for user in (owner, unit_admin, secretariat):
        assert [hit.key for hit in search("pending", user=user, kinds=["organisation"])] == [str(applicant.pk)]
    # In the directory: those who list every status of the unit or the network.
    assert slugs(client_for(secretariat).get(MEMBERS, {"q": "pending", "status": "applicant"})) == ["pending"]
    assert slugs(client_for(unit_admin).get(MEMBERS, {"q": "pending"})) == ["pending"]
    # Its own people act for an applicant, not for a member: the public list still leaves it out.
    assert slugs(client_for(owner).get(MEMBERS, {"q": "pending"})) == []


def test_the_index_follows_admission_and_suspension(
    client, network, secretariat, reindex, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(slug="newcomer", name_en="Newcomer Waqf Board")
    with django_capture_on_commit_callbacks(execute=True):
        membership = NetworkMembershipFactory(network=network, organisation=organisation, status="applicant")
    assert slugs(client.get(MEMBERS, {"q": "waqf"})) == []
    with django_capture_on_commit_callbacks(execute=True):
        membership.status = NetworkMembership.Status.ADMITTED
        membership.save()
    assert slugs(client.get(MEMBERS, {"q": "waqf"})) == ["newcomer"]
    assert search("waqf").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.change_membership_status(membership, to="suspended", by=secretariat, reason="Dues unpaid")
    assert slugs(client.get(MEMBERS, {"q": "waqf"})) == []
    assert search("waqf").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name_en = "Newcomer Endowment Board"
        organisation.save()
    assert search("endowment", user=secretariat).total == 1 and search("waqf", user=secretariat).total == 0


def test_the_api_finds_what_the_page_finds_in_the_same_order(client, relief, reindex):
    reindex()
    for query in ("islamic relief council", "الاسلامي", "penyelarasan", "islamic"):
        page = slugs(client.get(MEMBERS, {"q": query}))
        api = [
            item["slug"]
            for item in client.get("/api/v1/organisations", {"q": query, "network": "uniw"}).json()["items"]
        ]
        assert api == page, query
    data = client.get("/api/v1/organisations", {"q": "islamic", "country": "tr"}).json()
    assert [item["slug"] for item in data["items"]] == ["islamic-relief"] and data["count"] == 1


def test_an_over_long_query_is_a_clear_error_not_a_crash(client, relief, reindex):
    reindex()
    response = client.get("/api/v1/organisations", {"q": "x" * 400}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "characters" in response.json()["error"]["message"]
    page = client.get(MEMBERS, {"q": "x" * 400})
    assert page.status_code == 200  # the form refuses it beside the field and lists everyone
    assert 'id="id_q_error"' in page.content.decode()


def test_search_results_link_to_the_profile_in_the_readers_language(client, relief, reindex):
    reindex()
    hit = search("penyelarasan").hits[0]
    assert hit.url == "/organisations/majlis/"
    response = client.get(hit.url, headers={"Accept-Language": "ms"})
    assert response.status_code == 302 and response["Location"] == "/ms/organisations/majlis/"


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
def test_searched_and_filtered_directory_stays_within_the_query_budget(
    client_for, client, network, relief, owner, language, reindex, django_assert_max_num_queries
):
    for number in range(30):
        NetworkMembershipFactory(network=network, organisation=OrganisationFactory(name_en=f"Relief Trust {number}"))
    CommitteeFactory(network=network, slug="c1")
    FocusAreaFactory(slug="education")
    reindex()
    urls = [
        f"/{language}/networks/uniw/members/?q=relief",
        f"/{language}/networks/uniw/members/?q=relief&country=MY&page=2",
        f"/{language}/networks/uniw/members/?q=islamic&committee=c1&focus=education&type=ngo",
        f"/{language}/networks/uniw/members/?country=MY&category=full",
    ]
    for user in (None, owner):
        if user:
            client_for(user)
        for url in urls:
            client.get(url)  # warm the caches, as a running site has them
            with django_assert_max_num_queries(10):
                assert client.get(url).status_code == 200, url


def test_counts_stay_right_after_membership_changes(client, network, org, other_org, secretariat, reindex):
    reindex()
    assert client.get(MEMBERS).context["page_obj"].paginator.count == 2
    assert client.get("/en/networks/uniw/").context["stats"].members == 2
    services.change_membership_status(
        NetworkMembership.objects.get(organisation=other_org), to="suspended", by=secretariat, reason="Dues unpaid"
    )
    assert client.get(MEMBERS).context["page_obj"].paginator.count == 1
    assert client.get(MEMBERS, {"country": "TR"}).context["page_obj"].paginator.count == 0
    assert client.get("/en/networks/uniw/").context["stats"].members == 1
    assert client.get("/en/networks/uniw/").context["stats"].countries == 1
