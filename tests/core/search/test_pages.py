"""The search page, the header's search box and ``GET /api/v1/search``."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from tansiq.core.search import index_document
from tansiq.core.search.parsing import MAX_QUERY_LENGTH
from tansiq.core.search.registry import kind_label
from tests.helpers import assert_refused

NETWORK = 5


@pytest.fixture
def documents(db):
    index_document(
        "organisation",
        "majlis",
        title="مجلس الجمعيات الأهلية",
        url="/ar/organisations/majlis/",
        body="يجمع المجلس المنظمات الأهلية في الدول الأعضاء للتنسيق في العمل الإنساني.",
        language="ar",
        country="SA",
    )
    index_document(
        "organisation",
        "belia",
        title="Majlis Belia Malaysia",
        url="/ms/organisations/belia/",
        body="Pertubuhan belia yang menyelaraskan kerja kemanusiaan dan pertubuhan ahli.",
        language="ms",
        country="MY",
    )
    index_document(
        "event",
        "muktamar",
        title="Muktamar pertubuhan Islam",
        body="Pertubuhan ahli berhimpun.",
        language="ms",
        country="MY",
        visibility="network",
        network_id=NETWORK,
    )
    index_document(
        "incident",
        "report",
        title="تقرير حادثة قيد التحقق",
        body="المنظمات الأهلية تبلغ عن حادثة.",
        language="ar",
        country="FR",
        visibility="staff",
    )


def hit_keys(response) -> list[str]:
    return [hit.key for hit in response.context["results"].hits]


def test_the_search_page_lists_marked_hits_in_the_texts_own_direction(client, documents):
    response = client.get("/ar/search/", {"q": "الجمعيات"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert hit_keys(response) == ["majlis"]
    hit = re.search(r'<li class="search-hit.*?</li>', html, re.S).group()
    assert 'dir="auto"' in hit and 'lang="ar"' in hit
    assert "<mark>الجمعيات</mark>" in hit
    assert 'href="/ar/organisations/majlis/"' in hit


def test_a_malay_hit_on_an_arabic_page_keeps_its_own_language(client, documents):
    html = client.get("/ar/search/", {"q": "pertubuhan"}).content.decode()
    assert 'lang="ms"' in html and "<mark>Pertubuhan</mark>" in html


def test_facets_count_by_kind_and_country_and_link_to_a_filter(client, documents):
    response = client.get("/en/search/", {"q": "pertubuhan OR الأهلية"})
    facets = response.context["results"].facets
    assert {f.value: f.count for f in facets["kind"]} == {"organisation": 2}
    assert {f.value: f.count for f in facets["country"]} == {"SA": 1, "MY": 1}
    html = response.content.decode()
    assert "country=MY" in html and "kind=organisation" in html
    narrowed = client.get("/en/search/", {"q": "pertubuhan OR الأهلية", "country": "my"})
    assert hit_keys(narrowed) == ["belia"]
    assert re.search(r"name=\"country\" value=\"my\"", narrowed.content.decode(), re.I)


def test_typing_in_the_box_fetches_the_results_alone_reading_the_last_word_as_a_beginning(client, documents):
    response = client.get("/ms/search/", {"q": "menyela"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="q")
    html = response.content.decode()
    assert "<html" not in html and "search-hit" in html
    assert hit_keys(response) == ["belia"]
    assert client.get("/ms/search/", {"q": "menyela"}).context["results"].total == 0  # a submitted word is whole


def test_a_history_restore_gets_the_whole_page(client, documents):
    response = client.get("/ms/search/", {"q": "belia"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_the_page_works_without_a_query_and_says_what_to_do(client, documents):
    response = client.get("/en/search/")
    assert response.status_code == 200 and response.context["results"] is None
    assert "empty-state" in response.content.decode()


def test_nothing_found_is_an_empty_state_with_advice(client, documents):
    response = client.get("/en/search/", {"q": "zyxwv"})
    assert response.context["results"].total == 0
    assert "empty-state" in response.content.decode()


def test_a_too_long_query_is_answered_with_a_message_not_an_error_page(client, documents):
    response = client.get("/en/search/", {"q": "تنسيق " * 2000})
    assert response.status_code == 200
    assert f"at most {MAX_QUERY_LENGTH} characters" in response.content.decode()


@pytest.mark.parametrize(
    "text", ['"', "*", "-", "OR", "NEAR(a b)", "title:x", "^x", "(", "\x00", "a\x00b", "x" * 10_000, "'; --", "%"]
)
def test_hostile_queries_never_make_an_error_page(client, documents, text):
    assert client.get("/ar/search/", {"q": text}).status_code == 200
    assert client.get("/ar/search/", {"q": text}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="q").status_code == 200


@pytest.mark.parametrize("page", ["2", "999", "abc", "-1", "0"])
def test_any_page_number_shows_a_page(client, documents, page):
    response = client.get("/en/search/", {"q": "pertubuhan OR الأهلية", "page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


def test_visitors_do_not_see_or_count_member_and_staff_documents(client, documents):
    results = client.get("/en/search/", {"q": "pertubuhan OR الأهلية"}).context["results"]
    assert {hit.key for hit in results.hits} == {"majlis", "belia"}
    assert results.total == 2


def test_members_and_staff_see_more(client, documents, member, secretariat, memberships):
    memberships[member.pk] = ([NETWORK], [])
    client.force_login(member)
    assert set(hit_keys(client.get("/en/search/", {"q": "pertubuhan OR الأهلية"}))) == {"majlis", "belia", "muktamar"}
    client.force_login(secretariat)
    assert set(hit_keys(client.get("/en/search/", {"q": "pertubuhan OR الأهلية"}))) == {"majlis", "belia", "report"}


@pytest.mark.parametrize("who", [None, "member", "secretariat"])
def test_the_search_page_stays_within_the_query_budget(
    client, documents, who, member, secretariat, memberships, django_assert_max_num_queries
):
    memberships[member.pk] = ([NETWORK], [])
    if who:
        client.force_login({"member": member, "secretariat": secretariat}[who])
    for number in range(30):
        index_document(
            "event", f"e{number}", title=f"Pertubuhan {number}", body="pertubuhan ahli", language="ms", country="MY"
        )
    for params in ({"q": "pertubuhan"}, {"q": "pertubuhan", "kind": "event", "page": "2"}):
        with django_assert_max_num_queries(10):
            response = client.get("/ar/search/", params)
        assert response.status_code == 200
    assert response.context["page_obj"].paginator.num_pages == 2


def test_every_page_has_a_search_box_in_its_header_but_the_search_page(client, db):
    for url in ["/ar/", "/en/accounts/login/", "/ms/no-such-page/"]:
        html = client.get(url).content.decode()
        assert 'id="site-search"' in html and 'action="/' + url.split("/")[1] + '/search/"' in html, url
    assert 'id="site-search"' not in client.get("/ar/search/").content.decode()


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_answers_with_hits_total_facets_and_pages(client, documents, outsider):
    client.force_login(outsider)
    response = client.get("/api/v1/search", {"q": "الأهلية"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1 and body["pages"] == 1 and body["page"] == 1 and body["more"] is False
    hit = body["hits"][0]
    assert (hit["kind"], hit["key"], hit["language"], hit["country"]) == ("organisation", "majlis", "ar", "SA")
    assert hit["url"] == "http://testserver/ar/organisations/majlis/"
    assert "<mark>الأهلية</mark>" in hit["snippet"]
    with translation.override(outsider.language):  # the API answers in its reader's language
        label = str(kind_label("organisation"))  # the network app's name for the kind
    assert body["facets"]["kind"] == [{"value": "organisation", "label": label, "count": 1, "selected": False}]
    assert "الأهلية" in response.content.decode()  # UTF-8, not \u-escaped


def test_the_api_filters_by_kind_and_country_and_pages(client, documents, outsider):
    client.force_login(outsider)
    body = client.get("/api/v1/search", {"q": "pertubuhan OR الأهلية", "country": "MY"}).json()
    assert [hit["key"] for hit in body["hits"]] == ["belia"]
    assert client.get("/api/v1/search", {"q": "pertubuhan", "kind": "event"}).json()["total"] == 0
    assert client.get("/api/v1/search", {"q": "pertubuhan", "page": 2}).json()["hits"] == []


def test_the_api_applies_the_same_visibility(client, documents, member, memberships):
    memberships[member.pk] = ([NETWORK], [])
    client.force_login(member)
    assert client.get("/api/v1/search", {"q": "muktamar"}).json()["total"] == 1
    memberships[member.pk] = ([NETWORK + 1], [])
    body = client.get("/api/v1/search", {"q": "muktamar OR pertubuhan"}).json()
    assert [hit["key"] for hit in body["hits"]] == ["belia"] and body["facets"]["kind"][0]["count"] == 1


def test_the_api_accepts_a_personal_access_token(client, documents, member):
    from tansiq.accounts.services import create_token

    _, secret = create_token(member, by=member, name="script", scope="read")
    response = client.get("/api/v1/search", {"q": "belia"}, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200 and response.json()["total"] == 1


def test_the_api_refuses_visitors_and_bad_tokens(client, documents):
    assert_refused(client, None, ["/api/v1/search?q=belia"])
    response = client.get("/api/v1/search", {"q": "belia"}, HTTP_AUTHORIZATION="Bearer tsq_not-a-token")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_the_api_answers_a_too_long_query_with_its_error_shape(client, documents, outsider):
    client.force_login(outsider)
    response = client.get("/api/v1/search", {"q": "x" * (MAX_QUERY_LENGTH + 1)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "query_too_long" and "q" in error["fields"]
    assert str(MAX_QUERY_LENGTH) in error["message"]


@pytest.mark.parametrize("text", ['"', "*", "-", "OR", "NEAR(a b)", "a\x00b", "'; --", "(((", "x:*"])
def test_hostile_api_queries_are_searched_as_text(client, documents, outsider, text):
    client.force_login(outsider)
    assert client.get("/api/v1/search", {"q": text}).status_code == 200


def test_the_api_is_documented(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/search"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"q", "kind", "country", "page"}
    assert "SearchOut" in schema["components"]["schemas"]


def test_a_broad_query_says_that_only_the_most_recent_matches_are_counted(client, documents, monkeypatch):
    from tansiq.core.search import queries

    monkeypatch.setattr(queries, "CANDIDATES", 1)
    html = client.get("/en/search/", {"q": "pertubuhan OR الأهلية"}).content.decode()
    assert "More than 1 results" in html
