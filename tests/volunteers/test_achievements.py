"""A network's yearly achievements: aggregates of its members only, anonymous, as a page, CSV and PDF."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tansiq.core.charts import bar_chart
from tansiq.volunteers.models import Cause, Enrolment, HoursEntry
from tansiq.volunteers.queries import achievements as queries
from tansiq.volunteers.services import profiles as profile_services
from tests.network.factories import NetworkFactory, NetworkMembershipFactory, OrganisationFactory
from tests.volunteers.factories import (
    HoursEntryFactory,
    OpportunityFactory,
    ShiftFactory,
    TrainingFactory,
    VolunteerProfileFactory,
)

YEAR = 2025


@pytest.fixture
def network(db):
    return NetworkFactory(slug="tam")


@pytest.fixture
def member(network):
    organisation = OrganisationFactory(country="QA")
    NetworkMembershipFactory(network=network, organisation=organisation)
    return organisation


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


@pytest.fixture
def year_of_work(member):
    """Two volunteers' approved hours in 2025 (one erases their data), pending and declined hours,
    another year's hours, a non-member's hours, opportunities in two sectors and a completion."""
    education, health = Cause.objects.get(slug="education"), Cause.objects.get(slug="health")
    first = OpportunityFactory(organisation=member, sector=education, country="QA")
    second = OpportunityFactory(organisation=member, sector=health, country="MY")
    ShiftFactory(opportunity=first, starts_at=at(dt.date(YEAR, 3, 1)))
    ShiftFactory(opportunity=second, starts_at=at(dt.date(YEAR, 11, 1)))
    ShiftFactory(opportunity=OpportunityFactory(organisation=member), starts_at=at(dt.date(YEAR + 1, 2, 1)))
    amina, bilal = VolunteerProfileFactory(), VolunteerProfileFactory()
    for profile, hours in ((amina, "4"), (amina, "3.5"), (bilal, "6")):
        HoursEntryFactory(
            profile=profile,
            opportunity=first,
            date=dt.date(YEAR, 3, 1),
            hours=Decimal(hours),
            state=HoursEntry.State.APPROVED,
        )
    HoursEntryFactory(profile=amina, opportunity=first, date=dt.date(YEAR, 4, 1), hours=Decimal(9))  # pending
    HoursEntryFactory(profile=amina, opportunity=first, date=dt.date(YEAR, 4, 2), state=HoursEntry.State.DECLINED)
    HoursEntryFactory(profile=amina, opportunity=first, date=dt.date(YEAR - 1, 5, 1), state=HoursEntry.State.APPROVED)
    HoursEntryFactory(date=dt.date(YEAR, 5, 1), state=HoursEntry.State.APPROVED)  # not a member
    enrolment = Enrolment.objects.create(
        training=TrainingFactory(organisation=member), profile=amina, state=Enrolment.State.COMPLETED
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_on=dt.date(YEAR, 6, 1))
    profile_services.erase_volunteer_data(bilal.user, by=bilal.user)
    return member


def test_the_figures_count_the_members_approved_work_of_the_year(network, year_of_work):
    figures = queries.achievements(network, YEAR, today=dt.date(YEAR + 1, 1, 10))
    assert figures.hours == Decimal("13.5")  # the erased volunteer's six hours still count
    assert figures.volunteers == 1  # …but they are no longer a known person
    assert figures.organisations == 1
    assert figures.opportunities == 2
    assert dict(figures.by_sector) == {"Education": 1, "Health": 1}
    assert dict(figures.by_country) == {"Qatar": 1, "Malaysia": 1}
    assert figures.trainings_completed == 1
    assert not figures.to_date and figures.end == dt.date(YEAR, 12, 31)


def test_the_current_year_runs_to_today(network, year_of_work):
    figures = queries.achievements(network, YEAR, today=dt.date(YEAR, 3, 31))
    assert figures.to_date and figures.end == dt.date(YEAR, 3, 31)
    assert figures.trainings_completed == 0 and figures.opportunities == 1


def test_the_page_is_public_and_names_nobody(client, network, year_of_work):
    page = client.get(f"/en/volunteering/achievements/tam/?year={YEAR}").content.decode()
    assert "Volunteering achievements" in page and "<svg" in page and "Education" in page
    for profile in VolunteerProfileFactory._meta.model.objects.all():
        assert profile.legal_name not in page and profile.user.email not in page
    assert client.get("/en/volunteering/achievements/nowhere/").status_code == 404


def test_a_malformed_year_falls_back_to_the_last_full_year(client, network):
    response = client.get("/en/volunteering/achievements/tam/?year=abc")
    assert response.status_code == 200
    assert str(timezone.localdate().year - 1) in response.content.decode()


def test_the_csv_carries_the_aggregates(client, network, year_of_work):
    response = client.get(f"/en/volunteering/achievements/tam/?year={YEAR}&export=csv")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Hours approved,13.5" in text and "Education,1" in text


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
def test_the_pdf_is_made_in_each_language(client, network, year_of_work, language):
    response = client.get(f"/{language}/volunteering/achievements/tam/?year={YEAR}&format=pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"-{language}.pdf" in response["Content-Disposition"]


def test_the_chart_escapes_labels_and_mirrors_in_arabic():
    chart = bar_chart([("<b>", 2.0, "2"), ("صحة", 1.0, "١")], title="By sector", rtl=True)
    assert "&lt;b&gt;" in chart and "<b>" not in chart
    assert chart.count("<rect") == 2 and 'direction="rtl"' in chart
    assert bar_chart([], title="Nothing") == ""


def test_the_home_page_shows_last_years_hours(client, network):
    page = client.get("/en/").content.decode()
    assert "Volunteer hours last year" in page and "/en/volunteering/achievements/tam/" in page
