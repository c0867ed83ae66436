"""Certificates of hours, tiers, the volunteer's dashboard, the calendar of shifts, own data."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from tansiq.core import certificates
from tansiq.core.errors import Forbidden, TansiqError
from tansiq.core.ical import Event, calendar, escape, fold
from tansiq.core.models import Certificate, Notification
from tansiq.volunteers.models import Application, Booking, HoursEntry, Tier
from tansiq.volunteers.queries import hours as queries
from tansiq.volunteers.services import hours as services
from tansiq.volunteers.services import profiles as profile_services
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, NetworkMembershipFactory, OrganisationFactory
from tests.volunteers.factories import (
    ApplicationFactory,
    BookingFactory,
    HoursEntryFactory,
    ShiftFactory,
    VolunteerProfileFactory,
)

TODAY = timezone.localdate()


@pytest.fixture
def organisation(db):
    return OrganisationFactory(slug="helpers", name_en="Helpers Society", name_ar="جمعية المساعدين")


@pytest.fixture
def owner(organisation):
    user = UserFactory(display_name="Maryam Al Kuwari")
    MembershipFactory(user=user, organisation=organisation, role="owner")
    return user


@pytest.fixture
def volunteer():
    return VolunteerProfileFactory(
        user=UserFactory(language="ar"), legal_name="Noora Al Marri", name_arabic="نورة المري", name_latin=""
    )


def approved(organisation, profile, hours, day):
    return HoursEntryFactory(
        opportunity__organisation=organisation, profile=profile, hours=Decimal(hours), date=day, state="approved"
    )


def test_a_certificate_counts_the_approved_hours_of_the_period_in_the_volunteers_language(
    organisation, owner, volunteer
):
    approved(organisation, volunteer, "3", TODAY - dt.timedelta(days=40))
    approved(organisation, volunteer, "4.5", TODAY - dt.timedelta(days=10))
    HoursEntryFactory(opportunity__organisation=organisation, profile=volunteer, state="declined", date=TODAY)
    approved(OrganisationFactory(), volunteer, "9", TODAY - dt.timedelta(days=10))  # another organisation's
    certificate = services.issue_hours_certificate(
        organisation,
        volunteer,
        by=owner,
        start=TODAY - dt.timedelta(days=30),
        end=TODAY,
        signatory_title="Chair",
    )
    assert certificate.facts["hours"] == 4.5
    assert certificate.language == "ar" and certificate.organisation_name == "جمعية المساعدين"
    assert certificate.holder_name == "نورة المري" and certificate.signatory_name == "Maryam Al Kuwari"
    assert certificates.verify(certificate.code) == certificate
    assert Notification.objects.filter(kind="volunteers.certificate", user=volunteer.user).exists()
    # The organisation's approvers may download and revoke it; another organisation's may not.
    assert certificates.may_download(owner, certificate)
    stranger = UserFactory()
    MembershipFactory(user=stranger, organisation=OrganisationFactory(), role="owner")
    assert not certificates.may_download(stranger, certificate)
    with pytest.raises(Forbidden):
        certificates.revoke(certificate, by=stranger, reason="No")
    certificates.revoke(certificate, by=owner, reason="Issued twice")
    assert certificates.verify(certificate.code).is_revoked


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (TODAY, TODAY - dt.timedelta(days=1), "end"),
        (TODAY, TODAY + dt.timedelta(days=1), "end"),
        (TODAY - dt.timedelta(days=5), TODAY, "start"),  # no approved hours in the period
    ],
)
def test_bad_periods_are_refused(organisation, owner, volunteer, start, end, field):
    approved(organisation, volunteer, "2", TODAY - dt.timedelta(days=60))
    with pytest.raises(TansiqError) as refused:
        services.issue_hours_certificate(organisation, volunteer, by=owner, start=start, end=end)
    assert refused.value.field == field


def test_issuing_on_the_page_and_finding_it_on_the_dashboard(client_for, organisation, owner, volunteer):
    approved(organisation, volunteer, "6", TODAY - dt.timedelta(days=3))
    client = client_for(owner)
    listing = client.get("/en/volunteering/organisations/helpers/certificates/").content.decode()
    issue = f"/en/volunteering/organisations/helpers/certificates/{volunteer.uuid}/issue/"
    assert issue in listing
    form = client.get(issue)
    assert form.status_code == 200
    day = (TODAY - dt.timedelta(days=3)).isoformat()
    assert client.post(issue, {"start": day, "end": day, "signatory_name": "Maryam"}).status_code == 302
    certificate = Certificate.objects.get()
    issued = client.get("/en/volunteering/organisations/helpers/certificates/issued/")
    assert "/revoke/" in issued.content.decode() and certificate.holder_name in issued.content.decode()
    export = client.get("/en/volunteering/organisations/helpers/certificates/issued/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    dashboard = client_for(volunteer.user).get("/ar/volunteering/dashboard/").content.decode()
    assert f"/certificates/{certificate.code}/pdf/" in dashboard
    assert client_for(volunteer.user).get(f"/ar/certificates/{certificate.code}/pdf/")["Content-Type"] == (
        "application/pdf"
    )


def test_the_certificate_pages_are_refused_to_others(client, organisation, owner, volunteer):
    approved(organisation, volunteer, "6", TODAY)
    certificate = services.issue_hours_certificate(organisation, volunteer, by=owner, start=TODAY, end=TODAY)
    editor = UserFactory()
    MembershipFactory(user=editor, organisation=organisation, role="editor")
    pages = [
        f"/en/volunteering/organisations/helpers/certificates/{volunteer.uuid}/issue/",
        "/en/volunteering/organisations/helpers/certificates/issued/",
        ("post", f"/en/volunteering/organisations/helpers/certificates/{certificate.code}/revoke/"),
    ]
    for user in (None, editor, volunteer.user, UserFactory()):
        assert_refused(client, user, pages)
    assert not Certificate.objects.get().is_revoked


def test_tiers_count_cumulative_approved_hours_against_the_networks_thresholds(client_for, organisation, volunteer):
    membership = NetworkMembershipFactory(organisation=organisation, status="admitted")
    for name, hours in (("Silver", 500), ("Gold", 1000)):
        Tier.objects.create(network=membership.network, name=name, name_en=name, min_hours=hours)
    approved(organisation, volunteer, "24", TODAY)
    assert queries.tier_of(volunteer)["tier"] is None
    assert queries.tier_of(volunteer)["next"].name == "Silver"
    HoursEntryFactory.create_batch(
        21, opportunity__organisation=organisation, profile=volunteer, hours=Decimal(24), state="approved"
    )
    HoursEntryFactory(opportunity__organisation=organisation, profile=volunteer, hours=Decimal(24), state="pending")
    tier = queries.tier_of(volunteer)
    assert tier["total"] == Decimal(528) and tier["tier"].name == "Silver" and tier["to_next"] == Decimal(472)
    profile_page = client_for(volunteer.user).get("/en/volunteering/").content.decode()
    assert "Silver" in profile_page and "528 approved hours in all" in profile_page


def test_the_dashboard_shows_hours_by_month_upcoming_shifts_and_the_tier(client_for, organisation, volunteer):
    approved(organisation, volunteer, "7.5", TODAY)
    application = ApplicationFactory(profile=volunteer, state=Application.State.CONFIRMED)
    shift = ShiftFactory(opportunity=application.opportunity, starts_at=timezone.now() + dt.timedelta(days=2))
    BookingFactory(application=application, shift=shift, state=Booking.State.ACCEPTED)
    page = client_for(volunteer.user).get("/en/volunteering/dashboard/").content.decode()
    assert page.count('class="chart-bar"') == 12 and "<title>Approved hours by month</title>" in page
    assert str(application.opportunity.title) in page
    arabic = client_for(volunteer.user).get("/ar/volunteering/dashboard/").content.decode()
    assert "٧٫٥" in arabic  # the month's hours in Arabic-Indic digits


def test_hours_by_month_lists_twelve_months_with_empty_ones(volunteer, organisation):
    approved(organisation, volunteer, "2", dt.date(2026, 3, 4))
    approved(organisation, volunteer, "3", dt.date(2026, 3, 28))
    months = queries.hours_by_month(volunteer, today=dt.date(2026, 5, 10))
    assert len(months) == 12 and months[0][0] == dt.date(2025, 6, 1) and months[-1][0] == dt.date(2026, 5, 1)
    assert dict(months)[dt.date(2026, 3, 1)] == Decimal(5) and dict(months)[dt.date(2026, 4, 1)] == 0


# --- The calendar of my shifts -------------------------------------------------------------------------------


def test_ical_text_is_escaped_and_lines_folded_at_75_octets():
    assert escape("Food bank; hall 2, Doha\nGate B") == "Food bank\\; hall 2\\, Doha\\nGate B"
    folded = fold("SUMMARY:" + "ت" * 60)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines) and all(line.startswith(" ") for line in lines[1:])
    assert "".join(line.removeprefix(" ") for line in lines) == "SUMMARY:" + "ت" * 60
    start = dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)
    text = calendar([Event("a@x", start, start + dt.timedelta(hours=2), "Shift")], name="Mine")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20260301T060000Z\r\n" in text and "DTEND:20260301T080000Z\r\n" in text


def test_the_calendar_feed_serves_my_shifts_by_a_secret_revocable_address(client_for, client, volunteer):
    application = ApplicationFactory(profile=volunteer, state=Application.State.ACCEPTED)
    BookingFactory(application=application, state=Booking.State.ACCEPTED)
    BookingFactory(application=ApplicationFactory(state="accepted"), state="accepted")  # someone else's
    mine = client_for(volunteer.user)
    mine.post("/en/volunteering/calendar/", {"action": "renew"})
    token = queries.calendar_feed_of(volunteer.user).token
    client.logout()
    feed = client.get(f"/en/volunteering/calendar/{token}.ics")
    assert feed["Content-Type"].startswith("text/calendar") and feed.content.decode().count("BEGIN:VEVENT") == 1
    download = client_for(volunteer.user).get("/en/volunteering/calendar/?download=ics")
    assert "attachment" in download["Content-Disposition"]
    client_for(volunteer.user).post("/en/volunteering/calendar/", {"action": "renew"})
    client.logout()
    assert client.get(f"/en/volunteering/calendar/{token}.ics").status_code == 404
    client_for(volunteer.user).post("/en/volunteering/calendar/", {"action": "remove"})
    assert queries.calendar_feed_of(volunteer.user) is None


# --- My data ---------------------------------------------------------------------------------------------------


def test_my_data_has_applications_shifts_hours_and_certificates_and_erasure_keeps_anonymous_hours(
    client_for, organisation, owner, volunteer
):
    application = ApplicationFactory(profile=volunteer, opportunity__organisation=organisation, state="confirmed")
    booking = BookingFactory(application=application, state="accepted")
    HoursEntryFactory(
        opportunity=application.opportunity, profile=volunteer, booking=booking, state="approved", date=TODAY
    )
    certificate = services.issue_hours_certificate(organisation, volunteer, by=owner, start=TODAY, end=TODAY)
    data = json.loads(client_for(volunteer.user).get("/en/volunteering/my-data/", {"format": "json"}).content)
    assert len(data["applications"]) == len(data["shifts"]) == len(data["hours"]) == len(data["certificates"]) == 1
    csv = client_for(volunteer.user).get("/en/volunteering/my-data/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "hours,1.hours,3.00" in csv
    profile_services.erase_volunteer_data(volunteer.user, by=volunteer.user)
    entry = HoursEntry.objects.get()
    assert entry.profile is None and entry.booking is None and entry.hours == Decimal("3.00")
    assert not Application.objects.exists()
    assert certificates.verify(certificate.code) is not None


# --- The API ---------------------------------------------------------------------------------------------------


def test_the_api_reports_lists_and_approves_hours(client_for, organisation, owner, volunteer):
    start = timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=2), dt.time(9)))
    application = ApplicationFactory(profile=volunteer, opportunity__organisation=organisation, state="confirmed")
    shift = ShiftFactory(opportunity=application.opportunity, starts_at=start, ends_at=start + dt.timedelta(hours=3))
    BookingFactory(application=application, shift=shift, state="accepted")
    mine = client_for(volunteer.user)
    body = {"opportunity": str(application.opportunity.uuid), "date": str(start.date()), "hours": "4", "note": "x"}
    refused = mine.post("/api/v1/volunteers/me/hours", body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["hours"]
    created = mine.post("/api/v1/volunteers/me/hours", {**body, "hours": "3"}, content_type="application/json")
    assert created.status_code == 201
    assert mine.get("/api/v1/volunteers/me/hours").json()["count"] == 1
    assert mine.get("/api/v1/volunteers/me/shifts").json()["items"][0]["code"]
    theirs = client_for(owner)
    listed = theirs.get("/api/v1/volunteers/organisations/helpers/hours", {"state": "pending"}).json()
    assert listed["count"] == 1
    assert theirs.get("/api/v1/volunteers/organisations/helpers/hours", {"state": "nonsense"}).status_code == 422
    approved_now = theirs.post(
        "/api/v1/volunteers/organisations/helpers/hours/approve",
        {"entries": [listed["items"][0]["id"]]},
        content_type="application/json",
    )
    assert approved_now.status_code == 200 and approved_now.json()[0]["state"] == "approved"


def test_a_volunteer_sees_only_their_own_shifts_and_hours(client_for, client, volunteer):
    mine = BookingFactory(application=ApplicationFactory(profile=volunteer, state="confirmed"), state="accepted")
    theirs = BookingFactory(application=ApplicationFactory(state="confirmed"), state="accepted")
    HoursEntryFactory(profile=theirs.application.profile, note="Someone else's note")
    page = client_for(volunteer.user).get("/en/volunteering/my-shifts/").content.decode()
    assert mine.code in page and theirs.code not in page
    hours = client_for(volunteer.user).get("/en/volunteering/my-hours/").content.decode()
    assert "Someone else" not in hours
    api = client_for(volunteer.user).get("/api/v1/volunteers/me/shifts").json()
    assert [item["code"] for item in api["items"]] == [mine.code]
    pages = ["/en/volunteering/dashboard/", "/en/volunteering/my-shifts/", "/en/volunteering/my-hours/"]
    assert_refused(client, None, [*pages, "/en/volunteering/calendar/", "/api/v1/volunteers/me/hours"])
