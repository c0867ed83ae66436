"""Opportunities in the API: the public list and page with the search's filters, and the
coordinators' writes through the pages' forms (422 with their messages)."""

import pytest

from tansiq.volunteers.models import Opportunity
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.volunteers.factories import OpportunityFactory, ShiftFactory

URL = "/api/v1/opportunities"


@pytest.fixture
def organisation(db):
    return OrganisationFactory(slug="helpers", name_en="Helpers Society")


@pytest.fixture
def editor(organisation):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role="editor")
    return user


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["titles"]["en"] for item in response.json()["items"]]


def test_the_list_shows_published_ones_with_three_titles_and_the_organisation(client, organisation):
    OpportunityFactory(organisation=organisation, title_en="Soup kitchen", title_ar="مطبخ الحساء", title_ms="Dapur sup")
    OpportunityFactory(organisation=organisation, title_en="Draft", state=Opportunity.State.DRAFT)
    response = client.get(URL)
    (item,) = response.json()["items"]
    assert item["titles"] == {"ar": "مطبخ الحساء", "en": "Soup kitchen", "ms": "Dapur sup"}
    assert item["organisation"]["slug"] == "helpers"
    assert response.json()["count"] == 1


def test_the_list_filters_by_words_sector_country_remote_and_language(client, organisation):
    from tansiq.volunteers.models import Cause

    education = Cause.objects.get(slug="education")
    OpportunityFactory(
        organisation=organisation, title_en="Reading club", sector=education, country="QA", languages=["ar"]
    )
    OpportunityFactory(
        organisation=organisation, title_en="Online mentoring", remote=True, country="", languages=["en"]
    )
    assert titles(client.get(URL, {"q": "reading"})) == ["Reading club"]
    assert titles(client.get(URL, {"sector": "education"})) == ["Reading club"]
    assert titles(client.get(URL, {"country": "qa"})) == ["Reading club"]
    assert titles(client.get(URL, {"remote": "true"})) == ["Online mentoring"]
    assert titles(client.get(URL, {"remote": "false"})) == ["Reading club"]
    assert titles(client.get(URL, {"language": "en"})) == ["Online mentoring"]
    response = client.get(URL, {"sector": "astrology"})
    assert response.status_code == 422 and "sector" in response.json()["error"]["fields"]


def test_one_opportunity_with_its_shifts_and_drafts_hidden(client, organisation, editor):
    opportunity = OpportunityFactory(organisation=organisation)
    ShiftFactory(opportunity=opportunity, capacity=4)
    response = client.get(f"{URL}/{opportunity.uuid}")
    assert response.status_code == 200 and response.json()["shifts"][0]["free"] == 4
    draft = OpportunityFactory(organisation=organisation, state=Opportunity.State.DRAFT)
    assert client.get(f"{URL}/{draft.uuid}").status_code == 404
    assert client.get(f"{URL}/not-a-uuid").status_code == 404
    client.force_login(editor)
    assert client.get(f"{URL}/{draft.uuid}").status_code == 200


def test_a_coordinator_creates_adds_shifts_and_publishes_through_the_forms(client, organisation, editor):
    client.force_login(editor)
    bad = client.post("/api/v1/organisations/helpers/opportunities", {"title_en": "x"}, content_type="application/json")
    assert bad.status_code == 422, bad.content
    response = client.post(
        "/api/v1/organisations/helpers/opportunities",
        {
            "title_en": "Hospital visits",
            "description_en": "Visit patients.",
            "country": "MY",
            "sector": "health",
            "skills": [{"name": "Listening", "level": "good", "required": False}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    uuid = response.json()["uuid"]
    assert response.json()["state"] == "draft" and response.json()["skills"][0]["required"] is False
    response = client.post(
        f"{URL}/{uuid}/shifts",
        {"starts_at": "2030-01-01T09:00:00Z", "ends_at": "2030-01-01T08:00:00Z", "capacity": 2},
        content_type="application/json",
    )
    assert response.status_code == 422 and "ends_at" in response.json()["error"]["fields"]
    response = client.post(
        f"{URL}/{uuid}/shifts",
        {
            "starts_at": "2030-01-01T09:00:00Z",
            "ends_at": "2030-01-01T12:00:00Z",
            "capacity": 2,
            "weekly_until": "2030-01-15",
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and len(response.json()) == 3
    response = client.post(f"{URL}/{uuid}/transitions", {"target": "published"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "published"
    response = client.post(f"{URL}/{uuid}/transitions", {"target": "cancelled"}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]
