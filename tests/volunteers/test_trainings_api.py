"""Trainings in the API: the public list with the page's filters, enrolment, my qualifications."""

import datetime as dt

from django.utils import timezone

from tansiq.volunteers.models import Enrolment, HeldQualification, TrainingSession
from tests.volunteers.factories import QualificationFactory, TrainingFactory, VolunteerProfileFactory


def upcoming(**values):
    training = TrainingFactory(**values)
    start = timezone.now() + dt.timedelta(days=5)
    TrainingSession.objects.create(training=training, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    return training


def test_the_list_is_public_filtered_and_paginated(client, db):
    upcoming(title_en="Psychological first aid", title_ar="الإسعاف النفسي الأولي", remote=True, capacity=20)
    upcoming(title_en="Crowd safety")
    response = client.get("/api/v1/trainings?online=yes")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert (item["title_en"], item["title_ar"], item["online"], item["capacity"], len(item["sessions"])) == (
        "Psychological first aid",
        "الإسعاف النفسي الأولي",
        True,
        20,
        1,
    )
    assert "الإسعاف" in response.content.decode()  # UTF-8, not escaped


def test_a_bad_filter_is_a_422_naming_it(client, db):
    response = client.get("/api/v1/trainings?when=someday")
    assert response.status_code == 422
    assert "when" in response.json()["error"]["fields"]


def test_enrol_and_leave_through_the_api(client_for, db):
    training = upcoming(capacity=1)
    profile = VolunteerProfileFactory()
    client = client_for(profile.user)
    url = f"/api/v1/trainings/{training.uuid}/enrolment"
    response = client.post(url)
    assert response.status_code == 201 and response.json()["state"] == "enrolled"
    assert client.post(url).status_code == 409
    other = client_for(VolunteerProfileFactory().user)
    assert other.post(url).json()["error"]["message"] == "This training is full."
    other = client_for(profile.user)
    assert other.delete(url).json()["state"] == "withdrawn"
    assert Enrolment.objects.get().state == Enrolment.State.WITHDRAWN


def test_visitors_may_not_enrol(client, db):
    training = upcoming()
    assert client.post(f"/api/v1/trainings/{training.uuid}/enrolment").status_code == 401
    assert client.get("/api/v1/trainings/not-a-uuid").status_code == 404


def test_my_qualifications_show_expiry(client_for, db):
    profile = VolunteerProfileFactory()
    HeldQualification.objects.create(
        profile=profile,
        qualification=QualificationFactory(slug="first-aid"),
        granted_on=dt.date(2020, 1, 1),
        expires_on=dt.date(2021, 1, 1),
    )
    response = client_for(profile.user).get("/api/v1/volunteers/me/qualifications")
    assert response.json() == [
        {
            "qualification": "first-aid",
            "name": response.json()[0]["name"],
            "kind": "training",
            "granted_on": "2020-01-01",
            "expires_on": "2021-01-01",
            "valid": False,
        }
    ]
