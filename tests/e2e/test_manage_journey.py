"""An organisation's owner keeps its contacts and names its representative; the secretariat adds a unit."""

import re

import pytest

from tests.e2e.helpers import document_language
from tests.e2e.test_admission_journey import sign_in_as
from tests.factories import UserFactory
from tests.helpers import with_mfa
from tests.network.factories import (
    ContactFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UnitFactory,
)

DIRECTION = {"ar": "rtl", "en": "ltr"}


@pytest.fixture
def registry(transactional_db):
    from django.contrib.auth.models import Group

    network = NetworkFactory(slug="uniw", name_en="Union of NGOs", name_ar="اتحاد المنظمات الأهلية")
    UnitFactory(network=network, slug="turkey", name_en="Turkey", name_ar="ممثلية تركيا")
    organisation = OrganisationFactory(slug="konya", name_en="Konya Education Association", name_ar="جمعية قونية")
    NetworkMembershipFactory(network=network, organisation=organisation)
    ContactFactory(organisation=organisation, name="Old Desk", email="old@example.org")
    owner = UserFactory(display_name="Owner", email="owner@example.org")
    MembershipFactory(user=owner, organisation=organisation, role="owner")
    delegate = UserFactory(display_name="Delegate Person", email="delegate@example.org")
    MembershipFactory(user=delegate, organisation=organisation, role="viewer")
    secretariat = with_mfa(UserFactory(display_name="Secretariat", is_staff=True))
    secretariat.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    return {"organisation": organisation, "owner": owner, "delegate": delegate, "secretariat": secretariat}


@pytest.mark.parametrize("language", ["ar", "en"])
def test_owner_keeps_contacts_and_names_a_representative(page, axe, live_server, registry, language):
    sign_in_as(page, live_server, registry["owner"])
    page.goto(f"/{language}/organisations/konya/edit/")
    page.locator('nav.mb-3 a[href$="/contacts/"]').click()
    page.wait_for_url(re.compile(r"/contacts/$"))
    assert document_language(page) == (language, DIRECTION[language])
    axe(page)

    form = page.locator("#add-contact")
    form.locator("#id_name").fill("Press Office")
    form.locator("#id_email").fill("not-an-address")
    form.locator("#id_visibility_0").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    # The error stands beside the field and what was typed is kept.
    assert page.locator("#id_email_error").is_visible()
    assert page.locator("#id_name").input_value() == "Press Office"
    axe(page)
    page.locator("#id_email").fill("press@example.org")
    with page.expect_navigation():
        page.locator("#add-contact button[type=submit]").click()
    page.locator(".alert-success").wait_for()
    assert page.locator("#results tbody tr", has_text="Press Office").count() == 1

    # Deleting a row with htmx: the row goes, the page stays.
    page.on("dialog", lambda dialog: dialog.accept())
    row = page.locator("#results tbody tr", has_text="Old Desk")
    row.locator("button.btn-outline-danger").click()
    row.wait_for(state="detached")
    assert registry["organisation"].contacts.filter(name="Old Desk").count() == 0

    page.locator('nav.mb-3 a[href$="/representatives/"]').click()
    page.wait_for_url(re.compile(r"/representatives/$"))
    axe(page)
    page.locator("select[name$='-representative']").select_option(str(registry["delegate"].pk))
    with page.expect_navigation():
        page.locator(
            "form[action$='/representatives/"
            + str(registry["organisation"].network_memberships.get().uuid)
            + "/'] button"
        ).click()
    page.locator(".alert-success").wait_for()
    membership = registry["organisation"].network_memberships.get()
    assert membership.representative == registry["delegate"]
    assert "Delegate Person" in page.locator("main dl").first.inner_text()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_secretariat_adds_a_unit_to_the_tree(page, axe, live_server, registry, language):
    sign_in_as(page, live_server, registry["secretariat"])
    page.goto(f"/{language}/")
    page.locator("#manage-menu").click()  # the secretariat's work pages are in the header's Manage menu
    page.locator('header a[href$="/units/"]').click()
    page.wait_for_url(re.compile(rf"/{language}/networks/uniw/units/$"))
    axe(page)
    page.locator("#id_parent").select_option("turkey")
    page.locator("#id_name_ar").fill("فرع قونية")
    page.locator("#id_name_en").fill("Konya Branch")
    page.locator("#id_kind").select_option("other")
    with page.expect_navigation():
        page.locator("form.card button[type=submit]").click()
    page.wait_for_url(re.compile(r"/units/konya-branch/$"))
    axe(page)
    # The places to move the unit to come only when asked for, into the page (htmx).
    page.locator("#move-unit a").click()
    page.locator("#move-unit select[name=parent] option[value=turkey]").wait_for(state="attached")
    assert page.url.endswith("/units/konya-branch/")
    axe(page)
    page.goto(f"/{language}/networks/uniw/units/")
    assert page.locator("table.unit-tree tbody tr").count() == 2
