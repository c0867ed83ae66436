"""Trainings: creation, enrolment within places, attendance, completion granting a qualification
with its expiry, document checks, the qualification's effect on matching, and who may do what."""

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import Notification
from tansiq.volunteers.models import Enrolment, HeldQualification, Qualification, TrainingSession
from tansiq.volunteers.queries import assignments as assignment_queries
from tansiq.volunteers.queries import trainings as queries
from tansiq.volunteers.services import trainings as services
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.volunteers.factories import (
    ApplicationFactory,
    BookingFactory,
    OpportunityFactory,
    QualificationFactory,
    ShiftFactory,
    TrainingFactory,
    VolunteerProfileFactory,
)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(slug="red-crescent", name_en="Red Crescent Doha")


@pytest.fixture
def organiser(organisation):
    user = UserFactory(display_name="Organiser")
    MembershipFactory(user=user, organisation=organisation, role="admin")
    return user


@pytest.fixture
def first_aid(db):
    return QualificationFactory(slug="first-aid", name_en="First aid", valid_days=365)


def training_of(organisation, qualification, *, capacity=None, sessions=2):
    training = TrainingFactory(organisation=organisation, grants=qualification, capacity=capacity, place="Doha")
    start = timezone.now() + dt.timedelta(days=3)
    for day in range(sessions):
        TrainingSession.objects.create(
            training=training,
            starts_at=start + dt.timedelta(days=day),
            ends_at=start + dt.timedelta(days=day, hours=3),
        )
    return training


def volunteer():
    return VolunteerProfileFactory().user


def test_an_admin_creates_a_training_with_sessions_on_the_page(client_for, organisation, organiser, first_aid):
    client = client_for(organiser)
    page = client.get("/en/volunteering/trainings/").content.decode()
    assert "/en/volunteering/organisations/red-crescent/trainings/new/" in page
    response = client.post(
        "/en/volunteering/organisations/red-crescent/trainings/new/",
        {
            "kind": "course",
            "title_ar": "الإسعافات الأولية",
            "title_en": "First aid",
            "title_ms": "",
            "grants": first_aid.pk,
            "capacity": "12",
            "place": "Doha",
            "sessions-TOTAL_FORMS": "2",
            "sessions-INITIAL_FORMS": "0",
            "sessions-0-starts_at": "2030-03-01T09:00",
            "sessions-0-ends_at": "2030-03-01T12:00",
            "sessions-1-starts_at": "",
            "sessions-1-ends_at": "",
        },
    )
    assert response.status_code == 302
    training = organisation.volunteer_trainings.get()
    assert (training.title_en, training.title_ar, training.capacity, training.sessions.count()) == (
        "First aid",
        "الإسعافات الأولية",
        12,
        1,
    )


def test_a_training_without_a_session_or_a_title_is_refused(organisation, organiser):
    with pytest.raises(TansiqError, match="Add at least one session"):
        services.create_training(organisation, by=organiser, values={"title_en": "X", "place": "Doha"}, sessions=[])
    later = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(TansiqError, match="title in at least one language"):
        services.create_training(
            organisation, by=organiser, values={"place": "Doha"}, sessions=[(later, later + dt.timedelta(hours=1))]
        )


def test_someone_of_another_organisation_may_not_create_its_training(organisation):
    outsider = UserFactory()
    MembershipFactory(user=outsider, role="owner")
    later = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(Forbidden):
        services.create_training(
            organisation,
            by=outsider,
            values={"title_en": "X", "place": "Doha"},
            sessions=[(later, later + dt.timedelta(hours=1))],
        )


def test_enrolment_respects_the_places(organisation, first_aid):
    training = training_of(organisation, first_aid, capacity=1)
    services.enrol(training, by=volunteer())
    with pytest.raises(Conflict, match="This training is full"):
        services.enrol(training, by=volunteer())


def test_a_place_freed_by_withdrawing_can_be_taken(organisation, first_aid):
    training = training_of(organisation, first_aid, capacity=1)
    first = volunteer()
    enrolment = services.enrol(training, by=first)
    services.withdraw(enrolment, by=first)
    second = volunteer()
    services.enrol(training, by=second)
    with pytest.raises(Conflict, match="already enrolled"):
        services.enrol(training, by=second)
    with pytest.raises(Conflict, match="This training is full"):
        services.enrol(training, by=first)


def test_enrolling_needs_a_volunteer_profile(organisation, first_aid):
    with pytest.raises(TansiqError, match="Create your volunteer profile first"):
        services.enrol(training_of(organisation, first_aid), by=UserFactory())


def test_completion_grants_the_qualification_with_its_expiry_and_tells_the_volunteer(
    organisation, organiser, first_aid, django_capture_on_commit_callbacks
):
    training = training_of(organisation, first_aid)
    enrolment = services.enrol(training, by=volunteer())
    today = dt.date(2026, 3, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete(enrolment, by=organiser, today=today)
    held = HeldQualification.objects.get(profile=enrolment.profile, qualification=first_aid)
    assert (held.granted_on, held.expires_on, held.enrolment_id) == (today, dt.date(2027, 3, 1), enrolment.pk)
    assert Enrolment.objects.get(pk=enrolment.pk).state == Enrolment.State.COMPLETED
    assert Notification.objects.filter(user=enrolment.profile.user, kind="volunteers.trainings").exists()
    with pytest.raises(Conflict):
        services.complete(enrolment, by=organiser)


def test_completion_requiring_every_session_counts_the_attendance(organisation, organiser, first_aid):
    training = training_of(organisation, first_aid, sessions=2)
    enrolment = services.enrol(training, by=volunteer())
    first, second = training.sessions.all()
    services.record_attendance(first, by=organiser, present={enrolment.pk: True})
    services.record_attendance(second, by=organiser, present={enrolment.pk: False})
    with pytest.raises(Conflict, match="attended 1 of 2 sessions"):
        services.complete(enrolment, by=organiser, require_all_sessions=True)
    services.record_attendance(second, by=organiser, present={enrolment.pk: True})
    services.complete(enrolment, by=organiser, require_all_sessions=True)
    assert HeldQualification.objects.filter(profile=enrolment.profile).exists()


def test_the_sheet_refuses_someone_not_enrolled(organisation, organiser, first_aid):
    training = training_of(organisation, first_aid)
    other = services.enrol(training_of(organisation, first_aid), by=volunteer())
    with pytest.raises(TansiqError, match="not enrolled"):
        services.record_attendance(training.sessions.first(), by=organiser, present={other.pk: True})


def test_a_volunteer_cannot_complete_their_own_training(organisation, first_aid):
    user = volunteer()
    enrolment = services.enrol(training_of(organisation, first_aid), by=user)
    with pytest.raises(Forbidden):
        services.complete(enrolment, by=user)


def test_qualifications_page_shows_expired_ones_as_expired(client_for, first_aid):
    profile = VolunteerProfileFactory()
    HeldQualification.objects.create(
        profile=profile, qualification=first_aid, granted_on=dt.date(2020, 1, 1), expires_on=dt.date(2021, 1, 1)
    )
    page = client_for(profile.user).get("/en/volunteering/qualifications/").content.decode()
    assert "First aid" in page and "Expired" in page


def test_an_expired_qualification_closes_the_gate_of_an_assignment(organisation, first_aid):
    opportunity = OpportunityFactory(organisation=organisation)
    opportunity.qualifications.add(first_aid)
    shift = ShiftFactory(opportunity=opportunity)
    valid, expired = VolunteerProfileFactory(), VolunteerProfileFactory()
    today = timezone.localdate()
    HeldQualification.objects.create(profile=valid, qualification=first_aid, expires_on=today + dt.timedelta(days=1))
    HeldQualification.objects.create(
        profile=expired,
        qualification=first_aid,
        granted_on=today - dt.timedelta(days=400),
        expires_on=today - dt.timedelta(days=1),
    )
    for profile in (valid, expired):
        BookingFactory(application=ApplicationFactory(opportunity=opportunity, profile=profile), shift=shift)
    problem = assignment_queries.assignment_problem(opportunity)
    scores = {application.profile_id: problem.score[i, 0] for i, application in enumerate(problem.applications)}
    assert not np.isnan(scores[valid.pk])
    assert np.isnan(scores[expired.pk])


def test_an_organisation_records_a_document_check_for_its_applicant_only(organisation, organiser):
    clearance = QualificationFactory(kind=Qualification.Kind.DOCUMENT, valid_days=30)
    applicant, stranger = VolunteerProfileFactory(), VolunteerProfileFactory()
    ApplicationFactory(opportunity=OpportunityFactory(organisation=organisation), profile=applicant)
    held = services.record_document_check(organisation, applicant, clearance, by=organiser)
    assert held.expires_on == timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(Forbidden):
        services.record_document_check(organisation, stranger, clearance, by=organiser)
    with pytest.raises(TansiqError, match="granted by a training"):
        services.record_document_check(organisation, applicant, QualificationFactory(), by=organiser)
    with pytest.raises(TansiqError, match="future"):
        services.record_document_check(
            organisation, applicant, clearance, by=organiser, checked_on=timezone.localdate() + dt.timedelta(days=2)
        )


def test_enrol_on_the_page_then_the_organiser_completes_it(client_for, organisation, organiser, first_aid):
    training = training_of(organisation, first_aid)
    user = volunteer()
    client = client_for(user)
    assert client.post(f"/en/volunteering/trainings/{training.uuid}/enrol/").status_code == 302
    assert "You are enrolled." in client.get(f"/en/volunteering/trainings/{training.uuid}/").content.decode()
    enrolment = queries.own_enrolment(user, training)
    client = client_for(organiser)
    sheet = f"/en/volunteering/trainings/{training.uuid}/attendance/"
    assert "Attendance and completions" in client.get(sheet).content.decode()
    session = training.sessions.first()
    client.post(sheet, {"session": session.pk, "listed": [enrolment.pk], f"present-{enrolment.pk}": "on"})
    assert session.attendance.get().present is True
    client.post(f"/en/volunteering/trainings/{training.uuid}/outcome/", {"enrolment": enrolment.pk})
    assert HeldQualification.objects.filter(profile=enrolment.profile, qualification=first_aid).exists()
    assert client.get(sheet + "?export=csv")["Content-Type"].startswith("text/csv")


def test_the_attendance_sheet_is_refused_to_others(client, organisation, first_aid):
    training = training_of(organisation, first_aid)
    enrolment = services.enrol(training, by=volunteer())
    sheet = f"/en/volunteering/trainings/{training.uuid}/attendance/"
    outcome = f"/en/volunteering/trainings/{training.uuid}/outcome/"
    for user in (None, UserFactory(), enrolment.profile.user):
        assert_refused(client, user, [sheet, ("post", outcome)])
    assert Enrolment.objects.get(pk=enrolment.pk).state == Enrolment.State.ENROLLED


def test_the_document_check_page_is_refused_for_someone_who_did_not_apply(client_for, organisation, organiser):
    stranger = VolunteerProfileFactory(discoverable=True)
    url = f"/en/volunteering/organisations/red-crescent/volunteers/{stranger.uuid}/document-check/"
    assert client_for(organiser).get(url).status_code == 404


def test_the_list_is_public_filtered_and_exported(client, organisation, first_aid):
    training_of(organisation, first_aid)
    TrainingFactory(organisation=organisation, title_en="Online safeguarding", remote=True)
    page = client.get("/en/volunteering/trainings/?online=yes").content.decode()
    assert "Online safeguarding" in page and "Training " not in page.split("Online safeguarding")[0][-200:]
    response = client.get("/en/volunteering/trainings/?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_only_the_organisations_managers_reach_its_new_training_page(client, client_for, organisation):
    editor = UserFactory()
    MembershipFactory(user=editor, organisation=organisation, role="editor")
    url = "/en/volunteering/organisations/red-crescent/trainings/new/"
    assert client.get(url).status_code == 302  # a visitor signs in first
    assert client_for(editor).get(url).status_code == 403
    assert client_for(UserFactory()).get("/en/volunteering/trainings/new/").status_code == 403


def test_the_secretariat_creates_the_networks_own_training(client_for, secretariat):
    response = client_for(secretariat).post(
        "/en/volunteering/trainings/new/",
        {
            "kind": "workshop",
            "title_en": "Managing volunteers",
            "remote": "on",
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "0",
            "sessions-0-starts_at": "2030-03-01T09:00",
            "sessions-0-ends_at": "2030-03-01T08:00",
        },
    )
    assert response.status_code == 400 and "A session must end after it starts." in response.content.decode()


def test_a_document_check_on_the_page(client_for, organisation, organiser):
    clearance = QualificationFactory(kind=Qualification.Kind.DOCUMENT, name_en="Police clearance")
    applicant = VolunteerProfileFactory(discoverable=True)
    ApplicationFactory(opportunity=OpportunityFactory(organisation=organisation), profile=applicant)
    client = client_for(organiser)
    url = f"/en/volunteering/organisations/red-crescent/volunteers/{applicant.uuid}/document-check/"
    assert url in client.get(f"/en/volunteering/volunteers/{applicant.uuid}/").content.decode()
    assert client.post(url, {"qualification": clearance.pk, "checked_on": ""}).status_code == 302
    assert HeldQualification.objects.filter(profile=applicant, qualification=clearance).exists()


def test_an_ended_training_offers_no_enrolment(client_for, organisation, first_aid):
    training = TrainingFactory(organisation=organisation, grants=first_aid, place="Doha")
    start = timezone.now() - dt.timedelta(days=3)
    TrainingSession.objects.create(training=training, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    client = client_for(volunteer())
    page = client.get(f"/en/volunteering/trainings/{training.uuid}/").content.decode()
    assert "This training has ended." in page and f"/trainings/{training.uuid}/enrol/" not in page
    response = client.post(f"/en/volunteering/trainings/{training.uuid}/enrol/", follow=True)
    assert "This training has ended." in response.content.decode()
    assert not Enrolment.objects.exists()
