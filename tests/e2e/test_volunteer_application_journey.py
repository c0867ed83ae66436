"""A volunteer finds an opportunity through the search page and applies for a shift, the
organisation's coordinator accepts from the roster, the volunteer confirms the place with the
organisation's agreement, is checked in and out with the code their own page shows, the coordinator
approves the hours and issues a certificate, and the volunteer downloads it and verifies it — in
Arabic and in English, on a phone-width screen for the volunteer."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.e2e.helpers import document_language, english_on_page, link_in_mail
from tests.e2e.test_admission_journey import sign_in_as
from tests.e2e.test_journey import submit
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory

DIRECTION = {"ar": "rtl", "en": "ltr"}


@pytest.fixture
def opening(transactional_db):
    from tansiq.volunteers.models import OrganisationSettings
    from tests.volunteers.factories import AgreementFactory, OpportunityFactory, ShiftFactory

    opportunity = OpportunityFactory(
        title="Iftar kitchen", title_en="Iftar kitchen", title_ar="مطبخ الإفطار", questions=["هل تجيد الطبخ؟"]
    )
    now = timezone.now()  # a shift about to start: its check-in is open
    ShiftFactory(
        opportunity=opportunity,
        capacity=2,
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
    )
    OrganisationSettings.objects.create(organisation=opportunity.organisation, agreement_text="Arrive on time.")
    for kind in ("privacy", "charter"):
        AgreementFactory(kind=kind, text="يعمل المتطوعون بحسن نية.", published_at=timezone.now() - dt.timedelta(days=1))
    coordinator = UserFactory(display_name="Coordinator")
    MembershipFactory(user=coordinator, organisation=opportunity.organisation, role="owner")
    return opportunity, coordinator


@pytest.mark.parametrize("language", ["ar", "en"])
def test_apply_be_accepted_and_confirm(page, axe, live_server, opening, language):
    opportunity, coordinator = opening
    page.set_viewport_size({"width": 390, "height": 844})
    volunteer = sign_up(page, language)
    # A volunteer profile, then the privacy notice and the charter.
    page.goto(f"/{language}/volunteering/")
    check(page, axe, language)
    with page.expect_navigation():
        page.locator(f"main a[href='/{language}/volunteering/profile/']").first.click()
    check(page, axe, language)
    page.locator("input[name=legal_name]").fill("نور عائشة")
    page.locator("input[name=birth_date]").fill("1998-04-12")
    page.locator("select[name=nationality]").select_option("MY")
    page.locator("select[name=country]").select_option("MY")
    page.locator("input[name=city]").fill("كوالالمبور")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()
    assert not page.url.endswith("/volunteering/profile/"), page.locator(
        "main .invalid-feedback, main .alert"
    ).all_inner_texts()
    page.goto(f"/{language}/volunteering/agreements/")
    check(page, axe, language)
    for _ in range(2):
        with page.expect_navigation():
            page.locator("main form[action*='/accept/'] button[type=submit]").first.click()
    from tansiq.volunteers.models import Acceptance

    assert Acceptance.objects.filter(user=volunteer).count() == 2
    page.goto(f"/{language}/volunteering/opportunities/")
    page.locator("main input[name=q]").first.fill("مطبخ" if language == "ar" else "kitchen")
    page.locator("main input[name=q]").first.press("Enter")
    page.locator(f"#results a[href='/{language}/volunteering/opportunities/{opportunity.uuid}/']").first.wait_for()
    with page.expect_navigation():
        page.locator(f"main a[href='/{language}/volunteering/opportunities/{opportunity.uuid}/']").first.click()
    check(page, axe, language)
    with page.expect_navigation():
        page.locator(f"main a[href='/{language}/volunteering/opportunities/{opportunity.uuid}/apply/']").first.click()
    assert document_language(page) == (language, DIRECTION[language])
    check(page, axe, language)
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

    # The volunteer's own page shows the shift's check-in code; the coordinator types it.
    page.goto(f"/{language}/volunteering/dashboard/")
    check(page, axe, language)
    with page.expect_navigation():
        page.locator(f"main a[href='/{language}/volunteering/my-shifts/']").first.click()
    check(page, axe, language)
    code = page.locator("main .card code").first.inner_text().strip()
    assert code

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(page, live_server, coordinator)
    slug = opportunity.organisation.slug
    page.goto(f"/{language}/volunteering/organisations/{slug}/shifts/")
    with page.expect_navigation():
        page.locator("main a[href*='/check-in/']").first.click()
    check(page, axe, language)
    for direction in ("in", "out"):
        page.locator(f"input[name=direction][value={direction}]").check()
        page.locator("input[name=code]").fill(code)
        with page.expect_navigation():
            page.locator("main form:has(input[name=code]) button[type=submit]").click()
    from tansiq.volunteers.models import Booking, HoursEntry

    booking = Booking.objects.get()
    assert booking.checked_in_at and booking.checked_out_at

    page.goto(f"/{language}/volunteering/organisations/{slug}/hours/?state=pending")
    check(page, axe, language)
    page.locator("input[name=entries]").first.check()
    with page.expect_navigation():
        page.locator("button[form=approve-form]").click()
    assert HoursEntry.objects.get().state == HoursEntry.State.APPROVED
    with page.expect_navigation():
        page.locator("main a[href*='/issue/']").first.click()
    check(page, axe, language)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_as(page, live_server, volunteer)
    page.goto(f"/{language}/volunteering/dashboard/")
    check(page, axe, language)
    pdf = page.request.get(page.locator("main a[download]").first.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    with page.expect_navigation():
        page.locator("main a.btn-outline-secondary[href*='/certificates/']").first.click()
    check(page, axe, language)
    valid = "هذه الشهادة سارية." if language == "ar" else "This certificate is valid."
    assert valid in page.locator("#certificate").inner_text()


def sign_up(page, language: str):
    """A new person creates an account, confirms the address from the e-mail and signs in."""
    from tansiq.accounts.models import User

    email, password = f"nur.{language}@example.org", "correct-horse-battery-staple"
    page.context.clear_cookies()
    page.goto(f"/{language}/accounts/signup/")
    page.locator("input[name=display_name]").fill("Nur Aisyah")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(password)
    page.locator("input[name=password2]").fill(password)
    with page.expect_navigation():
        submit(page)
    page.goto(link_in_mail(email, "/accounts/confirm-email/"))
    with page.expect_navigation():
        submit(page)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        submit(page)
    return User.objects.get(email=email)


def check(page, axe, language: str) -> None:
    """The page passes axe and, in Arabic, holds no English words."""
    axe(page)
    if language == "ar":
        assert not english_on_page(page, "ar"), (page.url, english_on_page(page, "ar"))
