"""Check-in and check-out by QR code, hours reported and decided, the daily check-out flag."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import AuditEntry, Notification
from tansiq.volunteers.models import Application, Booking, HoursEntry, OrganisationSettings
from tansiq.volunteers.services import hours as services
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.volunteers.factories import (
    ApplicationFactory,
    BookingFactory,
    HoursEntryFactory,
    OpportunityFactory,
    ShiftFactory,
    VolunteerProfileFactory,
)

NOW = timezone.now()


@pytest.fixture
def organisation(db):
    return OrganisationFactory(slug="helpers", name_en="Helpers Society")


def person(organisation, role):
    user = UserFactory(display_name=f"The {role}")
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def coordinator(organisation):
    return person(organisation, "editor")


@pytest.fixture
def owner(organisation):
    return person(organisation, "owner")


@pytest.fixture
def shift(organisation):
    opportunity = OpportunityFactory(organisation=organisation, title_en="Food bank")
    return ShiftFactory(
        opportunity=opportunity, starts_at=NOW - dt.timedelta(minutes=30), ends_at=NOW + dt.timedelta(hours=3)
    )


def book(shift, *, state=Booking.State.ACCEPTED, application_state=Application.State.CONFIRMED, profile=None):
    application = ApplicationFactory(
        opportunity=shift.opportunity, state=application_state, **({"profile": profile} if profile else {})
    )
    return BookingFactory(application=application, shift=shift, state=state)


# --- Check-in by the volunteer's code ------------------------------------------------------------------


def test_coordinator_checks_a_volunteer_in_and_out_and_pending_hours_are_created(shift, coordinator):
    booking = book(shift)
    services.check_in(shift, booking.code, by=coordinator, now=NOW)
    services.check_out(shift, booking.code, by=coordinator, now=NOW + dt.timedelta(hours=2, minutes=10))
    booking.refresh_from_db()
    assert booking.attendance == Booking.Attendance.ATTENDED
    entry = HoursEntry.objects.get(booking=booking)
    assert entry.hours == Decimal("2.00")  # to the quarter hour below
    assert entry.state == HoursEntry.State.PENDING and entry.source == HoursEntry.Source.CHECK_IN
    assert entry.profile == booking.application.profile and entry.organisation == shift.opportunity.organisation
    assert AuditEntry.objects.filter(object_id=str(booking.pk), to_state="checked_out").exists()


def test_hours_from_check_out_are_capped_at_the_shift_length(shift, coordinator):
    booking = book(shift)
    services.check_in(shift, booking.code, by=coordinator, now=NOW - dt.timedelta(minutes=20))
    services.check_out(shift, booking.code, by=coordinator, now=NOW + dt.timedelta(hours=9))
    assert HoursEntry.objects.get(booking=booking).hours == Decimal(str(shift.hours))


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("forged", "This code is not valid."),
        ("other_shift", "This code is for another shift."),
        ("twice", "This volunteer is already checked in."),
        ("used", "This code has already been used to check in and out."),
        ("waitlisted", "This volunteer has no accepted place on this shift."),
        ("submitted", "This volunteer has no accepted place on this shift."),
    ],
)
def test_check_in_refusals(shift, coordinator, setup, message):
    booking = book(
        shift,
        state=Booking.State.WAITLISTED if setup == "waitlisted" else Booking.State.ACCEPTED,
        application_state=Application.State.SUBMITTED if setup == "submitted" else Application.State.CONFIRMED,
    )
    code = booking.code
    if setup == "forged":
        code = booking.code[:-3] + "xyz"
    elif setup == "other_shift":
        code = book(
            ShiftFactory(opportunity=shift.opportunity, starts_at=NOW, ends_at=NOW + dt.timedelta(hours=1))
        ).code
    elif setup == "twice":
        services.check_in(shift, code, by=coordinator, now=NOW)
    elif setup == "used":
        services.check_in(shift, code, by=coordinator, now=NOW)
        services.check_out(shift, code, by=coordinator, now=NOW + dt.timedelta(hours=1))
    with pytest.raises(TansiqError) as refused:
        services.check_in(shift, code, by=coordinator, now=NOW + dt.timedelta(hours=1))
    assert str(refused.value.message) == message


def test_check_in_opens_two_hours_before_the_shift(organisation, coordinator):
    later = ShiftFactory(
        opportunity=OpportunityFactory(organisation=organisation), starts_at=NOW + dt.timedelta(hours=5)
    )
    booking = book(later)
    with pytest.raises(Conflict):
        services.check_in(later, booking.code, by=coordinator, now=NOW)
    services.check_in(later, booking.code, by=coordinator, now=NOW + dt.timedelta(hours=3, minutes=30))


def test_another_organisations_coordinator_cannot_check_in(shift):
    stranger = person(OrganisationFactory(), "owner")
    with pytest.raises(Forbidden):
        services.check_in(shift, book(shift).code, by=stranger, now=NOW)


# --- Check-in by the shift's code ------------------------------------------------------------------------


def test_volunteer_checks_in_by_scanning_the_shift_code(shift):
    booking = book(shift)
    volunteer = booking.application.profile.user
    services.check_in_with_shift_code(shift.checkin_token, by=volunteer, now=NOW)
    services.check_out_with_shift_code(shift.checkin_token, by=volunteer, now=NOW + dt.timedelta(hours=1))
    assert HoursEntry.objects.get(booking=booking).hours == Decimal("1.00")


def test_a_rotated_shift_code_no_longer_works(shift, coordinator):
    booking = book(shift)
    old = shift.checkin_token
    services.rotate_checkin_token(shift, by=coordinator)
    with pytest.raises(TansiqError, match="not valid"):
        services.check_in_with_shift_code(old, by=booking.application.profile.user, now=NOW)


def test_a_volunteer_without_a_place_cannot_check_in_by_the_shift_code(shift):
    book(shift)
    with pytest.raises(Conflict, match="no place"):
        services.check_in_with_shift_code(shift.checkin_token, by=VolunteerProfileFactory().user, now=NOW)


def test_the_self_check_in_page(client_for, shift):
    booking = book(shift)
    client = client_for(booking.application.profile.user)
    url = f"/en/volunteering/check-in/{shift.checkin_token}/"
    assert "Check in" in client.get(url).content.decode()
    client.post(url, {"direction": "in"})
    booking.refresh_from_db()
    assert booking.checked_in_at is not None
    assert client.get("/en/volunteering/check-in/forged-token/").status_code == 404


# --- Attendance and the daily flag ---------------------------------------------------------------------------


def test_attendance_is_recorded_and_no_show_refused_after_check_in(shift, coordinator):
    absent, present = book(shift), book(shift)
    services.record_attendance(absent, "no_show", by=coordinator, now=NOW)
    assert Booking.objects.get(pk=absent.pk).attendance == "no_show"
    services.check_in(shift, present.code, by=coordinator, now=NOW)
    with pytest.raises(Conflict):
        services.record_attendance(Booking.objects.get(pk=present.pk), "no_show", by=coordinator, now=NOW)


def test_a_missing_check_out_is_flagged_once_the_next_day(
    organisation, coordinator, owner, django_capture_on_commit_callbacks
):
    yesterday = NOW - dt.timedelta(days=1)
    shift = ShiftFactory(
        opportunity=OpportunityFactory(organisation=organisation),
        starts_at=yesterday - dt.timedelta(hours=5),
        ends_at=yesterday - dt.timedelta(hours=1),
    )
    booking = book(shift)
    services.check_in(shift, booking.code, by=coordinator, now=shift.starts_at)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.flag_missing_checkouts(now=NOW) == 1
    assert services.flag_missing_checkouts(now=NOW) == 0  # safe to run again
    assert Notification.objects.filter(kind="volunteers.checkout", user__in=[coordinator, owner]).count() == 2
    from tansiq.core import actions

    titles = [str(item.title) for item in actions.items_for(coordinator)]
    assert any("Check-outs missing" in title for title in titles)


# --- Hours reported and decided ------------------------------------------------------------------------------


@pytest.fixture
def past_booking(organisation):
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=3), dt.time(9)))
    shift = ShiftFactory(
        opportunity=OpportunityFactory(organisation=organisation),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
    )
    return book(shift)


def report(booking, **values):
    profile = booking.application.profile
    data = {
        "opportunity": booking.shift.opportunity,
        "date": timezone.localdate(booking.shift.starts_at),
        "hours": Decimal("3.5"),
        "note": "Sorted the donations.",
    }
    return services.report_hours(profile, by=profile.user, **{**data, **values})


def test_a_volunteer_reports_hours_for_their_shift(past_booking, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = report(past_booking)
    assert entry.booking == past_booking and entry.state == "pending" and entry.hours == Decimal("3.50")
    from tansiq.core import actions

    waiting = [item for item in actions.items_for(owner) if "hours to approve" in str(item.title)]
    assert [item.detail for item in waiting] == ["1 waiting"]
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_hours([entry], by=owner)
    assert not [item for item in actions.items_for(owner) if "hours to approve" in str(item.title)]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"hours": Decimal("5")}, "hours"),  # longer than the 4-hour shift
        ({"hours": Decimal("25")}, "hours"),
        ({"date": timezone.localdate() + dt.timedelta(days=1)}, "date"),
        ({"note": "  "}, "note"),
    ],
)
def test_bad_hours_are_refused_with_the_field_at_fault(past_booking, values, field):
    with pytest.raises(TansiqError) as refused:
        report(past_booking, **values)
    assert refused.value.field == field


def test_a_shift_is_not_counted_twice(past_booking):
    report(past_booking)
    with pytest.raises(Conflict):
        report(past_booking)


def test_hours_only_for_an_opportunity_where_the_volunteer_has_a_place(past_booking):
    with pytest.raises(TansiqError) as refused:
        report(past_booking, opportunity=OpportunityFactory())
    assert refused.value.field == "opportunity"


def test_owners_approve_and_decline_and_declined_hours_stay(organisation, owner, coordinator):
    first, second = (
        HoursEntryFactory(opportunity__organisation=organisation),
        HoursEntryFactory(opportunity__organisation=organisation),
    )
    with pytest.raises(Forbidden):  # approvers are owners and admins by default
        services.approve_hours([first], by=coordinator)
    assert services.approve_hours([first], by=owner) == [first]
    assert services.approve_hours([first], by=owner) == []  # already decided: left as it is
    with pytest.raises(TansiqError):
        services.decline_hours(second, by=owner, reason=" ")
    services.decline_hours(second, by=owner, reason="No shift that day.")
    second.refresh_from_db()
    assert second.state == "declined" and second.decline_reason == "No shift that day."
    assert HoursEntry.objects.filter(pk=second.pk).exists()
    assert Notification.objects.filter(kind="volunteers.hours_decided", user=second.profile.user).exists()


def test_editors_approve_when_the_organisation_says_so(organisation, coordinator):
    OrganisationSettings.objects.create(organisation=organisation, hours_approvers="editors")
    entry = HoursEntryFactory(opportunity__organisation=organisation)
    assert services.approve_hours([entry], by=coordinator) == [entry]


def test_nobody_approves_their_own_hours(organisation, owner):
    entry = HoursEntryFactory(opportunity__organisation=organisation, profile=VolunteerProfileFactory(user=owner))
    with pytest.raises(TansiqError, match="own hours"):
        services.approve_hours([entry], by=owner)


def test_bulk_approval_on_the_hours_page(client_for, organisation, owner):
    entries = [HoursEntryFactory(opportunity__organisation=organisation) for _n in range(3)]
    client = client_for(owner)
    page = client.get("/en/volunteering/organisations/helpers/hours/?state=pending")
    assert page.status_code == 200 and page.content.decode().count('name="entries"') == 3
    response = client.post("/en/volunteering/organisations/helpers/hours/", {"entries": [e.pk for e in entries[:2]]})
    assert response.status_code == 302
    assert sorted(HoursEntry.objects.filter(state="approved").values_list("pk", flat=True)) == sorted(
        e.pk for e in entries[:2]
    )
    export = client.get("/en/volunteering/organisations/helpers/hours/?export=csv")
    assert export["Content-Type"].startswith("text/csv")
    assert export.content.decode("utf-8-sig").splitlines()[0].startswith("Date,Volunteer,Opportunity,Hours")


def test_a_volunteer_reports_hours_on_their_page(client_for, past_booking):
    client = client_for(past_booking.application.profile.user)
    url = "/en/volunteering/my-hours/"
    day = timezone.localdate(past_booking.shift.starts_at).isoformat()
    opportunity = past_booking.shift.opportunity.uuid
    refused = client.post(url, {"opportunity": opportunity, "date": day, "hours": "6", "note": "All day"})
    assert refused.status_code == 422 and "longer than the shift" in refused.content.decode()
    assert client.post(url, {"opportunity": opportunity, "date": day, "hours": "4", "note": "x"}).status_code == 302
    assert HoursEntry.objects.get().hours == Decimal("4.00")


def test_the_coordinator_check_in_page(client_for, shift, coordinator):
    booking = book(shift)
    client = client_for(coordinator)
    url = f"/en/volunteering/opportunities/{shift.opportunity.uuid}/shifts/{shift.pk}/check-in/"
    page = client.get(url).content.decode()
    assert "<svg" in page and booking.application.profile.display_name in page
    assert client.post(url, {"code": booking.code, "direction": "in"}).status_code == 302
    again = client.post(url, {"code": booking.code, "direction": "in"})
    assert again.status_code == 422 and "already checked in" in again.content.decode()


def test_organisation_pages_are_refused_to_others(client, organisation, shift, coordinator):
    entry = HoursEntryFactory(opportunity__organisation=organisation)
    outsider = person(OrganisationFactory(), "owner")
    base = f"/en/volunteering/opportunities/{shift.opportunity.uuid}/shifts/{shift.pk}"
    pages = [
        "/en/volunteering/organisations/helpers/shifts/",
        "/en/volunteering/organisations/helpers/hours/",
        "/en/volunteering/organisations/helpers/certificates/",
        f"{base}/check-in/",
        ("post", f"{base}/new-code/"),
        ("post", f"{base}/attendance/"),
        ("post", f"/en/volunteering/organisations/helpers/hours/{entry.pk}/decline/"),
    ]
    for user in (None, outsider, VolunteerProfileFactory().user):
        assert_refused(client, user, pages)
    # An editor runs shifts but, by default, does not approve hours.
    assert_refused(client, coordinator, pages[1:3])


def test_the_api_checks_in_by_code_with_the_pages_refusals(client_for, shift, coordinator):
    booking = book(shift)
    client = client_for(coordinator)
    url = f"/api/v1/volunteers/opportunities/{shift.opportunity.uuid}/shifts/{shift.pk}/check-in"
    forged = client.post(url, {"code": "made-up", "direction": "in"}, content_type="application/json")
    assert forged.status_code == 400 and forged.json()["error"]["fields"]["code"] == ["This code is not valid."]
    done = client.post(url, {"code": booking.code, "direction": "in"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["checked_in_at"]
    twice = client.post(url, {"code": booking.code, "direction": "in"}, content_type="application/json")
    assert twice.status_code == 409
    out = client.post(url, {"code": booking.code, "direction": "out"}, content_type="application/json")
    assert out.status_code == 200 and HoursEntry.objects.filter(booking=booking).exists()
