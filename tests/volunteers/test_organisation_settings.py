"""An organisation's volunteering settings: licence, agreement text, who approves hours."""

import datetime as dt

import pytest

from tansiq.core.errors import Forbidden, TansiqError
from tansiq.core.models import AuditEntry
from tansiq.volunteers.models import OrganisationSettings
from tansiq.volunteers.services import profiles as services
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, OrganisationFactory

URL = "/en/volunteering/organisations/helpers/settings/"


@pytest.fixture
def organisation(db):
    return OrganisationFactory(slug="helpers", name_en="Helpers Society")


def person(organisation, role):
    user = UserFactory(display_name=f"The {role}")
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def test_an_admin_sets_licence_agreement_and_approvers(client_for, organisation):
    admin = person(organisation, "admin")
    client = client_for(admin)
    assert "/en/volunteering/organisations/helpers/settings/" in client.get("/en/volunteering/").content.decode()
    response = client.post(
        URL,
        {
            "licence_number": "QA-VOL-2291",
            "licence_expires_on": "2027-06-30",
            "agreement_text": "Volunteers follow our safeguarding policy.",
            "hours_approvers": "editors",
        },
    )
    assert response.status_code == 302
    found = OrganisationSettings.objects.get(organisation=organisation)
    assert (found.licence_number, found.licence_expires_on, found.hours_approvers) == (
        "QA-VOL-2291",
        dt.date(2027, 6, 30),
        "editors",
    )
    assert AuditEntry.objects.filter(action="create").exists()
    assert "QA-VOL-2291" in client.get(URL).content.decode()


def test_an_expiry_without_a_licence_number_is_refused(client_for, organisation):
    response = client_for(person(organisation, "owner")).post(
        URL, {"licence_number": "", "licence_expires_on": "2027-06-30", "hours_approvers": "managers"}
    )
    assert response.status_code == 200 and "Give the licence number with its expiry date." in response.content.decode()
    assert not OrganisationSettings.objects.exists()


def test_editors_viewers_and_outsiders_cannot_see_the_settings(client, organisation, outsider):
    other = OrganisationFactory(slug="others")
    for user in (person(organisation, "editor"), person(organisation, "viewer"), person(other, "owner"), outsider):
        assert_refused(client, user, [URL, ("post", URL)], allowed=(404,))
    with pytest.raises(Forbidden):
        services.save_organisation_settings(organisation, by=outsider, licence_number="X")


def test_unknown_or_invalid_values_are_refused(organisation):
    owner = person(organisation, "owner")
    with pytest.raises(TansiqError):
        services.save_organisation_settings(organisation, by=owner, hours_approvers="everyone")
    with pytest.raises(TansiqError):
        services.save_organisation_settings(organisation, by=owner, colour="red")


def test_owners_hear_of_the_volunteering_licence_expiry_30_and_7_days_before_once_each(
    organisation, mailoutbox, django_capture_on_commit_callbacks
):
    from tansiq.network.services.compliance import send_compliance_reminders

    owner = person(organisation, "owner")
    person(organisation, "editor")  # editors do not keep the licence: they hear nothing
    expires = dt.date(2027, 3, 31)
    OrganisationSettings.objects.create(organisation=organisation, licence_number="V-1", licence_expires_on=expires)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_compliance_reminders(today=expires - dt.timedelta(days=40)) == 0
        assert send_compliance_reminders(today=expires - dt.timedelta(days=30)) == 1
        assert send_compliance_reminders(today=expires - dt.timedelta(days=29)) == 0  # told for this window
        assert send_compliance_reminders(today=expires - dt.timedelta(days=7)) == 1
    assert [message.to for message in mailoutbox] == [[owner.email], [owner.email]]
    assert "volunteering licence" in mailoutbox[0].subject
