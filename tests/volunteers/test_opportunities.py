"""Opportunities and shifts: the workflow (vetting, full and back, cancelling with notices), the
weekly series, and who may do what."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import AuditEntry, Notification
from tansiq.volunteers.models import Application, Booking, Opportunity, VolunteeringPolicy
from tansiq.volunteers.services import opportunities as services
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, NetworkFactory, NetworkMembershipFactory, OrganisationFactory
from tests.volunteers.factories import (
    ApplicationFactory,
    BookingFactory,
    OpportunityFactory,
    ShiftFactory,
)

State = Opportunity.State

VALUES = {
    "title_ar": "توزيع سلال رمضان",
    "title_en": "Ramadan food baskets",
    "title_ms": "Agihan bakul makanan Ramadan",
    "description_en": "Pack and hand out food baskets.",
    "country": "QA",
    "city": "Doha",
    "languages": ["ar", "en"],
}


@pytest.fixture
def organisation(db):
    network = NetworkFactory(slug="tam")
    organisation = OrganisationFactory(slug="helpers", name_en="Helpers Society")
    NetworkMembershipFactory(network=network, organisation=organisation)
    return organisation


@pytest.fixture
def editor(organisation):
    user = UserFactory(display_name="Editor")
    MembershipFactory(user=user, organisation=organisation, role="editor")
    return user


@pytest.fixture
def outsider(db):
    user = UserFactory(display_name="Other owner")
    MembershipFactory(user=user, organisation=OrganisationFactory(slug="others"), role="owner")
    return user


def draft_with_a_shift(organisation, editor, **extra):
    opportunity = services.create_opportunity(organisation, by=editor, values={**VALUES, **extra})
    services.add_shifts(
        opportunity,
        by=editor,
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=4),
        capacity=2,
    )
    return opportunity


def test_an_editor_creates_a_draft_in_three_languages_and_publishes_it(organisation, editor):
    opportunity = draft_with_a_shift(organisation, editor)
    assert opportunity.state == State.DRAFT
    titles = (opportunity.title_ar, opportunity.title_en, opportunity.title_ms)
    assert titles == (VALUES["title_ar"], VALUES["title_en"], VALUES["title_ms"])
    # Saved and read again, in each reader's language.
    stored = Opportunity.objects.get(pk=opportunity.pk)
    assert (stored.title_ar, stored.title_en, stored.title_ms) == titles
    for language, title in zip(("ar", "en", "ms"), titles, strict=True):
        with translation.override(language):
            assert stored.title == title
    english_only = services.create_opportunity(
        organisation, by=editor, values={**VALUES, "title_ar": "", "title_ms": "", "title_en": "Only English"}
    )
    with translation.override("ar"):
        assert Opportunity.objects.get(pk=english_only.pk).title == "Only English"
    services.move_opportunity(opportunity, by=editor, to=State.PUBLISHED)
    opportunity.refresh_from_db()
    assert opportunity.state == State.PUBLISHED and opportunity.published_at is not None
    assert AuditEntry.objects.filter(object_id=str(opportunity.pk), to_state="published").exists()


def test_publishing_needs_a_shift_still_to_come(organisation, editor):
    opportunity = services.create_opportunity(organisation, by=editor, values=VALUES)
    with pytest.raises(TansiqError, match="shift"):
        services.move_opportunity(opportunity, by=editor, to=State.PUBLISHED)


def test_a_title_in_some_language_is_required(organisation, editor):
    with pytest.raises(TansiqError) as refused:
        services.create_opportunity(
            organisation, by=editor, values={**VALUES, "title_ar": "", "title_en": "", "title_ms": ""}
        )
    assert refused.value.field == "title_ar"


def test_where_the_network_vets_a_draft_goes_to_review_and_the_secretariat_decides(organisation, editor, secretariat):
    VolunteeringPolicy.objects.create(network=organisation.network_memberships.get().network, vets_opportunities=True)
    opportunity = draft_with_a_shift(organisation, editor)
    with pytest.raises(Forbidden):
        services.move_opportunity(opportunity, by=editor, to=State.PUBLISHED)
    services.move_opportunity(opportunity, by=editor, to=State.IN_REVIEW)
    assert Notification.objects.filter(user=secretariat, kind="volunteers.opportunity_review").exists()
    with pytest.raises(Forbidden):
        services.move_opportunity(opportunity, by=editor, to=State.PUBLISHED)
    with pytest.raises(TansiqError, match="reason"):
        services.move_opportunity(opportunity, by=secretariat, to=State.DRAFT)
    services.move_opportunity(opportunity, by=secretariat, to=State.DRAFT, reason="Add the meeting point.")
    assert Notification.objects.filter(user=editor, kind="volunteers.opportunity_review").count() == 1
    services.move_opportunity(opportunity, by=editor, to=State.IN_REVIEW)
    services.move_opportunity(opportunity, by=secretariat, to=State.PUBLISHED)
    assert Opportunity.objects.get(pk=opportunity.pk).state == State.PUBLISHED


def test_it_becomes_full_when_every_future_place_is_taken_and_opens_again_when_one_frees(
    organisation, editor, django_capture_on_commit_callbacks
):
    opportunity = draft_with_a_shift(organisation, editor)
    services.move_opportunity(opportunity, by=editor, to=State.PUBLISHED)
    shift = opportunity.shifts.get()
    with django_capture_on_commit_callbacks(execute=True):
        first = BookingFactory(application__opportunity=opportunity, shift=shift, state=Booking.State.ACCEPTED)
    assert Opportunity.objects.get(pk=opportunity.pk).state == State.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        BookingFactory(application__opportunity=opportunity, shift=shift, state=Booking.State.OFFERED)
    assert Opportunity.objects.get(pk=opportunity.pk).state == State.FULL
    with django_capture_on_commit_callbacks(execute=True):
        first.state = Booking.State.WITHDRAWN
        first.save()
    assert Opportunity.objects.get(pk=opportunity.pk).state == State.PUBLISHED
    # A past shift that is full does not make it full; nor does a shift added later stay unseen.
    with django_capture_on_commit_callbacks(execute=True):
        first.state = Booking.State.ACCEPTED
        first.save()
    assert Opportunity.objects.get(pk=opportunity.pk).state == State.FULL
    services.add_shifts(
        opportunity,
        by=editor,
        starts_at=timezone.now() + dt.timedelta(days=10),
        ends_at=timezone.now() + dt.timedelta(days=10, hours=2),
        capacity=1,
    )
    assert Opportunity.objects.get(pk=opportunity.pk).state == State.PUBLISHED


def test_cancelling_cancels_applications_and_places_and_tells_each_volunteer(organisation, editor):
    opportunity = draft_with_a_shift(organisation, editor)
    services.move_opportunity(opportunity, by=editor, to=State.PUBLISHED)
    shift = opportunity.shifts.get()
    accepted = BookingFactory(application__opportunity=opportunity, shift=shift, state=Booking.State.ACCEPTED)
    withdrawn = ApplicationFactory(opportunity=opportunity, state=Application.State.WITHDRAWN)
    with pytest.raises(TansiqError, match="reason"):
        services.cancel_opportunity(opportunity, by=editor, reason="  ")
    services.cancel_opportunity(opportunity, by=editor, reason="The venue is closed for repairs.")
    opportunity.refresh_from_db()
    assert opportunity.state == State.CANCELLED and opportunity.cancel_reason == "The venue is closed for repairs."
    accepted.refresh_from_db()
    accepted.application.refresh_from_db()
    assert accepted.state == Booking.State.CANCELLED
    assert accepted.application.state == Application.State.CANCELLED
    withdrawn.refresh_from_db()
    assert withdrawn.state == Application.State.WITHDRAWN
    notices = Notification.objects.filter(kind="volunteers.opportunities")
    assert [notice.user for notice in notices] == [accepted.application.profile.user]
    assert "The venue is closed for repairs." in notices.get().body
    with pytest.raises(Conflict):
        services.cancel_opportunity(opportunity, by=editor, reason="Again")


def test_a_completed_opportunity_cannot_be_cancelled(organisation, editor):
    opportunity = draft_with_a_shift(organisation, editor)
    services.move_opportunity(opportunity, by=editor, to=State.PUBLISHED)
    services.move_opportunity(opportunity, by=editor, to=State.COMPLETED)
    with pytest.raises(Conflict):
        services.cancel_opportunity(opportunity, by=editor, reason="Too late")
    services.move_opportunity(opportunity, by=editor, to=State.ARCHIVED)


def test_a_weekly_series_runs_to_its_end_date(organisation, editor):
    opportunity = services.create_opportunity(organisation, by=editor, values=VALUES)
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    shifts = services.add_shifts(
        opportunity,
        by=editor,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        capacity=4,
        weekly_until=timezone.localtime(start).date() + dt.timedelta(weeks=3),
    )
    assert [shift.starts_at for shift in shifts] == [start + dt.timedelta(weeks=week) for week in range(4)]
    assert len({shift.checkin_token for shift in shifts}) == 4
    with pytest.raises(TansiqError) as refused:
        services.add_shifts(opportunity, by=editor, starts_at=start, ends_at=start, capacity=1)
    assert refused.value.field == "ends_at"
    with pytest.raises(TansiqError) as refused:
        services.add_shifts(
            opportunity,
            by=editor,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            capacity=1,
            weekly_until=timezone.localtime(start).date() + dt.timedelta(weeks=300),
        )
    assert refused.value.field == "weekly_until"


def test_a_shift_keeps_at_least_its_taken_places_and_cancelling_it_tells_its_volunteers(organisation, editor):
    opportunity = draft_with_a_shift(organisation, editor)
    shift = opportunity.shifts.get()
    BookingFactory.create_batch(2, application__opportunity=opportunity, shift=shift, state=Booking.State.ACCEPTED)
    with pytest.raises(TansiqError, match="2"):
        services.change_shift(shift, by=editor, capacity=1, place="")
    services.cancel_shift(shift, by=editor, reason="Heat warning")
    assert not Booking.objects.exclude(state=Booking.State.CANCELLED).exists()
    assert Notification.objects.filter(kind="volunteers.opportunities").count() == 2


def test_another_organisation_cannot_create_change_or_move_ours(organisation, editor, outsider):
    opportunity = draft_with_a_shift(organisation, editor)
    with pytest.raises(Forbidden):
        services.create_opportunity(organisation, by=outsider, values=VALUES)
    with pytest.raises(Forbidden):
        services.update_opportunity(opportunity, by=outsider, values=VALUES)
    with pytest.raises(Forbidden):
        services.move_opportunity(opportunity, by=outsider, to=State.PUBLISHED)
    with pytest.raises(Forbidden):
        services.cancel_opportunity(opportunity, by=outsider, reason="No")


# --- Pages -------------------------------------------------------------------------------------------


def test_the_public_page_shows_title_in_the_readers_language_shifts_and_free_places(client, organisation):
    opportunity = OpportunityFactory(
        organisation=organisation, title_ar="توزيع السلال", title_en="Basket delivery", title_ms="Penghantaran bakul"
    )
    ShiftFactory(opportunity=opportunity, capacity=3)
    page = client.get(f"/ar/volunteering/opportunities/{opportunity.uuid}/").content.decode()
    assert "توزيع السلال" in page and "Basket delivery" not in page
    assert "أماكن شاغرة" in page  # the shift's free places
    page = client.get(f"/ms/volunteering/opportunities/{opportunity.uuid}/").content.decode()
    assert "Penghantaran bakul" in page


def test_a_big_event_lists_its_shifts_ten_to_a_page(client, organisation):
    opportunity = OpportunityFactory(organisation=organisation)
    start = timezone.now() + dt.timedelta(days=3)
    for hour in range(25):
        ShiftFactory(opportunity=opportunity, starts_at=start + dt.timedelta(hours=hour * 5))
    url = f"/en/volunteering/opportunities/{opportunity.uuid}/"
    first = client.get(url).content.decode()
    assert first.count("places free") == 10 and 'rel="next"' in first
    last = client.get(url + "?page=3").content.decode()
    assert last.count("places free") == 5


def test_a_draft_is_hidden_from_visitors_and_other_organisations(client, organisation, editor, outsider):
    opportunity = draft_with_a_shift(organisation, editor)
    base = f"/en/volunteering/opportunities/{opportunity.uuid}"
    shift = opportunity.shifts.get()
    pages = [
        f"{base}/",
        f"{base}/edit/",
        f"{base}/shifts/",
        f"{base}/candidates/",
        ("post", f"{base}/move/"),
        ("post", f"{base}/shifts/{shift.pk}/change/"),
        ("post", f"{base}/shifts/{shift.pk}/cancel/"),
        "/en/volunteering/organisations/helpers/opportunities/",
        "/en/volunteering/organisations/helpers/opportunities/new/",
    ]
    assert_refused(client, None, pages)
    assert_refused(client, outsider, pages)
    # Published, the page is public, but its keeping stays the organisation's.
    services.move_opportunity(opportunity, by=editor, to=State.PUBLISHED)
    assert_refused(client, outsider, pages[1:])
    assert client.get(f"{base}/").status_code == 200
    client.force_login(editor)
    assert client.get(f"{base}/").status_code == 200
    assert client.get("/en/volunteering/organisations/helpers/opportunities/").status_code == 200


def test_the_organisation_list_filters_by_state_and_exports(client, organisation, editor):
    OpportunityFactory(organisation=organisation, title_en="Open one")
    OpportunityFactory(organisation=organisation, title_en="Still a draft", state=State.DRAFT)
    client.force_login(editor)
    page = client.get("/en/volunteering/organisations/helpers/opportunities/?state=draft").content.decode()
    assert "Still a draft" in page and "Open one" not in page
    response = client.get("/en/volunteering/organisations/helpers/opportunities/?export=csv")
    assert response["Content-Type"].startswith("text/csv") and "Open one" in response.content.decode("utf-8-sig")


def test_an_editor_creates_one_through_the_form_then_adds_a_weekly_series(client, organisation, editor):
    client.force_login(editor)
    response = client.post(
        "/en/volunteering/organisations/helpers/opportunities/new/",
        {
            "title_en": "Beach clean-up",
            "description_en": "Collect litter on the beach.",
            "country": "MY",
            "city": "Port Dickson",
            "languages": ["ms", "en"],
            "questions_text": "Can you swim?\nDo you have gloves?",
            "skills-TOTAL_FORMS": "1",
            "skills-INITIAL_FORMS": "0",
            "skills-0-name": "First aid",
            "skills-0-level": "basic",
            "skills-0-required": "on",
        },
    )
    opportunity = Opportunity.objects.get(title_en="Beach clean-up")
    assert response.status_code == 302 and response["Location"].endswith(f"/{opportunity.uuid}/shifts/")
    assert opportunity.questions == ["Can you swim?", "Do you have gloves?"]
    assert list(opportunity.skills.values_list("name", "required")) == [("First aid", True)]
    start = timezone.localtime() + dt.timedelta(days=2)
    response = client.post(
        f"/en/volunteering/opportunities/{opportunity.uuid}/shifts/",
        {
            "starts_at": start.strftime("%Y-%m-%dT09:00"),
            "ends_at": start.strftime("%Y-%m-%dT12:00"),
            "capacity": "6",
            "weekly_until": (start + dt.timedelta(weeks=2)).date().isoformat(),
        },
    )
    assert response.status_code == 302 and opportunity.shifts.count() == 3
    response = client.post(
        f"/en/volunteering/opportunities/{opportunity.uuid}/move/", {"state": "published"}, follow=True
    )
    assert "The opportunity is now: Published." in response.content.decode()


def test_the_search_filters_and_paginates(client, organisation):
    OpportunityFactory(organisation=organisation, title_en="Tutoring refugees", remote=True, languages=["ar"])
    OpportunityFactory(organisation=organisation, title_en="Park planting", country="QA", languages=["en"])
    OpportunityFactory(organisation=organisation, title_en="Hidden draft", state=State.DRAFT)
    page = client.get("/en/volunteering/opportunities/").content.decode()
    assert "Tutoring refugees" in page and "Park planting" in page and "Hidden draft" not in page
    page = client.get("/en/volunteering/opportunities/?remote=yes").content.decode()
    assert "Tutoring refugees" in page and "Park planting" not in page
    page = client.get("/en/volunteering/opportunities/?language=en&q=park").content.decode()
    assert "Park planting" in page and "Tutoring" not in page
    page = client.get("/en/volunteering/opportunities/?country=ZZ").content.decode()
    assert "Tutoring refugees" in page  # an invalid filter is shown beside its field and ignored


def test_the_review_queue_is_the_secretariats(client, organisation, editor, secretariat):
    OpportunityFactory(organisation=organisation, title_en="Waiting for review", state=State.IN_REVIEW)
    assert_refused(client, editor, ["/en/volunteering/opportunities/review/"], allowed=(403,))
    client.force_login(secretariat)
    assert "Waiting for review" in client.get("/en/volunteering/opportunities/review/").content.decode()


def test_the_pages_keep_to_their_query_budget(client, organisation, editor, django_assert_max_num_queries):
    for index in range(30):
        opportunity = OpportunityFactory(organisation=organisation, title_en=f"Opportunity {index}")
        ShiftFactory(opportunity=opportunity)
    client.force_login(editor)
    pages = [
        "/en/volunteering/opportunities/",
        f"/en/volunteering/opportunities/{opportunity.uuid}/",
        f"/en/volunteering/opportunities/{opportunity.uuid}/shifts/",
        "/en/volunteering/organisations/helpers/opportunities/",
    ]
    for url in pages:
        client.get(url)  # the session and caches warmed
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_opportunities_to_review_wait_in_the_secretariats_actions(
    organisation, editor, secretariat, django_capture_on_commit_callbacks
):
    from tansiq.core import actions

    VolunteeringPolicy.objects.create(network=organisation.network_memberships.get().network, vets_opportunities=True)
    assert actions.items_for(secretariat) == []
    opportunity = draft_with_a_shift(organisation, editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_opportunity(opportunity, by=editor, to=State.IN_REVIEW)
    [item] = actions.items_for(secretariat)
    assert item.url.endswith(f"/{opportunity.uuid}/") and actions.items_for(editor) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.move_opportunity(opportunity, by=secretariat, to=State.PUBLISHED)
    assert actions.items_for(secretariat) == []
