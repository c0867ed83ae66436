"""The application pages and API: applying, "My applications", the roster with its filters, bulk
decisions and export; a volunteer never sees another's application, a coordinator only their own
organisation's; the organisation sees a volunteer's profile once they applied."""

import datetime as dt

import pytest
from django.utils import timezone

from tansiq.volunteers.models import Acceptance, Application, Booking
from tansiq.volunteers.services import actions as application_actions
from tansiq.volunteers.services import applications as services
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory
from tests.volunteers.factories import AgreementFactory, OpportunityFactory, ShiftFactory, VolunteerProfileFactory

State = Application.State


@pytest.fixture
def charter(db):
    return AgreementFactory(published_at=timezone.now() - dt.timedelta(days=1))


@pytest.fixture
def opportunity(db):
    return OpportunityFactory(title="Beach clean-up", questions=["Can you swim?"])


@pytest.fixture
def shift(opportunity):
    return ShiftFactory(opportunity=opportunity, capacity=2)


@pytest.fixture
def coordinator(opportunity):
    user = UserFactory(display_name="Coordinator", language="en")
    MembershipFactory(user=user, organisation=opportunity.organisation, role="owner")
    return user


@pytest.fixture
def other_coordinator(db):
    user = UserFactory(display_name="Other coordinator", language="en")
    MembershipFactory(user=user, role="owner")
    return user


def make_volunteer(charter, name="Nur Aisyah"):
    profile = VolunteerProfileFactory(legal_name=name, name_latin=name)
    Acceptance.objects.create(user=profile.user, agreement=charter)
    return profile


@pytest.fixture
def application(charter, opportunity, shift):
    profile = make_volunteer(charter)
    return services.apply(opportunity, by=profile.user, shifts=[shift], answers=["Yes"])[0]


def test_a_volunteer_applies_through_the_page(client_for, charter, opportunity, shift):
    profile = make_volunteer(charter)
    client = client_for(profile.user)
    url = f"/en/volunteering/opportunities/{opportunity.uuid}/apply/"
    page = client.get(url).content.decode()
    assert "Can you swim?" in page and "2 of 2 places free" in page
    arabic = client.get(url.replace("/en/", "/ar/")).content.decode()
    assert "٢ من ٢ أماكن شاغرة" in arabic  # Arabic-Indic digits, as everywhere on Arabic pages
    response = client.post(url, {"shifts": [shift.pk], "answer_0": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(url, {"shifts": [shift.pk], "answer_0": "Yes, well"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.answers[0]["answer"] == "Yes, well"
    assert client.post(url, {"shifts": [shift.pk], "answer_0": "Again"}).status_code == 302
    assert Application.objects.count() == 1
    mine = client.get("/en/volunteering/applications/").content.decode()
    assert "Beach clean-up" in mine and "Submitted" in mine and "Withdraw" in mine


def test_the_apply_page_says_why_a_volunteer_may_not_apply(client_for, opportunity, member):
    page = client_for(member).get(f"/ar/volunteering/opportunities/{opportunity.uuid}/apply/").content.decode()
    assert "/ar/volunteering/profile/" in page
    assert 'name="answer_0"' not in page


def test_a_full_shift_is_explained_beside_the_waiting_list_box(client_for, charter, opportunity, coordinator):
    full = ShiftFactory(opportunity=opportunity, capacity=1)
    seated = make_volunteer(charter, "Seated")
    services.accept(services.apply(opportunity, by=seated.user, shifts=[full], answers=["y"])[0], by=coordinator)
    late = make_volunteer(charter, "Late")
    apply_page = client_for(late.user).get(f"/en/volunteering/opportunities/{opportunity.uuid}/apply/")
    assert "full: waiting list only" in apply_page.content.decode()
    response = client_for(late.user).post(
        f"/en/volunteering/opportunities/{opportunity.uuid}/apply/", {"shifts": [full.pk], "answer_0": "y"}
    )
    assert "is full" in response.content.decode() and not Application.objects.filter(profile=late).exists()


def test_the_volunteer_withdraws_and_confirms_from_their_page(client_for, application, coordinator):
    from tansiq.volunteers.models import OrganisationSettings

    OrganisationSettings.objects.create(organisation=application.opportunity.organisation, agreement_text="Be kind.")
    services.accept(application, by=coordinator)
    client = client_for(application.profile.user)
    url = f"/en/volunteering/applications/{application.uuid}/confirm/"
    assert "Be kind." in client.get(url).content.decode()
    assert "volunteer agreement" in client.post(url, {}).content.decode()
    assert client.post(url, {"agreement": "on"}).status_code == 302
    application.refresh_from_db()
    assert application.state == State.CONFIRMED
    client.post(f"/en/volunteering/applications/{application.uuid}/withdraw/")
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN


def test_the_volunteer_takes_an_offered_place(client_for, charter, opportunity, coordinator):
    one_seat = ShiftFactory(opportunity=opportunity, capacity=1)
    seated = services.apply(opportunity, by=make_volunteer(charter, "A").user, shifts=[one_seat], answers=["y"])[0]
    services.accept(seated, by=coordinator)
    waiting = services.apply(
        opportunity, by=make_volunteer(charter, "B").user, shifts=[one_seat], answers=["y"], waitlist=True
    )[0]
    services.accept(waiting, by=coordinator)
    services.withdraw(seated, by=seated.profile.user)
    client = client_for(waiting.profile.user)
    assert "Take the place" in client.get("/en/volunteering/applications/").content.decode()
    client.post(f"/en/volunteering/applications/{waiting.uuid}/offers/{one_seat.pk}/", {"answer": "take"})
    assert waiting.bookings.get().state == Booking.State.ACCEPTED


def test_the_roster_filters_decides_in_bulk_and_exports(client_for, charter, opportunity, shift, coordinator):
    applications = [
        services.apply(opportunity, by=make_volunteer(charter, name).user, shifts=[shift], answers=["y"])[0]
        for name in ("Amina Rahman", "Omar Malik", "Hind Al Kuwari")
    ]
    services.decline(applications[2], by=coordinator)
    client = client_for(coordinator)
    url = f"/en/volunteering/opportunities/{opportunity.uuid}/roster/"
    page = client.get(url, {"state": "submitted"}).content.decode()
    assert "Amina Rahman" in page and "Omar Malik" in page and "Hind Al Kuwari" not in page
    client.post(url, {"decision": "accept", "applications": [str(a.uuid) for a in applications[:2]]})
    assert {a.state for a in Application.objects.filter(pk__in=[a.pk for a in applications[:2]])} == {State.ACCEPTED}
    export = client.get(url, {"export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    assert "Amina Rahman" in text and "Hind Al Kuwari" in text
    assert client.get(url, {"export": "xlsx"}).content[:2] == b"PK"
    assert "Beach clean-up" in client.get("/en/volunteering/rosters/").content.decode()


def test_the_coordinator_sees_the_profile_of_a_volunteer_who_applied(client_for, application, coordinator):
    client = client_for(coordinator)
    assert not application.profile.discoverable
    assert client.get(f"/en/volunteering/volunteers/{application.profile.uuid}/").status_code == 200
    page = client.get(f"/en/volunteering/applications/{application.uuid}/").content.decode()
    assert "Can you swim?" in page and "Shortlist" in page
    client.post(f"/en/volunteering/applications/{application.uuid}/decide/", {"decision": "shortlist"})
    application.refresh_from_db()
    assert application.state == State.SHORTLISTED


def test_pages_refuse_whoever_is_not_the_volunteer_or_the_coordinator(client, application, other_coordinator, charter):
    other_volunteer = make_volunteer(charter, "Someone else").user
    mine = f"/en/volunteering/applications/{application.uuid}/"
    roster = f"/en/volunteering/opportunities/{application.opportunity.uuid}/roster/"
    profile = f"/en/volunteering/volunteers/{application.profile.uuid}/"
    shift = application.bookings.get().shift_id
    for user in (None, other_volunteer, other_coordinator):
        assert_refused(
            client,
            user,
            [
                mine,
                roster,
                f"{roster}?export=csv",
                profile,
                ("POST", f"{mine}withdraw/"),
                ("POST", f"{mine}decide/"),
                ("POST", f"{mine}rate/"),
                ("POST", f"{mine}offers/{shift}/"),
                f"{mine}confirm/",
            ],
        )
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_the_volunteer_cannot_decide_on_their_own_application(client_for, application):
    response = client_for(application.profile.user).post(
        f"/en/volunteering/applications/{application.uuid}/decide/", {"decision": "accept"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_needs_my_action_lists_applications_to_decide_and_places_to_confirm(
    application, coordinator, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from tansiq.core import actions

    titles = [str(item.title) for item in actions.items_for(coordinator)]
    assert "Applications to decide: Beach clean-up" in titles
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(application, by=coordinator)
    titles = [str(item.title) for item in actions.items_for(application.profile.user)]
    assert "Confirm your place: Beach clean-up" in titles
    assert not any("Beach" in str(item.title) for item in actions.items_for(coordinator))
    stranger = UserFactory()
    with django_assert_num_queries(0):  # the people with something to do are in the cache
        assert application_actions.items_for(stranger) == []


# --- API ------------------------------------------------------------------------------------------------

API = "/api/v1/volunteers"


def test_a_volunteer_applies_lists_and_withdraws_through_the_api(client_for, charter, opportunity, shift):
    profile = make_volunteer(charter)
    client = client_for(profile.user)
    body = {"opportunity": str(opportunity.uuid), "shifts": [shift.pk], "answers": ["Yes"]}
    response = client.post(f"{API}/applications", body, content_type="application/json")
    assert response.status_code == 201, response.content
    uuid = response.json()["uuid"]
    assert client.post(f"{API}/applications", body, content_type="application/json").status_code == 200
    listed = client.get(f"{API}/applications").json()
    assert listed["count"] == 1 and listed["items"][0]["bookings"][0]["state"] == "requested"
    response = client.post(f"{API}/applications/{uuid}/withdraw")
    assert response.json()["state"] == "withdrawn"


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"answers": []}, 422, "answer_0"),
        ({"shifts": [999999]}, 422, "shifts"),
        ({"opportunity": "not-a-uuid"}, 404, None),
    ],
)
def test_bad_applications_are_refused_with_the_forms_messages(
    client_for, charter, opportunity, shift, changes, status, field
):
    client = client_for(make_volunteer(charter).user)
    body = {"opportunity": str(opportunity.uuid), "shifts": [shift.pk], "answers": ["Yes"], **changes}
    response = client.post(f"{API}/applications", body, content_type="application/json")
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()["error"]["fields"]
    assert not Application.objects.exists()


def test_a_gate_refusal_in_the_api_gives_the_reason(client_for, opportunity, shift, member):
    body = {"opportunity": str(opportunity.uuid), "shifts": [shift.pk], "answers": ["Yes"]}
    response = client_for(member).post(f"{API}/applications", body, content_type="application/json")
    # In the caller's language (Arabic): "create your volunteer profile before applying".
    assert response.status_code == 400 and "ملفك التطوعي" in response.json()["error"]["message"]


def test_the_coordinator_reads_the_roster_and_decides_through_the_api(client_for, application, coordinator):
    client = client_for(coordinator)
    roster = client.get(f"{API}/opportunities/{application.opportunity.uuid}/roster", {"state": "submitted"}).json()
    assert roster["items"][0]["volunteer"] == "Nur Aisyah"
    response = client.post(
        f"{API}/opportunities/{application.opportunity.uuid}/roster/decisions",
        {"decision": "accept", "applications": [str(application.uuid)]},
        content_type="application/json",
    )
    assert response.json() == {"done": [str(application.uuid)], "refused": {}}
    bad = client.post(
        f"{API}/opportunities/{application.opportunity.uuid}/roster/decisions",
        {"decision": "promote", "applications": [str(application.uuid)]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "decision" in bad.json()["error"]["fields"]
    response = client_for(application.profile.user).post(
        f"{API}/applications/{application.uuid}/confirm", {"agreement": True}, content_type="application/json"
    )
    assert response.json()["state"] == "confirmed"


def test_the_api_refuses_others_applications_and_rosters(client, application, other_coordinator, charter):
    other_volunteer = make_volunteer(charter, "Someone else").user
    opportunity = application.opportunity.uuid
    shift = application.bookings.get().shift_id
    for user in (other_volunteer, other_coordinator):
        assert_refused(
            client,
            user,
            [
                f"{API}/applications/{application.uuid}",
                ("POST", f"{API}/applications/{application.uuid}/withdraw", {}),
                ("POST", f"{API}/applications/{application.uuid}/confirm", {"agreement": True}),
                ("POST", f"{API}/applications/{application.uuid}/offers/{shift}", {"take": True}),
                f"{API}/opportunities/{opportunity}/roster",
                (
                    "POST",
                    f"{API}/opportunities/{opportunity}/roster/decisions",
                    {"decision": "accept", "applications": [str(application.uuid)]},
                ),
            ],
        )
    assert client.get(f"{API}/applications").json()["count"] == 0  # the last caller's own: none
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_the_roster_and_my_applications_stay_within_the_query_budget(
    client_for, charter, opportunity, coordinator, django_assert_max_num_queries
):
    shifts = [ShiftFactory(opportunity=opportunity, starts_at=timezone.now() + dt.timedelta(days=d)) for d in (3, 4)]
    applications = [
        services.apply(opportunity, by=make_volunteer(charter, f"Volunteer {n}").user, shifts=shifts, answers=["y"])[0]
        for n in range(12)
    ]
    client = client_for(coordinator)
    client.get("/en/")  # the deployment's cached entries, warm in a running site
    with django_assert_max_num_queries(10):
        assert client.get(f"/en/volunteering/opportunities/{opportunity.uuid}/roster/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/en/volunteering/rosters/").status_code == 200
    client = client_for(applications[0].profile.user)
    with django_assert_max_num_queries(10):
        assert client.get("/en/volunteering/applications/").status_code == 200


def test_a_draft_opportunity_cannot_be_applied_to_and_visitors_sign_in_first(client, charter, opportunity):
    url = f"/en/volunteering/opportunities/{opportunity.uuid}/apply/"
    assert_refused(client, None, [url])
    opportunity.state = opportunity.State.DRAFT
    opportunity.save()
    assert_refused(client, make_volunteer(charter).user, [url, ("POST", url)])
