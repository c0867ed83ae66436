"""Choosing referees among thousands of members: the picker on the application page and the API.

The applicant types part of a member's name (any language, its acronym, spelling variants) and
chooses among the few eligible members found; the chosen ones stay checked; without JavaScript a
Find button sends the form back with nothing lost. The page never lists every member and its
queries do not grow with the network. The service still judges whatever is sent, and only the
applicant's owners and admins may search.
"""

import pytest
from django.utils import translation

from tansiq.network.models import NetworkMembership, Organisation
from tansiq.network.queries import referees as referee_picker
from tansiq.network.queries.referees import query_text
from tansiq.network.services import admission
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, NetworkMembershipFactory, OrganisationFactory, pdf, reference_of

pytestmark = pytest.mark.usefixtures("private_media")

MEMBERS = 300


@pytest.fixture
def named(network):
    """Members with telling names in three languages, and some that match but may not be referees."""
    konya = OrganisationFactory(
        slug="konya-education",
        name_ar="جمعية التعليم في قونية",
        name_en="Konya Education Association",
        name_ms="Persatuan Pendidikan Konya",
        legal_name="Konya Eğitim Derneği",
        acronym="KEA",
        city="Konya",
        country="TR",
    )
    islamic = OrganisationFactory(
        slug="islamic-relief",
        name_ar="المجلس الإسلامي للإغاثة",
        name_en="Islamic Relief Council",
        legal_name="Islamic Relief Council",
        acronym="IRC",
        city="Istanbul",
        country="TR",
    )
    majlis = OrganisationFactory(
        slug="majlis",
        name_ar="مجلس تنسيق المنظمات",
        name_en="Coordinating Council of Organisations",
        name_ms="Majlis Penyelaras Pertubuhan Malaysia",
        legal_name="Majlis Penyelaras Pertubuhan Malaysia",
        acronym="MAPEM",
    )
    for organisation in (konya, islamic, majlis):
        NetworkMembershipFactory(network=network, organisation=organisation)
    # They match "konya" too, and none of them may be a referee.
    observer = OrganisationFactory(slug="konya-observer", name_en="Konya Observers Circle", acronym="")
    NetworkMembershipFactory(network=network, organisation=observer, category="associate")
    suspended = OrganisationFactory(slug="konya-suspended", name_en="Konya Suspended Trust", acronym="")
    NetworkMembershipFactory(network=network, organisation=suspended, status="suspended")
    OrganisationFactory(slug="konya-outside", name_en="Konya Outside Foundation", acronym="")
    return konya, islamic, majlis


@pytest.fixture
def many(network):
    """Three hundred members that may be referees, all called "Charity Association …"."""
    organisations = Organisation.objects.bulk_create(
        Organisation(
            slug=f"member-{number:03d}",
            name=f"جمعية الخير {number:03d}",
            name_ar=f"جمعية الخير {number:03d}",
            name_en=f"Charity Association {number:03d}",
            country="MY",
        )
        for number in range(MEMBERS)
    )
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, organisation=organisation, status="admitted", category="full")
        for organisation in organisations
    )
    return organisations


@pytest.fixture
def declined(submitted, other_org, other_owner):
    """The application after "theirs" declined: one referee's place is open."""
    admission.answer_reference(reference_of(submitted, other_org), by=other_owner, confirm=False, reason="Unknown")
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def applicant_people(candidate):
    """The applicant's editor and viewer: they see the application, they do not choose its referees."""
    people = []
    for role in ("editor", "viewer"):
        user = UserFactory(display_name=f"Candidate {role}")
        MembershipFactory(user=user, organisation=candidate, role=role)
        people.append(user)
    return people


def htmx(client, url, data):
    return client.get(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="q")


def inputs(html: str, name: str) -> int:
    return html.count(f'name="{name}" value=')


# --- What the words typed mean ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("Kony", "Kony*"),
        ("konya edu", "konya edu*"),
        ("جمعية قوني", "جمعية قوني*"),
        ("Konya E", "Konya E"),  # a last word of fewer than three letters is a whole word
        ("UN", "UN"),  # an acronym
        ("relief*", "relief*"),
        ('"islamic relief"', '"islamic relief"'),
        ("konya -observers", "konya -observers"),
        ("konya OR", "konya OR"),
        ('"unbalanced quote', '"unbalanced quote'),
        ("  ", ""),
    ],
)
def test_the_last_word_typed_is_read_as_the_beginning_of_a_word(typed, searched):
    assert query_text(typed) == searched


# --- Finding and choosing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kony", "konya-education"),  # the beginning of the English (and Malay) name
        ("قوني", "konya-education"),  # the beginning of the Arabic name
        ("الاسلامي", "islamic-relief"),  # without hamza finds الإسلامي
        ("penyelaras pertubuhan", "majlis"),  # the Malay name
        ("mapem", "majlis"),  # the acronym
        ("KEA", "konya-education"),
    ],
)
def test_the_picker_finds_a_member_by_any_of_its_names_or_its_acronym(
    client_for, draft, candidate_owner, named, reindex, typed, expected
):
    reindex()
    client = client_for(candidate_owner)
    html = htmx(client, f"/en/applications/{draft.uuid}/referee-choices/", {"field": "referees", "q": typed})
    assert html.status_code == 200
    page = html.content.decode()
    assert f'value="{expected}"' in page
    matches = [o.slug for o in html.context["picker"].matches]
    assert matches[0] == expected


def test_only_members_that_may_be_referees_are_offered(client_for, draft, candidate_owner, named, reindex):
    reindex()
    client = client_for(candidate_owner)
    response = htmx(client, f"/en/applications/{draft.uuid}/referee-choices/", {"field": "referees", "q": "konya"})
    picker = response.context["picker"]
    # The associate, the suspended member and the organisation outside the network match, and are
    # left out; "theirs" is in Konya (its city), ranked below the member whose name it is.
    assert [organisation.slug for organisation in picker.matches] == ["konya-education", "theirs"]
    assert "Konya Observers" not in response.content.decode()


def test_the_chosen_referees_stay_checked_while_the_applicant_searches(
    client_for, draft, candidate_owner, named, reindex
):
    reindex()
    client = client_for(candidate_owner)
    url = f"/en/applications/{draft.uuid}/referee-choices/"
    html = htmx(client, url, {"field": "referees", "q": "konya", "referees": ["ours", "konya-education"]})
    page = html.content.decode()
    picker = html.context["picker"]
    assert [o.slug for o in picker.chosen] == ["ours", "konya-education"]
    # The member named Konya is already chosen: listed once, checked; "theirs" (in Konya) is offered.
    assert [o.slug for o in picker.matches] == ["theirs"]
    assert page.count('value="konya-education" id="referees-konya-education"') == 1
    assert 'id="referees-ours" aria-describedby="referees-ours-about" checked' in page
    # The status line is swapped out of band, in the page's live region.
    assert 'id="referees-status" role="status" hx-swap-oob="innerHTML"' in page


def test_a_short_word_is_a_whole_word_and_no_match_says_so(client_for, draft, candidate_owner, named, reindex):
    reindex()
    client = client_for(candidate_owner)
    url = f"/en/applications/{draft.uuid}/referee-choices/"
    short = htmx(client, url, {"field": "referees", "q": "ko"}).content.decode()
    assert "No member organisation that may be named matches" in short and 'name="referees" value=' not in short
    nothing = htmx(client, url, {"field": "referees", "q": "zzzqx"}).content.decode()
    assert "No member organisation that may be named matches" in nothing and "zzzqx" in nothing
    stop_words = htmx(client, url, {"field": "referees", "q": "the of"}).content.decode()
    assert "Type part of a member organisation’s name" in stop_words
    too_long = htmx(client, url, {"field": "referees", "q": "konya " * 60}).content.decode()
    assert "A search can be at most 256 characters long" in too_long


def test_a_small_network_lists_every_member_before_anything_is_typed(client_for, draft, candidate_owner, named):
    client = client_for(candidate_owner)
    page = client.get(f"/en/applications/{draft.uuid}/").content.decode()
    assert "Every member organisation that may be named is listed." in page
    # The draft's two referees checked, the three others offered, and nobody who may not be named.
    assert 'id="referees-ours" aria-describedby="referees-ours-about" checked' in page
    assert 'id="referees-theirs" aria-describedby="referees-theirs-about" checked' in page
    for slug in ("konya-education", "islamic-relief", "majlis"):
        assert f'id="referees-{slug}" aria-describedby="referees-{slug}-about">' in page
    assert "konya-observer" not in page and 'value="candidate"' not in page


def test_the_arabic_picker_reads_right_to_left_with_names_isolated(client_for, draft, candidate_owner, named):
    client = client_for(candidate_owner)
    page = client.get(f"/ar/applications/{draft.uuid}/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "<bdi>جمعية التعليم في قونية</bdi>" in page and "<bdi>KEA</bdi>" in page
    assert 'dir="auto"' in page.split('id="referees-q"')[1].split(">")[0]


# --- The application page at the size of a large network ------------------------------------------


@pytest.mark.parametrize("cache_kind", ["memory", "database"])
def test_the_application_page_stays_within_its_budget_with_hundreds_of_members(
    client_for, draft, candidate_owner, many, reindex, django_assert_max_num_queries, cache_kind, request
):
    if cache_kind == "database":  # the production cache: its reads are queries too
        request.getfixturevalue("database_cache")
    reindex()
    client = client_for(candidate_owner)
    url = f"/en/applications/{draft.uuid}/"
    client.get(url)
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    # The two chosen referees only: none of the three hundred members is listed before a search.
    assert inputs(page, "referees") == 2
    assert "Charity Association" not in page
    assert "Type part of a member organisation’s name" in page

    choices = f"/en/applications/{draft.uuid}/referee-choices/"
    with django_assert_max_num_queries(10):
        response = htmx(client, choices, {"field": "referees", "q": "charity", "referees": ["ours"]})
    html = response.content.decode()
    assert inputs(html, "referees") == 1 + referee_picker.SHOWN
    assert "The 20 best matches are shown" in html


@pytest.mark.parametrize("cache_kind", ["memory", "database"])
def test_the_replacement_form_stays_within_its_budget_with_hundreds_of_members(
    client_for, declined, candidate_owner, many, reindex, django_assert_max_num_queries, cache_kind, request
):
    if cache_kind == "database":  # the production cache: its reads are queries too
        request.getfixturevalue("database_cache")
    reindex()
    client = client_for(candidate_owner)
    url = f"/en/applications/{declined.uuid}/"
    client.get(url)
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    assert "Name another referee" in page and inputs(page, "organisation") == 0
    with django_assert_max_num_queries(10):
        html = htmx(
            client,
            f"/en/applications/{declined.uuid}/referee-choices/",
            {"field": "organisation", "q": "charity 012"},
        ).content.decode()
    assert inputs(html, "organisation") == 1
    assert 'type="radio" name="organisation" value="member-012"' in html


# --- Without JavaScript: Find sends the form back ---------------------------------------------------


def test_find_without_javascript_keeps_everything_typed_and_saves_nothing(
    client_for, draft, candidate_owner, named, reindex
):
    reindex()
    client = client_for(candidate_owner)
    before = draft.board_resolution.name
    response = client.post(
        f"/en/applications/{draft.uuid}/",
        {
            "find": "referees",
            "q": "mapem",
            "category": "associate",
            "representative_name": "Siti Nurhaliza",
            "motivation": "We run schools in three provinces.",
            "referees": ["ours"],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Siti Nurhaliza"' in page and "We run schools in three provinces." in page
    assert '<option value="associate" selected>' in page
    assert 'value="mapem"' in page
    assert 'id="referees-ours" aria-describedby="referees-ours-about" checked' in page
    assert 'id="referees-majlis" aria-describedby="referees-majlis-about">' in page
    assert 'value="theirs"' not in page  # unchecked before Find, and not what the words find
    draft.refresh_from_db()
    assert draft.representative_name == "Aminah binti Yusof" and draft.category == "full"
    assert sorted(draft.references.values_list("organisation__slug", flat=True)) == ["ours", "theirs"]
    assert draft.board_resolution.name == before

    # A document chosen before pressing Find is uploaded, not lost (a page drawn again cannot keep it).
    response = client.post(
        f"/en/applications/{draft.uuid}/",
        {"find": "referees", "q": "kony", "representative_name": "Siti", "board_resolution": pdf("new.pdf")},
    )
    assert response.status_code == 200 and "The documents have been saved." in response.content.decode()
    draft.refresh_from_db()
    assert draft.board_resolution.name != before and draft.representative_name == "Aminah binti Yusof"


def test_the_members_chosen_in_the_picker_are_saved(client_for, draft, candidate_owner, named, reindex):
    client = client_for(candidate_owner)
    response = client.post(
        f"/en/applications/{draft.uuid}/",
        {"category": "full", "representative_name": "Aminah binti Yusof", "referees": ["ours", "konya-education"]},
    )
    assert response.status_code == 302
    assert sorted(draft.references.values_list("organisation__slug", flat=True)) == ["konya-education", "ours"]


def test_find_without_javascript_in_the_replacement_form(client_for, declined, candidate_owner, named, reindex):
    reindex()
    client = client_for(candidate_owner)
    response = client.post(f"/en/applications/{declined.uuid}/referees/", {"find": "organisation", "q": "mapem"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="radio" name="organisation" value="majlis"' in page and 'value="mapem"' in page
    assert declined.references.count() == 2  # nobody named yet


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("no-such-organisation", "Referees must be member organisations of the network."),
        ("konya-outside", "Referees must be member organisations of the network."),
        ("konya-suspended", "Referees must be member organisations of the network."),
        ("konya-observer", "An associate member or observer has no vote and cannot be a referee."),
        ("candidate", "An organisation cannot be its own referee."),
    ],
)
def test_a_referee_that_may_not_be_named_is_refused_with_its_reason_and_nothing_typed_is_lost(
    client_for, draft, candidate_owner, named, slug, message
):
    client = client_for(candidate_owner)
    response = client.post(
        f"/en/applications/{draft.uuid}/",
        {"category": "full", "representative_name": "Siti Nurhaliza", "referees": ["ours", slug]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'id="referees-error"' in page
    assert 'value="Siti Nurhaliza"' in page
    assert 'id="referees-ours" aria-describedby="referees-ours-about" checked' in page
    draft.refresh_from_db()
    assert draft.representative_name == "Aminah binti Yusof"
    assert sorted(draft.references.values_list("organisation__slug", flat=True)) == ["ours", "theirs"]


def test_an_overlong_list_of_referees_is_refused_and_nothing_changes(client_for, draft, candidate_owner, many):
    client = client_for(candidate_owner)
    slugs = [organisation.slug for organisation in many[: referee_picker.MAX_CHOSEN + 1]]
    response = client.post(
        f"/en/applications/{draft.uuid}/",
        {"category": "full", "representative_name": "Siti Nurhaliza", "referees": slugs},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Referees must be member organisations of the network." in page and 'value="Siti Nurhaliza"' in page
    assert sorted(draft.references.values_list("organisation__slug", flat=True)) == ["ours", "theirs"]


def test_the_refusal_is_in_the_applicants_language(client_for, draft, candidate_owner, named):
    client = client_for(candidate_owner)
    response = client.post(
        f"/ar/applications/{draft.uuid}/",
        {"category": "full", "representative_name": "Siti", "referees": ["candidate"]},
    )
    assert response.status_code == 400
    with translation.override("ar"):
        expected = translation.gettext("An organisation cannot be its own referee.")
    assert expected in response.content.decode()


# --- The API ----------------------------------------------------------------------------------------


def test_the_api_finds_referee_choices_with_the_same_matching_and_pages_them(
    client_for, declined, candidate_owner, named, many, reindex
):
    reindex()
    client = client_for(candidate_owner)
    url = f"/api/v1/applications/{declined.uuid}/referee-choices"
    found = client.get(url, {"q": "قوني"}).json()
    assert [item["slug"] for item in found["items"]] == ["konya-education"] and found["count"] == 1
    assert [item["slug"] for item in client.get(url, {"q": "mapem"}).json()["items"]] == ["majlis"]
    charity = client.get(url, {"q": "charity"}).json()
    assert charity["count"] == MEMBERS and len(charity["items"]) == 100
    second = client.get(url, {"q": "charity", "page": 2}).json()["items"]
    assert len(second) == 100 and not {i["slug"] for i in second} & {i["slug"] for i in charity["items"]}
    # Without q: every member that may be named, by name; "ours" is named, "theirs" declined.
    everyone = client.get(url).json()
    assert everyone["count"] == MEMBERS + 3
    assert "ours" not in {item["slug"] for item in everyone["items"]}
    too_long = client.get(url, {"q": "konya " * 60})
    assert too_long.status_code == 400 and "at most 256 characters" in too_long.json()["error"]["message"]


# --- Who may search ---------------------------------------------------------------------------------


def test_only_the_applicants_owners_and_admins_may_search_for_referees(
    client, draft, candidate, outsider, other_owner, owner, secretariat, applicant_people, named
):
    admin = UserFactory(display_name="Candidate admin")
    MembershipFactory(user=admin, organisation=candidate, role="admin")
    page = f"/en/applications/{draft.uuid}/referee-choices/?field=referees&q=konya"
    api = f"/api/v1/applications/{draft.uuid}/referee-choices?q=konya"
    client.force_login(admin)
    assert client.get(page).status_code == 200 and client.get(api).status_code == 200
    # A visitor is sent to sign in (the API answers 401); anyone else gets 404: an outsider, the
    # referees' owners, the applicant's editor and viewer, and the secretariat, who reviews the
    # choice but does not make it.
    assert_refused(client, None, [page, api, ("post", f"/en/applications/{draft.uuid}/")])
    for user in (outsider, other_owner, owner, secretariat, *applicant_people):
        assert_refused(client, user, [page, api], allowed=(404,))
        assert_refused(
            client,
            user,
            [("post", f"/en/applications/{draft.uuid}/"), ("post", f"/en/applications/{draft.uuid}/referees/")],
            allowed=(404,),
        )


def test_each_picker_answers_only_at_its_step(client_for, draft, declined, candidate_owner):
    client = client_for(candidate_owner)
    # A submitted application has no draft to choose for; a draft has no declined place to fill.
    assert client.get(f"/en/applications/{declined.uuid}/referee-choices/?field=referees").status_code == 404
    assert client.get(f"/en/applications/{declined.uuid}/referee-choices/?field=organisation").status_code == 200
    assert client.get(f"/en/applications/{declined.uuid}/referee-choices/?field=other").status_code == 404
    # Once the place is filled, there is nothing to search for.
    admission.name_another_referee(declined, by=candidate_owner, organisation=_third(declined))
    assert client.get(f"/en/applications/{declined.uuid}/referee-choices/?field=organisation").status_code == 404


def _third(application):
    organisation = OrganisationFactory(slug="third")
    NetworkMembershipFactory(network=application.network, organisation=organisation)
    return organisation


def test_without_javascript_the_choices_address_shows_the_whole_page(
    client_for, draft, candidate_owner, named, reindex
):
    reindex()
    client = client_for(candidate_owner)
    response = client.get(f"/en/applications/{draft.uuid}/referee-choices/", {"field": "referees", "q": "kony"})
    page = response.content.decode()
    assert response.status_code == 200 and "Complete the application" in page
    assert 'id="referees-konya-education"' in page
    # The form still posts to the application's own address.
    assert f'action="/en/applications/{draft.uuid}/"' in page
