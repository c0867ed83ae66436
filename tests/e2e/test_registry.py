"""A visitor browses the public registry: the members directory, a filter by country, a profile."""

import re

import pytest

from tests.e2e.helpers import ARABIC_LETTER, document_language
from tests.network.factories import NetworkFactory, NetworkMembershipFactory, OrganisationFactory

DIRECTION = {"ar": "rtl", "en": "ltr"}


@pytest.fixture
def registry(transactional_db):
    network = NetworkFactory(slug="uniw", name_en="Union of NGOs", name_ar="اتحاد المنظمات الأهلية")
    for slug, name_en, name_ar, country, city in [
        ("konya-education", "Konya Education Association", "جمعية التعليم في قونية", "TR", "Konya"),
        ("istanbul-relief", "Istanbul Relief Foundation", "مؤسسة الإغاثة في إسطنبول", "TR", "Istanbul"),
        ("selangor-youth", "Selangor Youth Society", "جمعية الشباب في سلانغور", "MY", "Shah Alam"),
    ]:
        organisation = OrganisationFactory(slug=slug, name_en=name_en, name_ar=name_ar, country=country, city=city)
        NetworkMembershipFactory(network=network, organisation=organisation)
    return network


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_visitor_filters_the_members_by_country_and_opens_a_profile(page, axe, registry, language):
    page.goto(f"/{language}/networks/uniw/members/")

    assert document_language(page) == (language, DIRECTION[language])
    rows = page.locator("#results tbody tr")
    assert rows.count() == 3
    axe(page)

    page.locator("#id_country").select_option("TR")
    page.locator("form.filter-bar button[type=submit]").click()
    page.wait_for_url(re.compile(r"country=TR"))
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 2")
    names = rows.all_inner_texts()
    assert not any("Selangor" in row or "سلانغور" in row for row in names), names

    page.locator("#results tbody a", has_text="Konya" if language == "en" else "قونية").click()
    page.wait_for_url(re.compile(rf"/{language}/organisations/konya-education/$"))
    heading = page.locator("main h1").inner_text()
    if language == "ar":
        assert ARABIC_LETTER.search(heading), heading
    else:
        assert "Konya Education Association" in heading
    assert document_language(page) == (language, DIRECTION[language])
    # What is not public stays out of a visitor's page.
    assert "PPM-SECRET-001" not in page.content()
    axe(page)
