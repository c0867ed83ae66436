"""The header at 1280 px in every language, the directory on a phone, the audit log's markup."""

import pytest
from django.contrib.auth.models import Group

from tansiq.core import audit
from tests.e2e.test_admission_journey import sign_in_as
from tests.factories import UserFactory
from tests.helpers import with_mfa
from tests.network.factories import NetworkFactory, NetworkMembershipFactory, OrganisationFactory


@pytest.fixture
def secretariat_member(transactional_db):
    network = NetworkFactory(slug="uniw", name_en="Union of NGOs", name_ar="اتحاد المنظمات الأهلية")
    for index in range(4):
        organisation = OrganisationFactory(slug=f"member-{index}", country=["MY", "SA", "TR", "XK"][index])
        NetworkMembershipFactory(network=network, organisation=organisation)
    user = UserFactory(display_name="نورة بنت عبدالله القحطاني", language="ms", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    return with_mfa(user)


@pytest.mark.parametrize("language", ["ms", "ar", "en"])
def test_the_secretariats_header_keeps_one_line_at_1280_px(page, live_server, secretariat_member, language):
    sign_in_as(page, live_server, secretariat_member)
    page.goto(f"/{language}/networks/uniw/members/")
    items = page.locator("#main-nav > ul > li, #main-nav > form").all()
    middles = {round(box["y"] + box["height"] / 2) for box in (item.bounding_box() for item in items)}
    assert max(middles) - min(middles) <= 12, middles
    assert page.locator("#site-search").bounding_box()["width"] >= 120
    manage = page.locator("#manage-menu")
    manage.click()
    assert page.locator("[aria-labelledby=manage-menu] a").count() >= 3


@pytest.mark.parametrize("language", ["ar", "ms"])
def test_the_directory_fits_a_phone_as_cards_with_filters_behind_a_button(
    page, live_server, secretariat_member, language
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/{language}/networks/uniw/members/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.locator("form.filter-bar").is_visible()
    row = page.locator("table.table-stack-md tbody tr").first
    assert row.evaluate("row => getComputedStyle(row).display") == "block"
    page.locator("[aria-controls=directory-filters]").click()
    page.locator("form.filter-bar").wait_for(state="visible")


def test_audit_log_has_no_prohibited_aria(page, live_server, secretariat_member, axe):
    for _ in range(3):
        audit.record("transition", by=secretariat_member, obj=secretariat_member, from_state="a", to_state="b")
    sign_in_as(page, live_server, secretariat_member)
    page.goto("/ar/audit/")
    violations = axe(page)
    assert not [v for v in violations if v["id"] == "aria-prohibited-attr"]
