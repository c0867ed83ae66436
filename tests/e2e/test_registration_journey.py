"""A person with no organisation registers one: the duplicate warning, the confirmation, its page,
and "My organisations" (Arabic and English)."""

import re

import pytest

from tests.e2e.helpers import document_language
from tests.e2e.test_admission_journey import sign_in_as
from tests.factories import UserFactory
from tests.network.factories import NetworkFactory, NetworkMembershipFactory, OrganisationFactory

DIRECTION = {"ar": "rtl", "en": "ltr"}


@pytest.fixture
def newcomer(transactional_db):
    network = NetworkFactory(slug="uniw", name_en="Union of NGOs", name_ar="اتحاد المنظمات الأهلية")
    existing = OrganisationFactory(
        slug="relief-jo", name_ar="جمعية الإغاثة الإسلامية", name_en="Islamic Relief Society", country="JO"
    )
    NetworkMembershipFactory(network=network, organisation=existing)
    return UserFactory(display_name="Zainab Othman", email="zainab@example.org")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_newcomer_registers_an_organisation(page, axe, live_server, newcomer, language):
    sign_in_as(page, live_server, newcomer)
    page.goto(f"/{language}/")
    assert document_language(page) == (language, DIRECTION[language])
    mine = page.locator("#my-organisations-heading")
    assert mine.count() == 1
    assert page.locator("section[aria-labelledby=my-organisations-heading] .empty-state").count() == 1

    with page.expect_navigation():
        page.locator(f"main a[href='/{language}/organisations/register/']").click()
    axe(page)
    # Typed without hamza and with taa marbuta as haa: the same name as a member's in Jordan.
    page.fill("#id_name_ar", "جمعيه الاغاثه الاسلاميه")
    page.fill("#id_name_en", "Islamic Relief of Zarqa")
    page.select_option("#id_country", "JO")
    page.fill("#id_city", "الزرقاء")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    warning = page.locator("#probable-duplicates")
    warning.wait_for()
    assert warning.locator(f"a[href='/{language}/organisations/relief-jo/']").count() == 1
    axe(page)

    # It is another organisation: confirm and register it.
    page.locator("#id_confirm_duplicate").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/organisations/islamic-relief-of-zarqa/$"))
    page.locator(".alert-success").wait_for()
    assert page.locator(f"a[href='/{language}/organisations/islamic-relief-of-zarqa/applications/']").count() >= 1
    axe(page)

    # The account menu leads to "My organisations", where it is listed with the owner's role.
    page.locator("#account-menu").click()
    with page.expect_navigation():
        page.locator(f"header a.dropdown-item[href='/{language}/organisations/']").click()
    listed = page.locator(".my-organisations a[href$='/organisations/islamic-relief-of-zarqa/']")
    assert listed.count() == 1
    axe(page)
