"""A coordinator checks a volunteer in and out on a phone, in Arabic; the owner approves the hours
and issues a certificate; the volunteer finds it on their dashboard, in English, and verifies it."""

import datetime as dt

import pytest
from django.utils import timezone

from tansiq.core.models import Certificate
from tests.e2e.helpers import document_language
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.volunteers.factories import ApplicationFactory, BookingFactory, ShiftFactory, VolunteerProfileFactory

PASSWORD = "correct-horse-battery-staple"
PHONE = {"width": 390, "height": 844}
DECODE_THE_SHIFT_CODE = """async () => {
  const svg = document.querySelector(".qr-box svg");
  const image = new Image();
  image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg.outerHTML);
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 400;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, 400, 400);
  context.drawImage(image, 40, 40, 320, 320);
  const frame = context.getImageData(0, 0, 400, 400);
  const found = window.jsQR(frame.data, frame.width, frame.height);
  return found ? found.data : "";
}"""


@pytest.fixture
def work(transactional_db):
    organisation = OrganisationFactory(slug="ihsan", name_ar="جمعية الإحسان", name_en="Ihsan Society")
    owner = UserFactory(email="khalid@example.org", display_name="خالد المنصوري", language="ar")
    MembershipFactory(user=owner, organisation=organisation, role="owner")
    volunteer = VolunteerProfileFactory(
        user=UserFactory(email="amina@example.org", display_name="Amina Rahman", language="en"),
        legal_name="Amina Rahman",
        name_latin="Amina Rahman",
    )
    application = ApplicationFactory(
        profile=volunteer, opportunity__organisation=organisation, opportunity__title_ar="بنك الطعام", state="confirmed"
    )
    now = timezone.now()
    shift = ShiftFactory(
        opportunity=application.opportunity,
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
    )
    booking = BookingFactory(application=application, shift=shift, state="accepted")
    return {"owner": owner, "volunteer": volunteer, "booking": booking}


def sign_in(page, email: str, language: str) -> None:
    page.context.clear_cookies()
    page.goto(f"/{language}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_check_in_by_code_hours_approved_and_certificate_verified(page, axe, work):
    page.set_viewport_size(PHONE)
    sign_in(page, "khalid@example.org", "ar")
    page.goto("/ar/volunteering/")
    with page.expect_navigation():
        page.get_by_role("link", name="المناوبات وتسجيل الحضور").first.click()
    with page.expect_navigation():
        page.locator("a[href*='/check-in/']").first.click()
    assert document_language(page) == ("ar", "rtl") and fits_the_screen(page)
    assert page.locator("main svg").count() >= 1  # the shift's own QR code
    axe(page)
    # Chromium on Linux has no BarcodeDetector: the vendored decoder is what reads the camera here,
    # and it reads the shift's own code as drawn by the server.
    assert page.locator("#checkin-scan").is_visible()
    read = page.evaluate(DECODE_THE_SHIFT_CODE)
    assert read.endswith(f"/volunteering/check-in/{work['booking'].shift.checkin_token}/"), read

    code = work["booking"].code
    page.locator("input[name=code]").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="سجّل", exact=True).click()
    assert "سُجّل حضور Amina Rahman." in page.locator("body").inner_text()
    # The same code again is refused, in Arabic, beside the field.
    page.locator("input[name=code]").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="سجّل", exact=True).click()
    assert "سجّل هذا المتطوع حضوره من قبل." in page.locator("main").inner_text()
    page.locator("input[name=direction][value=out]").check()
    page.locator("input[name=code]").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="سجّل", exact=True).click()

    page.goto("/ar/volunteering/organisations/ihsan/hours/?state=pending")
    axe(page)
    page.locator("input[name=entries]").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="اعتماد الساعات المختارة").click()
    assert page.url.endswith("/ar/volunteering/organisations/ihsan/certificates/")
    with page.expect_navigation():
        page.get_by_role("link", name="إصدار شهادة").first.click()
    axe(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    certificate = Certificate.objects.get()
    assert certificate.language == "en" and certificate.organisation_name == "Ihsan Society"

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "amina@example.org", "en")
    page.goto("/en/volunteering/")
    with page.expect_navigation():
        page.get_by_role("link", name="My volunteering").first.click()
    assert page.locator("main svg.chart").count() == 1
    axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Verify").first.click()
    assert "This certificate is valid." in page.locator("#certificate").inner_text()
