"""A visitor verifies a certificate from the code printed on it, in Arabic, from the footer's link."""

import pytest

from tansiq.core import certificates
from tests.e2e.helpers import document_language
from tests.factories import UserFactory
from tests.workflow_app.apps import PARTICIPATION


@pytest.fixture
def issued(transactional_db):
    holder = UserFactory(display_name="فاطمة الزهراء", language="ar")
    return certificates.issue(
        kind=PARTICIPATION,
        holder=holder,
        organisation_name="جمعية الإحسان الخيرية",
        signatory_name="د. خالد المنصوري",
        facts={"event": "ملتقى التطوع الوطني", "hours": 24},
    )


def test_a_visitor_types_the_printed_code_and_sees_the_certificate_valid(page, axe, issued):
    page.goto("/ar/")
    with page.expect_navigation():
        page.locator("footer a[href='/ar/certificates/verify/']").click()
    assert document_language(page) == ("ar", "rtl")
    axe(page)
    page.locator("input[name=code]").fill(certificates.format_code(issued.code).lower())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(f"/ar/certificates/{issued.code}/")
    card = page.locator("#certificate")
    assert "هذه الشهادة سارية." in card.inner_text()
    assert "فاطمة الزهراء" in card.inner_text() and "جمعية الإحسان الخيرية" in card.inner_text()
    axe(page)
