"""Someone searches the network in Arabic or English: the header box, spelling variants, results as
they type, a facet, and the organisation's page; what is not public is never found."""

import re

import pytest

from tests.e2e.helpers import document_language
from tests.network.factories import NetworkFactory, NetworkMembershipFactory, OrganisationFactory

DIRECTION = {"ar": "rtl", "en": "ltr"}


@pytest.fixture
def network(transactional_db):
    network = NetworkFactory(slug="uniw", name_en="Union of NGOs", name_ar="اتحاد المنظمات الأهلية")
    for slug, name_ar, name_en, legal_name, country in [
        ("tadamun", "الجمعية الإسلامية للتضامن", "Islamic Solidarity Society", "الجمعية الإسلامية للتضامن", "QA"),
        ("penyelaras", "مجلس تنسيق منظمات الشباب", "Youth Organisations Council", "Majlis Penyelaras Belia", "MY"),
        ("relief", "مؤسسة الإغاثة في إسطنبول", "Istanbul Relief Foundation", "İstanbul Yardım Vakfı", "TR"),
    ]:
        organisation = OrganisationFactory(
            slug=slug, name_ar=name_ar, name_en=name_en, legal_name=legal_name, country=country
        )
        NetworkMembershipFactory(network=network, organisation=organisation)
    # An applicant is not public: nobody but its people and the secretariat may find it.
    applicant = OrganisationFactory(
        slug="applicant", name_ar="جمعية التضامن الإسلامية الناشئة", name_en="New Islamic Solidarity Group"
    )
    NetworkMembershipFactory(network=network, organisation=applicant, status="applicant")
    return network


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_visitor_finds_organisations_however_their_names_are_spelt(page, axe, network, language):
    page.goto(f"/{language}/")
    # Typed without hamza and with haa for taa marbuta, as people type on a phone.
    page.locator("#site-search").fill("الاسلاميه للتضامن")
    page.locator("#site-search").press("Enter")
    page.wait_for_url(re.compile(rf"/{language}/search/\?q="))
    assert document_language(page) == (language, DIRECTION[language])

    hits = page.locator(".search-hit")
    assert hits.count() == 1, hits.all_inner_texts()
    title = hits.first.locator("h2").inner_text()
    assert ("الإسلامية للتضامن" if language == "ar" else "Islamic Solidarity Society") in title
    assert hits.first.locator("mark").count() >= 1  # the words that matched are marked
    assert "الناشئة" not in page.content() and "New Islamic" not in page.content()
    axe(page)

    # Results follow the typing (htmx), and the address follows the results.
    box = page.locator("#search-q")
    box.fill("penyelarasan")  # a Malay derivation of the name's "penyelaras"
    page.wait_for_url(re.compile(r"q=penyelarasan"))
    page.wait_for_function("() => document.querySelectorAll('.search-hit').length === 1")
    assert (
        "Penyelaras" in page.locator("#search-results").inner_text()
        or "الشباب" in page.locator("#search-results").inner_text()
    )

    box.fill("istanbul OR penyelarasan")
    page.wait_for_function("() => document.querySelectorAll('.search-hit').length === 2")
    facet = page.locator("aside nav a", has_text="Türkiye" if language == "en" else "تركيا")
    facet.click()
    page.wait_for_url(re.compile(r"country=TR"))
    assert page.locator(".search-hit").count() == 1
    axe(page)

    page.locator(".search-hit h2 a").click()
    page.wait_for_url(re.compile(rf"/{language}/organisations/relief/$"))
    assert document_language(page) == (language, DIRECTION[language])
