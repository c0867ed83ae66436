"""A volunteer applies for a shift, the organisation's coordinator accepts from the roster, and the
volunteer confirms the place with the organisation's agreement — in Arabic and in English, on a
phone-width screen for the volunteer."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.e2e.helpers import document_language
from tests.e2e.test_admission_journey import sign_in_as
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory

DIRECTION = {"ar": "rtl", "en": "ltr"}


@pytest.fixture
def opening(transactional_db):
    from tansiq.volunteers.models import Acceptance, OrganisationSettings
    from tests.volunteers.factories import AgreementFactory, OpportunityFactory, ShiftFactory, VolunteerProfileFactory

    opportunity = OpportunityFactory(
        title="Iftar kitchen", title_en="Iftar kitchen", title_ar="مطبخ الإفطار", questions=["Can you cook?"]
    )
    ShiftFactory(opportunity=opportunity, capacity=2, starts_at=timezone.now() + dt.timedelta(days=5))
    OrganisationSettings.objects.create(organisation=opportunity.organisation, agreement_text="Arrive on time.")
    charter = AgreementFactory(published_at=timezone.now() - dt.timedelta(days=1))
    volunteer = VolunteerProfileFactory(legal_name="Nur Aisyah", name_latin="Nur Aisyah")
    Acceptance.objects.create(user=volunteer.user, agreement=charter)
    coordinator = UserFactory(display_name="Coordinator")
    MembershipFactory(user=coordinator, organisation=opportunity.organisation, role="owner")
    return opportunity, volunteer.user, coordinator


@pytest.mark.parametrize("language", ["ar", "en"])
def test_apply_be_accepted_and_confirm(page, axe, live_server, opening, language):
    opportunity, volunteer, coordinator = opening
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_as(page, live_server, volunteer)
    page.goto(f"/{language}/volunteering/opportunities/{opportunity.uuid}/apply/")
    assert document_language(page) == (language, DIRECTION[language])
    axe(page)
    page.locator("input[name=shifts]").first.check()
    page.locator("textarea[name=answer_0]").fill("نعم" if language == "ar" else "Yes")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    assert page.url.endswith(f"/{language}/volunteering/applications/")
    axe(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(page, live_server, coordinator)
    page.goto(f"/{language}/volunteering/opportunities/{opportunity.uuid}/roster/")
    axe(page)
    page.locator("input[name=applications]").first.check()
    page.locator("select[name=decision]").select_option("accept")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    assert page.locator("tbody tr").count() == 1

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_as(page, live_server, volunteer)
    page.goto(f"/{language}/volunteering/applications/")
    with page.expect_navigation():
        page.locator("a[href*='/confirm/']").click()
    assert "Arrive on time." in page.content()
    axe(page)
    page.locator("input[name=agreement]").check()
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()

    from tansiq.volunteers.models import Application

    assert Application.objects.get().state == Application.State.CONFIRMED
