"""A referee's owner finds the request on the home page and in the inbox, reads it, and chooses a digest."""

import re

import pytest

from tests.e2e.helpers import document_language
from tests.e2e.test_admission_journey import sign_in_as
from tests.factories import UserFactory
from tests.network.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    application_with_referees,
)

DIRECTION = {"ar": "rtl", "en": "ltr"}


@pytest.fixture
def asked(transactional_db):
    """An application submitted, naming the owner's organisation as a referee (the e-mail is sent)."""
    from django.db import transaction

    network = NetworkFactory(slug="uniw", name_en="Union of NGOs", name_ar="اتحاد المنظمات الأهلية")
    referees = []
    for slug in ("konya", "kazan"):
        organisation = OrganisationFactory(slug=slug, name_en=f"{slug.title()} Association")
        NetworkMembershipFactory(network=network, organisation=organisation)
        referees.append(organisation)
    owner = UserFactory(display_name="Referee Owner", email="referee@example.org", language="ar")
    MembershipFactory(user=owner, organisation=referees[0], role="owner")
    candidate = OrganisationFactory(slug="candidate", name_en="Candidate Society", year_founded=2010)
    applicant = UserFactory(display_name="Applicant")
    MembershipFactory(user=applicant, organisation=candidate, role="owner")
    with transaction.atomic():
        application_with_referees(network=network, organisation=candidate, by=applicant, referees=referees, submit=True)
    return owner


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_request_waits_on_the_home_page_and_in_the_inbox(page, axe, live_server, asked, language):
    sign_in_as(page, live_server, asked)
    page.goto(f"/{language}/")
    assert document_language(page) == (language, DIRECTION[language])
    waiting = page.locator("section[aria-labelledby=actions-heading]")
    assert waiting.locator("a[href*='/references/']").count() == 1
    axe(page)

    # The header counts one unread message; the inbox has it, linked to the request.
    inbox = page.locator("header a[href$='/inbox/']")
    assert inbox.locator(".badge").count() == 1
    with page.expect_navigation():
        inbox.click()
    assert page.locator("#results a[href*='/references/']").count() == 1
    axe(page)
    with page.expect_navigation():
        page.locator("#results form button[type=submit]").first.click()
    assert page.locator("header a[href$='/inbox/'] .badge").count() == 0

    # A daily digest instead of an e-mail each time.
    page.locator("main a[href$='/accounts/notifications/']").click()
    page.wait_for_url(re.compile(r"/accounts/notifications/$"))
    axe(page)
    page.locator("input[name='network.references'][value='digest']").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("input[name='network.references'][value='digest']").is_checked()
