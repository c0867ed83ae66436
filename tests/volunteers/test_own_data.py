"""A volunteer downloads everything kept about them (JSON and CSV) and may erase it."""

import csv
import io
import json

import pytest

from tansiq.core.errors import Forbidden
from tansiq.core.models import AuditEntry
from tansiq.volunteers.models import Acceptance, VolunteerLanguage, VolunteerProfile
from tansiq.volunteers.services import profiles as services
from tests.volunteers.factories import AgreementFactory, VolunteerProfileFactory
from tests.volunteers.test_profile import URL as EDIT_URL
from tests.volunteers.test_profile import form_data

URL = "/en/volunteering/my-data/"


@pytest.fixture
def volunteer(client_for, member):
    client_for(member).post(EDIT_URL, form_data())
    profile = VolunteerProfile.objects.get(user=member)
    services.accept_agreement(profile, AgreementFactory(), by=member)
    return profile


def test_download_as_json_holds_the_whole_profile(client_for, volunteer):
    response = client_for(volunteer.user).get(URL, {"format": "json"})
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["legal_name"] == "Nur Aisyah binti Ahmad"
    assert data["profile"]["name_arabic"] == "نور عائشة بنت أحمد"
    assert data["profile"]["identity_number"] == "980502-10-5566"
    assert data["profile"]["birth_date"] == "1998-05-02"
    assert data["profile"]["languages"] == [{"language": "ms", "level": "fluent"}, {"language": "ar", "level": "basic"}]
    assert sorted(data["profile"]["causes"]) == ["education", "health"]
    assert data["acceptances"][0]["agreement"] == "charter" and data["acceptances"][0]["version"] == 1


def test_download_as_csv_has_one_row_per_value(client_for, volunteer):
    response = client_for(volunteer.user).get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Field", "Value"]
    assert ["profile", "city", "Shah Alam"] in rows
    assert ["profile", "skills", "First aid good"] in rows
    assert any(row[:2] == ["acceptance", "charter v1"] for row in rows)


def test_a_volunteer_downloads_only_their_own_data(client_for, volunteer, outsider):
    VolunteerProfileFactory(user=outsider, legal_name="Someone Else")
    data = json.loads(client_for(outsider).get(URL, {"format": "json"}).content)
    assert data["profile"]["legal_name"] == "Someone Else" and data["acceptances"] == []


def test_erasing_removes_the_volunteer_data_and_keeps_no_name_in_the_log(client_for, volunteer):
    client = client_for(volunteer.user)
    assert client.post(URL, {}).status_code == 200  # the box must be ticked
    assert VolunteerProfile.objects.exists()
    assert client.post(URL, {"confirm": "on"}).status_code == 302
    assert not VolunteerProfile.objects.exists()
    assert not VolunteerLanguage.objects.exists() and not Acceptance.objects.exists()
    log = " ".join(f"{entry.object_repr} {entry.changes}" for entry in AuditEntry.objects.all())
    assert "Nur Aisyah" not in log and "5566" not in log
    assert AuditEntry.objects.filter(action="erase").exists()
    assert json.loads(client.get(URL, {"format": "json"}).content) == {
        "profile": None,
        "acceptances": [],
        "applications": [],
        "shifts": [],
        "hours": [],
        "certificates": [],
    }


def test_nobody_erases_another_volunteers_data(volunteer, outsider):
    with pytest.raises(Forbidden):
        services.erase_volunteer_data(volunteer.user, by=outsider)
    assert VolunteerProfile.objects.filter(pk=volunteer.pk).exists()


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL, {"format": "json"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
