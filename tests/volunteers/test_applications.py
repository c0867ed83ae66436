"""Applications: every gate refused with its reason, every step of the organisation and of the
volunteer, seats never past capacity, freed seats offered to the waiting list and offers lapsing."""

import datetime as dt

import pytest
from django.utils import timezone

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import AuditEntry, Notification
from tansiq.volunteers.models import Acceptance, Application, Booking, HeldQualification, Opportunity
from tansiq.volunteers.services import applications as services
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory
from tests.volunteers.factories import (
    AgreementFactory,
    OpportunityFactory,
    QualificationFactory,
    ShiftFactory,
    VolunteerProfileFactory,
)

State = Application.State
Seat = Booking.State


@pytest.fixture
def charter(db):
    return AgreementFactory(kind="charter", published_at=timezone.now() - dt.timedelta(days=1))


def volunteer(charter=None, **values):
    profile = VolunteerProfileFactory(**values)
    if charter is not None:
        Acceptance.objects.create(user=profile.user, agreement=charter)
    return profile


@pytest.fixture
def opportunity(db):
    return OpportunityFactory(title="Iftar kitchen", questions=["Have you cooked for many people?"])


@pytest.fixture
def coordinator(opportunity):
    user = UserFactory(display_name="Coordinator", language="en")
    MembershipFactory(user=user, organisation=opportunity.organisation, role="admin")
    return user


@pytest.fixture
def shift(opportunity):
    return ShiftFactory(opportunity=opportunity, capacity=1)


def applied(profile, opportunity, shifts, **kwargs):
    application, created = services.apply(
        opportunity, by=profile.user, shifts=shifts, answers=kwargs.pop("answers", ["Yes"]), **kwargs
    )
    assert created
    return application


def freed_seat_and_two_waiting(charter, opportunity, shift, coordinator):
    """The shift's one seat taken, two volunteers accepted onto the waiting list, then the seated
    volunteer withdraws: the seat is offered to the first one waiting."""
    seated = applied(volunteer(charter), opportunity, [shift])
    services.accept(seated, by=coordinator)
    waiting = [applied(volunteer(charter), opportunity, [shift], waitlist=True) for _ in range(2)]
    for application in waiting:
        services.accept(application, by=coordinator)
    services.withdraw(seated, by=seated.profile.user)
    return waiting


# --- Gates --------------------------------------------------------------------------------------------


def test_a_volunteer_applies_with_shifts_and_answers_and_the_coordinators_hear_of_it(
    charter, opportunity, shift, coordinator, django_capture_on_commit_callbacks
):
    profile = volunteer(charter)
    with django_capture_on_commit_callbacks(execute=True):
        application = applied(profile, opportunity, [shift], motivation="I like to help")
    assert application.state == State.SUBMITTED
    assert application.answers == [{"question": "Have you cooked for many people?", "answer": "Yes"}]
    assert list(application.bookings.values_list("shift", "state")) == [(shift.pk, Seat.REQUESTED)]
    assert Notification.objects.filter(user=coordinator, kind="volunteers.roster").count() == 1
    assert AuditEntry.objects.filter(action="apply").count() == 1


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no_profile", "Create your volunteer profile"),
        ("no_charter", "Accept the current privacy notice and volunteering charter"),
        ("minor", "guardian's consent"),
        ("too_young", "aged 21 or over"),
        ("women_only", "open to women only"),
        ("qualification_missing", "which you do not hold"),
        ("qualification_expired", "it expires on"),
        ("not_published", "not open to applications"),
        ("no_answer", "Answer every question"),
        ("no_shift", "Choose at least one shift"),
        ("past_shift", "is no longer open"),
    ],
)
def test_each_gate_refuses_with_its_reason(charter, opportunity, shift, setup, message):
    profile = volunteer(charter, gender="male")
    user, shifts, answers = profile.user, [shift], ["Yes"]
    if setup == "no_profile":
        user = UserFactory()
    elif setup == "no_charter":
        profile = volunteer(None)
        user = profile.user
    elif setup == "minor":
        profile.birth_date = timezone.localdate() - dt.timedelta(days=16 * 366)
        profile.save()
    elif setup == "too_young":
        opportunity.min_age = 21
        profile.birth_date = timezone.localdate() - dt.timedelta(days=19 * 366)
        profile.guardian_name = ""
        profile.save()
        opportunity.save()
    elif setup == "women_only":
        opportunity.gender = Opportunity.Gender.WOMEN
        opportunity.save()
    elif setup.startswith("qualification"):
        qualification = QualificationFactory(name="First aid")
        opportunity.qualifications.add(qualification)
        if setup == "qualification_expired":
            HeldQualification.objects.create(
                profile=profile, qualification=qualification, expires_on=timezone.localdate() + dt.timedelta(days=2)
            )
    elif setup == "not_published":
        opportunity.state = Opportunity.State.DRAFT
        opportunity.save()
    elif setup == "no_answer":
        answers = [" "]
    elif setup == "no_shift":
        shifts = []
    elif setup == "past_shift":
        shifts = [ShiftFactory(opportunity=opportunity, starts_at=timezone.now() - dt.timedelta(days=1))]
    with pytest.raises(TansiqError, match=message):
        services.apply(opportunity, by=user, shifts=shifts, answers=answers)
    assert not Application.objects.exists()


def test_a_qualification_valid_through_the_shift_lets_the_volunteer_apply(charter, opportunity, shift):
    profile = volunteer(charter)
    qualification = QualificationFactory()
    opportunity.qualifications.add(qualification)
    HeldQualification.objects.create(
        profile=profile, qualification=qualification, expires_on=timezone.localdate() + dt.timedelta(days=30)
    )
    assert applied(profile, opportunity, [shift]).state == State.SUBMITTED


def test_a_minor_with_their_guardians_consent_may_apply(charter, opportunity, shift):
    profile = volunteer(
        charter,
        birth_date=timezone.localdate() - dt.timedelta(days=16 * 366),
        guardian_name="Aminah",
        guardian_contact="+60 12 345 6789",
        guardian_consent_at=timezone.now(),
    )
    assert applied(profile, opportunity, [shift]).state == State.SUBMITTED


def test_a_full_shift_is_refused_unless_the_volunteer_joins_the_waiting_list(charter, opportunity, shift, coordinator):
    services.accept(applied(volunteer(charter), opportunity, [shift]), by=coordinator)
    late = volunteer(charter)
    with pytest.raises(TansiqError, match="is full") as refused:
        services.apply(opportunity, by=late.user, shifts=[shift], answers=["Yes"])
    assert refused.value.field == "waitlist"
    application = applied(late, opportunity, [shift], waitlist=True)
    assert application.bookings.get().state == Seat.WAITLISTED


def test_a_shift_overlapping_one_already_booked_is_refused(charter, opportunity, shift, coordinator):
    profile = volunteer(charter)
    services.accept(applied(profile, opportunity, [shift]), by=coordinator)
    other = ShiftFactory(starts_at=shift.starts_at + dt.timedelta(hours=1), opportunity__questions=[])
    with pytest.raises(TansiqError, match="overlaps one you are already booked on"):
        services.apply(other.opportunity, by=profile.user, shifts=[other])
    later = ShiftFactory(opportunity=other.opportunity, starts_at=shift.ends_at)
    assert services.apply(other.opportunity, by=profile.user, shifts=[later])[1]


def test_submitting_twice_returns_the_first_application(charter, opportunity, shift):
    profile = volunteer(charter)
    first = applied(profile, opportunity, [shift])
    again, created = services.apply(opportunity, by=profile.user, shifts=[shift], answers=["Yes"])
    assert not created and again.pk == first.pk
    assert Application.objects.count() == 1 and Booking.objects.count() == 1


# --- The organisation decides -------------------------------------------------------------------------


def test_shortlist_then_accept_seats_the_volunteer_and_tells_them(
    charter, opportunity, shift, coordinator, django_capture_on_commit_callbacks
):
    application = applied(volunteer(charter), opportunity, [shift])
    services.shortlist(application, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(application, by=coordinator)
    application.refresh_from_db()
    assert application.state == State.ACCEPTED and application.decided_by == coordinator
    assert application.bookings.get().state == Seat.ACCEPTED
    notice = Notification.objects.get(user=application.profile.user, kind="volunteers.applications")
    assert "Accepted" in notice.subject


def test_accepting_past_capacity_waitlists_instead(charter, opportunity, shift, coordinator):
    first = applied(volunteer(charter), opportunity, [shift])
    second = applied(volunteer(charter), opportunity, [shift])
    services.accept(first, by=coordinator)
    services.accept(second, by=coordinator)
    second.refresh_from_db()
    assert second.state == State.WAITLISTED and second.bookings.get().state == Seat.WAITLISTED
    assert shift.bookings.filter(state__in=Booking.SEAT_STATES).count() == 1


def test_accepting_some_shifts_declines_the_others(charter, opportunity, shift, coordinator):
    other = ShiftFactory(opportunity=opportunity, starts_at=shift.starts_at + dt.timedelta(days=1))
    application = applied(volunteer(charter), opportunity, [shift, other])
    services.accept(application, by=coordinator, shifts=[other])
    assert dict(application.bookings.values_list("shift", "state")) == {
        shift.pk: Seat.DECLINED,
        other.pk: Seat.ACCEPTED,
    }


def test_a_declined_application_cannot_be_accepted(charter, opportunity, shift, coordinator):
    application = applied(volunteer(charter), opportunity, [shift])
    services.decline(application, by=coordinator, reason="Not this time")
    with pytest.raises(Conflict):
        services.accept(application, by=coordinator)


def test_only_the_organisations_coordinators_decide(charter, opportunity, shift):
    application = applied(volunteer(charter), opportunity, [shift])
    stranger = UserFactory()
    MembershipFactory(user=stranger, role="admin")  # an admin of another organisation
    for decide in (services.shortlist, services.accept, services.put_on_waitlist, services.decline):
        with pytest.raises(Forbidden):
            decide(application, by=stranger)
    with pytest.raises(Forbidden):
        services.accept(application, by=application.profile.user)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_bulk_decisions_report_what_was_refused(charter, opportunity, shift, coordinator):
    one = applied(volunteer(charter), opportunity, [shift])
    two = applied(volunteer(charter), opportunity, [shift])
    services.decline(two, by=coordinator)
    result = services.decide_many([one, two], by=coordinator, decision="shortlist")
    assert [application.pk for application in result.done] == [one.pk]
    assert result.refused[0][0].pk == two.pk and "cannot move" in result.refused[0][1]


# --- The volunteer's side ---------------------------------------------------------------------------------


def test_confirming_needs_the_organisations_agreement(charter, opportunity, shift, coordinator):
    from tansiq.volunteers.models import OrganisationSettings

    OrganisationSettings.objects.create(organisation=opportunity.organisation, agreement_text="Be on time.")
    application = applied(volunteer(charter), opportunity, [shift])
    services.accept(application, by=coordinator)
    application.refresh_from_db()
    with pytest.raises(TansiqError, match="volunteer agreement"):
        services.confirm(application, by=application.profile.user, agreement_accepted=False)
    with pytest.raises(Forbidden):
        services.confirm(application, by=coordinator, agreement_accepted=True)
    services.confirm(application, by=application.profile.user, agreement_accepted=True)
    application.refresh_from_db()
    assert application.state == State.CONFIRMED and application.agreement_accepted_at is not None


def test_a_submitted_application_cannot_be_confirmed(charter, opportunity, shift):
    application = applied(volunteer(charter), opportunity, [shift])
    with pytest.raises(Conflict):
        services.confirm(application, by=application.profile.user, agreement_accepted=True)


def test_withdrawing_frees_the_seat_and_offers_it_to_the_first_waiting(
    charter, opportunity, shift, coordinator, django_capture_on_commit_callbacks
):
    seated = applied(volunteer(charter), opportunity, [shift])
    services.accept(seated, by=coordinator)
    first = applied(volunteer(charter), opportunity, [shift], waitlist=True)
    second = applied(volunteer(charter), opportunity, [shift], waitlist=True)
    services.accept(first, by=coordinator)
    services.accept(second, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(seated, by=seated.profile.user, reason="Travelling")
    offered = first.bookings.get()
    assert offered.state == Seat.OFFERED
    expected = timezone.now() + dt.timedelta(hours=services.DEFAULT_OFFER_HOURS)
    assert abs((offered.offer_expires_at - min(expected, shift.starts_at)).total_seconds()) < 60
    assert second.bookings.get().state == Seat.WAITLISTED
    assert Notification.objects.filter(user=first.profile.user, subject__contains="A place is free").exists()
    services.take_offer(offered, by=first.profile.user)
    first.refresh_from_db()
    assert first.state == State.ACCEPTED and first.bookings.get().state == Seat.ACCEPTED
    assert first.offer_expires_at is None


def test_the_networks_policy_sets_how_long_an_offer_stays_open(charter, opportunity, shift, coordinator):
    from tansiq.volunteers.models import VolunteeringPolicy
    from tests.network.factories import NetworkMembershipFactory

    membership = NetworkMembershipFactory(organisation=opportunity.organisation)
    VolunteeringPolicy.objects.create(network=membership.network, offer_hours=6)
    shift.starts_at = timezone.now() + dt.timedelta(days=3)
    shift.ends_at = shift.starts_at + dt.timedelta(hours=2)
    shift.save()
    seated = applied(volunteer(charter), opportunity, [shift])
    services.accept(seated, by=coordinator)
    waiting = applied(volunteer(charter), opportunity, [shift], waitlist=True)
    services.accept(waiting, by=coordinator)
    services.decline(seated, by=coordinator)
    until = waiting.bookings.get().offer_expires_at
    assert dt.timedelta(hours=5, minutes=59) < until - timezone.now() <= dt.timedelta(hours=6)


def test_declining_an_offer_passes_it_on(charter, opportunity, shift, coordinator):
    first, second = freed_seat_and_two_waiting(charter, opportunity, shift, coordinator)
    services.decline_offer(first.bookings.get(), by=first.profile.user)
    first.refresh_from_db()
    assert first.state == State.DECLINED and first.bookings.get().state == Seat.DECLINED
    assert second.bookings.get().state == Seat.OFFERED


def test_an_expired_offer_passes_to_the_next_and_cannot_be_taken(charter, opportunity, shift, coordinator):
    first, second = freed_seat_and_two_waiting(charter, opportunity, shift, coordinator)
    offered = first.bookings.get()
    Booking.objects.filter(pk=offered.pk).update(offer_expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(Conflict, match="expired"):
        services.take_offer(offered, by=first.profile.user)
    assert services.expire_offers() == 1
    assert services.expire_offers() == 0  # running again changes nothing
    assert first.bookings.get().state == Seat.DECLINED
    assert second.bookings.get().state == Seat.OFFERED
    assert shift.bookings.filter(state__in=Booking.SEAT_STATES).count() == 1


def test_the_scheduled_job_passes_expired_offers_on(charter, opportunity, shift, coordinator):
    seated = applied(volunteer(charter), opportunity, [shift])
    services.accept(seated, by=coordinator)
    waiting = applied(volunteer(charter), opportunity, [shift], waitlist=True)
    services.accept(waiting, by=coordinator)
    services.withdraw(seated, by=seated.profile.user)
    Booking.objects.filter(state=Seat.OFFERED).update(offer_expires_at=timezone.now() - dt.timedelta(seconds=1))
    services.pass_on_expired_offers.enqueue()
    assert waiting.bookings.get().state == Seat.DECLINED


def test_someone_else_cannot_withdraw_or_take_an_offer(charter, opportunity, shift, coordinator):
    application = applied(volunteer(charter), opportunity, [shift])
    other = volunteer(charter)
    with pytest.raises(Forbidden):
        services.withdraw(application, by=other.user)
    services.accept(application, by=coordinator)
    with pytest.raises(Forbidden):
        services.confirm(application, by=other.user, agreement_accepted=True)


# --- Ratings ---------------------------------------------------------------------------------------------


def test_both_sides_rate_once_a_shift_was_attended(charter, opportunity, shift, coordinator):
    application = applied(volunteer(charter), opportunity, [shift])
    services.accept(application, by=coordinator)
    with pytest.raises(Conflict, match="attended"):
        services.rate(application, by=application.profile.user, side="volunteer", rating=5)
    application.bookings.update(attendance=Booking.Attendance.ATTENDED)
    services.rate(application, by=application.profile.user, side="volunteer", rating=5, comment="Well run")
    services.rate(application, by=coordinator, side="organisation", rating=4)
    application.refresh_from_db()
    assert (application.volunteer_rating, application.organisation_rating) == (5, 4)
    with pytest.raises(Conflict):
        services.rate(application, by=coordinator, side="organisation", rating=3)
    with pytest.raises(TansiqError, match="from 1 to 5"):
        services.rate(application, by=application.profile.user, side="volunteer", rating=6)
    with pytest.raises(Forbidden):
        services.rate(application, by=application.profile.user, side="organisation", rating=1)


def test_erasing_a_volunteers_data_offers_their_places_to_the_waiting_list(
    charter, opportunity, shift, coordinator, django_capture_on_commit_callbacks
):
    from tansiq.volunteers.services.profiles import erase_volunteer_data

    seated = applied(volunteer(charter), opportunity, [shift])
    services.accept(seated, by=coordinator)
    waiting = applied(volunteer(charter), opportunity, [shift], waitlist=True)
    services.accept(waiting, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        erase_volunteer_data(seated.profile.user, by=seated.profile.user)
    assert not Application.objects.filter(pk=seated.pk).exists()
    assert waiting.bookings.get().state == Seat.OFFERED
    assert Notification.objects.filter(user=waiting.profile.user, subject__contains="A place is free").exists()


def test_accepting_the_last_place_makes_the_opportunity_full_and_withdrawing_opens_it_again(
    opportunity, shift, coordinator, charter, django_capture_on_commit_callbacks
):
    profile = volunteer(charter)
    application = applied(profile, opportunity, [shift])
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(application, by=coordinator)
    opportunity.refresh_from_db()
    assert opportunity.state == Opportunity.State.FULL
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(application, by=profile.user)
    opportunity.refresh_from_db()
    assert opportunity.state == Opportunity.State.PUBLISHED
