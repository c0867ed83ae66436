"""Consent records: versions of the privacy notice and the charter, acceptances, a guardian for minors."""

import datetime as dt

import pytest
from django.utils import timezone

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.volunteers.models import Acceptance, Agreement
from tansiq.volunteers.queries import profiles as queries
from tansiq.volunteers.services import profiles as services
from tests.volunteers.factories import AgreementFactory, VolunteerProfileFactory

URL = "/en/volunteering/agreements/"


@pytest.fixture
def charter(db):
    return AgreementFactory(kind=Agreement.Kind.CHARTER, version=1, text_en="Volunteers act in good faith.")


@pytest.fixture
def privacy(db):
    return AgreementFactory(kind=Agreement.Kind.PRIVACY, version=1, text_en="We keep your data safe.")


@pytest.fixture
def adult(member):
    return VolunteerProfileFactory(user=member, birth_date=dt.date(1990, 1, 1))


@pytest.fixture
def minor(outsider):
    today = timezone.localdate()
    return VolunteerProfileFactory(user=outsider, birth_date=today.replace(year=today.year - 15))


def test_acceptance_records_the_version_and_time(client_for, adult, charter, privacy):
    client = client_for(adult.user)
    assert "Volunteers act in good faith." in client.get(URL).content.decode()
    response = client.post(f"{URL}{charter.pk}/accept/")
    assert response.status_code == 302
    acceptance = Acceptance.objects.get(user=adult.user)
    assert acceptance.agreement == charter and acceptance.accepted_at is not None
    assert queries.agreements_to_accept(adult.user) == [privacy]


def test_a_new_version_asks_again(adult, charter):
    services.accept_agreement(adult, charter, by=adult.user)
    assert queries.agreements_to_accept(adult.user) == []
    second = AgreementFactory(kind=Agreement.Kind.CHARTER, version=2, text_en="Second version.")
    assert queries.agreements_to_accept(adult.user) == [second]


def test_an_outdated_version_cannot_be_accepted(adult, charter):
    AgreementFactory(kind=Agreement.Kind.CHARTER, version=2)
    with pytest.raises(Conflict):
        services.accept_agreement(adult, charter, by=adult.user)


def test_a_version_not_yet_in_force_is_not_asked(adult, charter):
    later = AgreementFactory(kind=Agreement.Kind.CHARTER, version=2, published_at=timezone.now() + dt.timedelta(days=3))
    assert queries.agreements_to_accept(adult.user) == [charter]
    with pytest.raises(Conflict):
        services.accept_agreement(adult, later, by=adult.user)


def test_accepting_twice_is_refused(adult, charter):
    services.accept_agreement(adult, charter, by=adult.user)
    with pytest.raises(Conflict):
        services.accept_agreement(adult, charter, by=adult.user)
    assert Acceptance.objects.count() == 1


def test_a_minor_accepts_nothing_before_a_guardian_consents(client_for, minor, charter):
    client = client_for(minor.user)
    page = client.get(URL).content.decode()
    assert "need their guardian" in page and "/en/volunteering/guardian/" in page
    client.post(f"{URL}{charter.pk}/accept/")
    assert not Acceptance.objects.exists()
    with pytest.raises(TansiqError):
        services.accept_agreement(minor, charter, by=minor.user)

    response = client.post(
        "/en/volunteering/guardian/",
        {"guardian_name": "Ahmad bin Ali", "guardian_contact": "+60 12 345 6789", "consent": "on"},
    )
    assert response.status_code == 302
    minor.refresh_from_db()
    assert minor.has_guardian_consent and minor.guardian_consent_at is not None
    client.post(f"{URL}{charter.pk}/accept/")
    assert Acceptance.objects.filter(user=minor.user, agreement=charter).exists()


def test_guardian_consent_needs_name_contact_and_the_box(client_for, minor):
    response = client_for(minor.user).post(
        "/en/volunteering/guardian/", {"guardian_name": "Ahmad", "guardian_contact": ""}
    )
    assert response.status_code == 200
    minor.refresh_from_db()
    assert not minor.has_guardian_consent
    with pytest.raises(TansiqError):
        services.record_guardian_consent(minor, by=minor.user, name="Ahmad", contact="  ")


def test_nobody_accepts_or_consents_for_another_volunteer(adult, minor, charter):
    with pytest.raises(Forbidden):
        services.accept_agreement(adult, charter, by=minor.user)
    with pytest.raises(Forbidden):
        services.record_guardian_consent(minor, by=adult.user, name="Someone", contact="x@example.org")
    with pytest.raises(Forbidden):
        services.save_profile(adult.user, by=minor.user, values={"city": "Elsewhere"})


def test_a_newcomer_reads_the_texts_before_creating_a_profile_but_cannot_accept_yet(client_for, outsider, charter):
    client = client_for(outsider)
    page = client.get(URL).content.decode()
    assert "Volunteers act in good faith." in page and f"{URL}{charter.pk}/accept/" not in page
    assert client.post(f"{URL}{charter.pk}/accept/")["Location"] == "/en/volunteering/profile/"
    assert not Acceptance.objects.exists()


def test_the_texts_are_shown_in_the_readers_language(client_for, adult, charter):
    charter.text_ar = "يتطوّع المتطوعون بإخلاص."
    charter.save()
    assert "يتطوّع المتطوعون بإخلاص." in client_for(adult.user).get(URL.replace("/en/", "/ar/")).content.decode()


def test_the_profile_page_asks_a_minor_for_a_guardian(client_for, minor):
    assert "/en/volunteering/guardian/" in client_for(minor.user).get("/en/volunteering/").content.decode()
