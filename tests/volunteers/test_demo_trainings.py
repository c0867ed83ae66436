"""The demo's trainings, gated opportunity and congress: there once, consistent with the rules."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tansiq.volunteers.models import (
    Application,
    AssignmentRun,
    Booking,
    Enrolment,
    HeldQualification,
    Opportunity,
    Training,
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_has_a_completed_course_a_gated_opportunity_and_an_assigned_congress(db):
    for name in ("secretariat", "analyst", "verifier", "judge"):
        Group.objects.get_or_create(name=name)
    call_command("load_demo", stdout=io.StringIO())
    course = Training.objects.get(title_en="First aid for volunteers")
    completed = course.enrolments.filter(state=Enrolment.State.COMPLETED)
    assert completed.count() == 16
    assert HeldQualification.objects.filter(enrolment__in=completed, qualification=course.grants).count() == 16
    gated = Opportunity.objects.get(title_en="Volunteer first-aiders at the Doha marathon")
    assert list(gated.qualifications.all()) == [course.grants]

    congress = Opportunity.objects.get(title_en="Congress of Islamic Organisations")
    assert congress.shifts.count() == 40 and congress.applications.count() == 150
    run = AssignmentRun.objects.get(opportunity=congress)
    assert run.state == AssignmentRun.State.PUBLISHED
    accepted = Booking.objects.filter(shift__opportunity=congress, state=Booking.State.ACCEPTED)
    assert accepted.count() == len(run.pairs)
    for shift in congress.shifts.all():
        assert accepted.filter(shift=shift).count() <= shift.capacity
    assert not congress.applications.exclude(
        state__in=(Application.State.ACCEPTED, Application.State.DECLINED)
    ).exists()

    call_command("load_demo", stdout=io.StringIO())
    assert Training.objects.filter(title_en="First aid for volunteers").count() == 1
    assert AssignmentRun.objects.count() == 1
