"""The volunteer's profile: both calendars for the date of birth, the encrypted identity number,
languages and skills with levels, causes and availability."""

import datetime as dt

import pytest

from tansiq.core.models import AuditEntry
from tansiq.volunteers.models import Cause, VolunteerProfile
from tests.volunteers.factories import VolunteerProfileFactory

URL = "/en/volunteering/profile/"


def form_data(**changes):
    data = {
        "legal_name": "Nur Aisyah binti Ahmad",
        "name_arabic": "نور عائشة بنت أحمد",
        "name_latin": "Nur Aisyah",
        "birth_calendar": "gregorian",
        "birth_date": "1998-05-02",
        "gender": "female",
        "nationality": "MY",
        "country": "MY",
        "city": "Shah Alam",
        "mode": "both",
        "travel_km": "25",
        "availability": ["sat-morning", "sun-evening"],
        "causes": [Cause.objects.get(slug="education").pk, Cause.objects.get(slug="health").pk],
        "languages-TOTAL_FORMS": "4",
        "languages-INITIAL_FORMS": "0",
        "languages-0-language": "ms",
        "languages-0-level": "fluent",
        "languages-1-language": "ar",
        "languages-1-level": "basic",
        "skills-TOTAL_FORMS": "5",
        "skills-INITIAL_FORMS": "0",
        "skills-0-name": "First aid",
        "skills-0-level": "good",
        "identity_number": "980502-10-5566",
    }
    for row in range(2, 4):
        data[f"languages-{row}-level"] = "good"
    for row in range(1, 5):
        data[f"skills-{row}-level"] = "good"
    data.update(changes)
    return data


def test_causes_are_seeded_in_three_languages(db):
    cause = Cause.objects.get(slug="determination")
    assert (cause.name_ar, cause.name_en, cause.name_ms) == (
        "أصحاب الهمم",
        "People of determination",
        "Orang kurang upaya",
    )
    assert Cause.objects.count() == 16


def test_volunteer_creates_a_profile_with_languages_skills_causes_and_availability(client_for, member):
    response = client_for(member).post(URL, form_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = VolunteerProfile.objects.get(user=member)
    assert profile.birth_date == dt.date(1998, 5, 2) and profile.birth_date_hijri == ""
    assert [(row.language, row.level) for row in profile.languages.all()] == [("ms", "fluent"), ("ar", "basic")]
    assert [(row.name, row.level) for row in profile.skills.all()] == [("First aid", "good")]
    assert sorted(profile.causes.values_list("slug", flat=True)) == ["education", "health"]
    assert profile.availability == ["sat-morning", "sun-evening"]
    entry = AuditEntry.objects.get(action="create")
    assert "identity_number" in entry.changes["fields"] and "9805" not in str(entry.changes)


def test_identity_number_is_stored_encrypted_and_shown_masked(client_for, member):
    client = client_for(member)
    client.post(URL, form_data())
    profile = VolunteerProfile.objects.get(user=member)
    assert "98050210" not in profile.identity_number_encrypted
    from tansiq.volunteers.identity import decrypt_identity_number

    assert decrypt_identity_number(profile) == "980502-10-5566"
    page = client.get("/en/volunteering/").content.decode()
    assert "••••5566" in page and "980502" not in page


def test_identity_number_key_can_be_set_apart_from_the_secret_key(client_for, member, settings):
    settings.VOLUNTEER_DATA_KEY = "another-key"
    client_for(member).post(URL, form_data())
    profile = VolunteerProfile.objects.get(user=member)
    settings.VOLUNTEER_DATA_KEY = ""
    from cryptography.fernet import InvalidToken

    from tansiq.volunteers.identity import decrypt_identity_number

    with pytest.raises(InvalidToken):
        decrypt_identity_number(profile)


def test_an_empty_identity_number_keeps_the_one_on_record(client_for, member):
    client = client_for(member)
    client.post(URL, form_data())
    client.post(URL, form_data(identity_number="", city="Klang"))
    profile = VolunteerProfile.objects.get(user=member)
    assert profile.city == "Klang" and profile.identity_number_last == "5566"


def test_hijri_date_of_birth_is_converted_and_kept_as_entered(client_for, member):
    data = form_data(birth_calendar="hijri", birth_date="", hijri_day="15", hijri_month="9", hijri_year="1420")
    assert client_for(member).post(URL, data).status_code == 302
    profile = VolunteerProfile.objects.get(user=member)
    assert profile.birth_date == dt.date(1999, 12, 23)
    assert profile.birth_date_hijri == "1420-09-15"


def test_the_1_rajab_placeholder_is_accepted(client_for, member):
    data = form_data(birth_calendar="hijri", birth_date="", hijri_day="1", hijri_month="7", hijri_year="1410")
    assert client_for(member).post(URL, data).status_code == 302
    assert VolunteerProfile.objects.get(user=member).birth_date == dt.date(1990, 1, 27)


def test_hijri_30th_of_a_29_day_month_is_refused_with_a_translated_message(client_for, member):
    member.language = "ar"
    member.save()
    # Muharram 1445 has 29 days in the Umm al-Qura calendar.
    data = form_data(birth_calendar="hijri", birth_date="", hijri_day="30", hijri_month="1", hijri_year="1445")
    response = client_for(member).post(URL.replace("/en/", "/ar/"), data)
    assert response.status_code == 200
    assert "هذا الشهر الهجري تسعة وعشرون يومًا فقط" in response.content.decode()
    assert not VolunteerProfile.objects.filter(user=member).exists()


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"birth_date": ""}, "Give your date of birth."),
        ({"birth_date": "2999-01-01"}, "it cannot be in the future"),
        ({"birth_calendar": "hijri", "birth_date": "", "hijri_year": "1420"}, "at least the year and the month"),
        ({"latitude": "3.1"}, "Give both the latitude and the longitude"),
        ({"identity_number": "98/05"}, "letters, digits and dashes only"),
        ({"languages-1-language": "ms"}, "Each language can be listed only once."),
    ],
)
def test_bad_profile_input_is_refused(client_for, member, changes, field_error):
    response = client_for(member).post(URL, form_data(**changes))
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not VolunteerProfile.objects.filter(user=member).exists()


def test_a_volunteer_edits_only_their_own_profile(client_for, member):
    other = VolunteerProfileFactory(city="Doha")
    client_for(member).post(URL, form_data(city="Ipoh"))
    other.refresh_from_db()
    assert other.city == "Doha"
    assert VolunteerProfile.objects.get(user=member).city == "Ipoh"


def test_the_profile_pages_ask_visitors_to_sign_in(client):
    for url in ("/en/volunteering/", URL, "/en/volunteering/agreements/", "/en/volunteering/guardian/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_profile_page_invites_a_newcomer_to_create_one(client_for, outsider):
    html = client_for(outsider).get("/en/volunteering/").content.decode()
    assert "You have no volunteer profile yet" in html and URL in html
