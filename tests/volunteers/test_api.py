"""The volunteer's own profile in the API: the page's form and service, 422 for bad values."""

import datetime as dt

import pytest

from tansiq.volunteers.models import VolunteerProfile
from tests.volunteers.factories import VolunteerProfileFactory

URL = "/api/v1/volunteers/me"


def body(**changes):
    data = {
        "legal_name": "Siti Khadijah binti Yusof",
        "name_latin": "Siti Khadijah",
        "birth_calendar": "hijri",
        "hijri_year": 1420,
        "hijri_month": 9,
        "hijri_day": 15,
        "nationality": "MY",
        "country": "QA",
        "city": "Doha",
        "causes": ["education"],
        "languages": [{"name": "ms", "level": "fluent"}, {"name": "ar", "level": "good"}],
        "skills": [{"name": "Teaching", "level": "good"}],
        "availability": ["fri-evening"],
        "identity_number": "29945800123",
        "discoverable": True,
    }
    data.update(changes)
    return data


def test_a_volunteer_creates_and_reads_their_profile(client_for, member):
    client = client_for(member)
    assert client.get(URL).status_code == 404
    response = client.put(URL, body(), content_type="application/json")
    assert response.status_code == 200, response.content
    profile = VolunteerProfile.objects.get(user=member)
    assert profile.birth_date == dt.date(1999, 12, 23) and profile.discoverable
    data = client.get(URL).json()
    assert data["identity_number"] == "••••0123"
    assert data["languages"] == [{"name": "ms", "level": "fluent"}, {"name": "ar", "level": "good"}]
    assert data["causes"] == ["education"] and data["birth_date_hijri"] == "1420-09-15"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hijri_month": 1, "hijri_year": 1445, "hijri_day": 30}, "hijri_day"),
        ({"causes": ["astrology"]}, "causes"),
        ({"languages": [{"name": "xx", "level": "good"}]}, "languages"),
        ({"skills": [{"name": "Teaching", "level": "godlike"}]}, "skills"),
        ({"nationality": "ZZ"}, "nationality"),
        ({"availability": ["someday"]}, "availability"),
    ],
)
def test_bad_values_are_422_with_the_forms_messages(client_for, member, changes, field):
    response = client_for(member).put(URL, body(**changes), content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert not VolunteerProfile.objects.exists()


def test_the_api_reads_and_writes_only_the_callers_profile(client_for, member):
    other = VolunteerProfileFactory(city="Ipoh")
    client_for(member).put(URL, body(), content_type="application/json")
    other.refresh_from_db()
    assert other.city == "Ipoh"
    assert client_for(other.user).get(URL).json()["city"] == "Ipoh"


def test_visitors_get_401(client):
    assert client.get(URL).status_code == 401
    assert client.put(URL, body(), content_type="application/json").status_code in (401, 403)
