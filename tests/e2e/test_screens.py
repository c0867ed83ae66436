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
    # …and stays inside the window: nothing pushed past either edge.
    width = page.viewport_size["width"]
    boxes = [item.bounding_box() for item in items]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= width for box in boxes), boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= width
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


@pytest.fixture
def profile_owner(transactional_db):
    from tests.network.factories import FocusAreaFactory, MembershipFactory

    for index in range(40):
        FocusAreaFactory(slug=f"sector-{index}", kind="sector", name_ar=f"قطاع العمل {index}")
    for index in range(1, 18):
        FocusAreaFactory(slug=f"sdg-{index}", kind="sdg", position=index, name_ar=f"الهدف {index}")
    organisation = OrganisationFactory(slug="ours", country="MY")
    user = UserFactory(language="ar")
    MembershipFactory(user=user, organisation=organisation)
    return user


@pytest.mark.parametrize("width", [1280, 390])
def test_the_profile_form_keeps_long_lists_short_searchable_and_right_to_left(
    page, live_server, profile_owner, axe, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(page, live_server, profile_owner)
    page.goto("/ar/organisations/ours/edit/")
    focus = page.locator("fieldset:has(> legend:text('مجالات العمل'))")
    # Grouped under legends above each group, in a box of a few hundred pixels, not thousands.
    assert focus.locator("legend").all_inner_texts()[1:] == ["القطاعات", "أهداف التنمية المستدامة"]
    assert focus.bounding_box()["height"] < 1000
    # Right to left: each group's legend starts at the right edge of its group.
    group = focus.locator(".grouped-choices-group").first
    legend, box = group.locator("legend").bounding_box(), group.bounding_box()
    assert abs((legend["x"] + legend["width"]) - (box["x"] + box["width"])) < 24
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"/tmp/organisation-edit-ar-{width}.png", full_page=True)
    # The script shows the filter box; typing narrows the options and hides the empty group.
    search = focus.locator("input[type=search]")
    search.fill("الهدف 1")
    assert focus.locator(".form-check:visible").count() == 9  # 1, 10 … 17
    assert not focus.locator(".grouped-choices-group").first.is_visible()
    search.fill("")
    axe(page)
