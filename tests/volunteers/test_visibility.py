"""An organisation sees a volunteer only once the volunteer opts in to being found; nobody else does."""

import pytest

from tansiq.volunteers.queries import profiles as queries
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.volunteers.factories import VolunteerProfileFactory

FINDER = "/en/volunteering/volunteers/"


@pytest.fixture
def coordinator(db):
    user = UserFactory(display_name="Coordinator")
    MembershipFactory(user=user, organisation=OrganisationFactory(slug="helpers"), role="editor")
    return user


@pytest.fixture
def open_volunteer(db):
    return VolunteerProfileFactory(legal_name="Open Volunteer", name_latin="Open Volunteer", discoverable=True)


@pytest.fixture
def private_volunteer(db):
    return VolunteerProfileFactory(legal_name="Private Volunteer", name_latin="Private Volunteer", discoverable=False)


def test_an_organisation_finds_only_volunteers_who_opted_in(client_for, coordinator, open_volunteer, private_volunteer):
    client = client_for(coordinator)
    html = client.get(FINDER).content.decode()
    assert "Open Volunteer" in html and "Private Volunteer" not in html
    assert client.get(f"{FINDER}{open_volunteer.uuid}/").status_code == 200
    assert client.get(f"{FINDER}{private_volunteer.uuid}/").status_code == 404


def test_an_organisation_never_sees_the_identity_number(client_for, coordinator, open_volunteer):
    open_volunteer.identity_number_encrypted, open_volunteer.identity_number_last = "gAAAA", "4321"
    open_volunteer.save()
    html = client_for(coordinator).get(f"{FINDER}{open_volunteer.uuid}/").content.decode()
    assert "4321" not in html and "gAAAA" not in html


def test_finder_filters_by_cause_and_country(client_for, coordinator, open_volunteer):
    from tansiq.volunteers.models import Cause

    other = VolunteerProfileFactory(name_latin="Doha Volunteer", discoverable=True, country="QA", city="Doha")
    open_volunteer.causes.add(Cause.objects.get(slug="health"))
    client = client_for(coordinator)
    html = client.get(FINDER, {"cause": "health"}).content.decode()
    assert "Open Volunteer" in html and "Doha Volunteer" not in html
    html = client.get(FINDER, {"country": "QA"}).content.decode()
    assert "Doha Volunteer" in html and "Open Volunteer" not in html
    assert other.uuid
    empty = client.get(FINDER, {"cause": "sports"}).content.decode()
    assert "No volunteer matches these filters." in empty


def test_a_volunteer_never_sees_another_volunteer(client_for, open_volunteer, private_volunteer):
    # A volunteer without an organisation has no finder and no other profile, discoverable or not.
    assert_refused(client_for(private_volunteer.user), private_volunteer.user, [f"{FINDER}{open_volunteer.uuid}/"])
    assert client_for(private_volunteer.user).get(FINDER).status_code == 403
    assert list(queries.volunteers_visible_to(private_volunteer.user)) == [private_volunteer]


def test_visitors_are_sent_to_sign_in(client, open_volunteer):
    assert_refused(client, None, [FINDER, f"{FINDER}{open_volunteer.uuid}/"])
