"""Matching wired to the database: recommendations for a volunteer, candidates for an opportunity,
the arrays forgotten on change, and the reasons rendered in the reader's language."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from tansiq.volunteers.models import Cause, Level, VolunteerLanguage, VolunteerSkill
from tansiq.volunteers.queries import matching as queries
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.volunteers.factories import (
    ApplicationFactory,
    OpportunityFactory,
    QualificationFactory,
    ShiftFactory,
    VolunteerProfileFactory,
)


def saturday_morning_in(days: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() != 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@pytest.fixture
def volunteer(db):
    profile = VolunteerProfileFactory(
        latitude=Decimal("3.140000"),
        longitude=Decimal("101.690000"),
        availability=["sat-morning"],
        travel_km=40,
        discoverable=True,
    )
    VolunteerLanguage.objects.create(profile=profile, language="ar", level=Level.GOOD)
    VolunteerLanguage.objects.create(profile=profile, language="ms", level=Level.FLUENT)
    VolunteerSkill.objects.create(profile=profile, name="First Aid", level=Level.FLUENT)
    profile.causes.add(Cause.objects.get(slug="education"))
    return profile


def opportunity_with_shift(**fields):
    opportunity = OpportunityFactory(**fields)
    ShiftFactory(opportunity=opportunity, starts_at=saturday_morning_in(3), capacity=3)
    return opportunity


def test_recommendations_rank_the_fitting_one_first_and_leave_out_gated_and_full_ones(volunteer):
    fitting = opportunity_with_shift(languages=["ar", "ms"], sector=Cause.objects.get(slug="education"))
    fitting.skills.create(name="first aid", level=Level.GOOD, required=True)
    opportunity_with_shift(languages=["en"])
    opportunity_with_shift(min_age=60)  # the volunteer is younger
    opportunity_with_shift().qualifications.add(QualificationFactory())
    far = opportunity_with_shift(latitude=Decimal("25.285400"), longitude=Decimal("51.531000"))
    full = OpportunityFactory()
    ShiftFactory(opportunity=full, capacity=1).bookings.create(
        application=ApplicationFactory(opportunity=full), state="accepted", code="x"
    )
    found = queries.recommendations_for(volunteer)
    ids = [opportunity.pk for opportunity, _match in found]
    assert ids[0] == fitting.pk
    assert far.pk not in ids and full.pk not in ids and len(ids) == 2
    reasons = dict((reason[0], reason[1:]) for reason in found[0][1].reasons)
    assert reasons["languages"] == (("ar", "ms"),)
    assert reasons["skills"] == (1, 1)
    assert reasons["free"] == ((("sat", "morning"),),)
    assert reasons["cause"] == ("education",)


def test_an_opportunity_applied_to_is_not_recommended_again(volunteer):
    opportunity = opportunity_with_shift()
    assert [o.pk for o, _m in queries.recommendations_for(volunteer)] == [opportunity.pk]
    ApplicationFactory(opportunity=opportunity, profile=volunteer)
    assert queries.recommendations_for(volunteer) == []


def test_candidates_are_the_discoverable_and_those_who_applied_only(volunteer):
    opportunity = opportunity_with_shift()
    hidden = VolunteerProfileFactory(latitude=Decimal("3.1"), longitude=Decimal("101.7"), discoverable=False)
    applicant = VolunteerProfileFactory(latitude=Decimal("3.1"), longitude=Decimal("101.7"), discoverable=False)
    ApplicationFactory(opportunity=opportunity, profile=applicant)
    found = {profile.pk: profile.applied for profile, _match in queries.candidates_for(opportunity)}
    assert found == {volunteer.pk: False, applicant.pk: True}
    assert hidden.pk not in found


def test_the_arrays_are_forgotten_when_an_opportunity_or_a_profile_changes(
    volunteer, django_capture_on_commit_callbacks
):
    assert queries.recommendations_for(volunteer) == []
    with django_capture_on_commit_callbacks(execute=True):
        opportunity = opportunity_with_shift()
    assert [o.pk for o, _m in queries.recommendations_for(volunteer)] == [opportunity.pk]
    newcomer = None
    before = {p.pk for p, _m in queries.candidates_for(opportunity)}
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = VolunteerProfileFactory(latitude=Decimal("3.1"), longitude=Decimal("101.7"), discoverable=True)
    after = {p.pk for p, _m in queries.candidates_for(opportunity)}
    assert newcomer.pk not in before and after == before | {newcomer.pk}


REASONS = (
    ("languages", ("ar", "ms")),
    ("skills", 2, 3),
    ("distance_km", 12),
    ("free", (("sat", "morning"),)),
    ("cause", "education"),
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "speaks Arabic and Malay · 2 of 3 skills · 12 km away · free Saturday morning · cares about Education"),
        ("ar", "يتحدث العربية والملايوية · ٢ من ٣ مهارات · على بعد ١٢ كم · متفرغ السبت صباحًا · مهتم بقضية التعليم"),
        (
            "ms",
            "bertutur Bahasa Arab dan Bahasa Melayu · 2 daripada 3 kemahiran · 12 km jauhnya · lapang Sabtu pagi"
            " · mengambil berat tentang Pendidikan",
        ),
    ],
)
def test_reasons_read_in_the_readers_language(db, settings, language, expected):
    settings.TANSIQ_ARABIC_DIGITS = "arabic-indic"
    request = RequestFactory().get("/")
    request.user = UserFactory.build()
    with translation.override(language):
        text = Template("{% load volunteering %}{% match_reasons reasons %}").render(
            Context({"reasons": REASONS, "request": request})
        )
    assert text == expected


def test_a_coordinator_sees_candidates_and_another_organisation_does_not(client, volunteer):
    opportunity = opportunity_with_shift()
    coordinator, outsider = UserFactory(), UserFactory()
    MembershipFactory(user=coordinator, organisation=opportunity.organisation, role="editor")
    MembershipFactory(user=outsider, organisation=OrganisationFactory(), role="owner")
    url = f"/en/volunteering/opportunities/{opportunity.uuid}/candidates/"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert volunteer.display_name in page and "speaks" in page


def test_the_recommended_page_and_its_htmx_partial(client, volunteer):
    opportunity = opportunity_with_shift(title_en="Library reading hour")
    client.force_login(volunteer.user)
    page = client.get("/en/volunteering/opportunities/recommended/").content.decode()
    assert "Library reading hour" in page and "free Saturday morning" in page
    partial = client.get("/en/volunteering/opportunities/recommended/", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and str(opportunity.uuid) in partial.content.decode()
    client.force_login(UserFactory())
    assert "Create your volunteer profile" in client.get("/en/volunteering/opportunities/recommended/").content.decode()


def test_the_volunteers_dashboard_loads_the_recommendations_it_links_to(client, volunteer):
    client.force_login(volunteer.user)
    page = client.get("/en/volunteering/dashboard/")
    assert page.status_code == 200
    assert 'hx-get="/en/volunteering/opportunities/recommended/"' in page.content.decode()


def test_recommendations_and_candidates_keep_to_the_query_budget(client, volunteer, django_assert_max_num_queries):
    for _index in range(20):
        opportunity = opportunity_with_shift()
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=opportunity.organisation, role="editor")
    client.force_login(volunteer.user)
    client.get("/en/volunteering/opportunities/recommended/")
    with django_assert_max_num_queries(10):
        assert client.get("/en/volunteering/opportunities/recommended/").status_code == 200
    client.force_login(coordinator)
    url = f"/en/volunteering/opportunities/{opportunity.uuid}/candidates/"
    client.get(url)
    with django_assert_max_num_queries(10):
        assert volunteer.display_name in client.get(url).content.decode()
