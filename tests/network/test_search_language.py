"""The global search names organisations and countries in the reader's language, links to the page
in that language, and isolates names of the other direction."""

from __future__ import annotations

import re

from tests.network.factories import NetworkMembershipFactory, OrganisationFactory


def test_search_results_and_the_country_facet_follow_the_readers_language(client, reindex):
    organisation = OrganisationFactory(
        slug="belia",
        name_ar="مجلس الشباب الماليزي",
        name_en="Malaysian Youth Council",
        name_ms="Majlis Belia Malaysia",
        country="MY",
    )
    NetworkMembershipFactory(organisation=organisation)
    reindex()

    expected = {"ms": ("Majlis Belia Malaysia", "Malaysia"), "en": ("Malaysian Youth Council", "Malaysia")}
    expected["ar"] = ("مجلس الشباب الماليزي", "ماليزيا")
    for language, (title, country) in expected.items():
        html = client.get(f"/{language}/search/", {"q": "الشباب"}).content.decode()
        hit = re.search(r'<li class="search-hit.*?</li>', html, re.S).group(0)
        link = re.search(r'<a href="([^"]+)">(.*?)</a>', hit)
        assert link.group(1) == f"/{language}/organisations/belia/"
        assert re.sub(r"<[^>]+>", "", link.group(2)) == title  # one name, not all three joined
        assert f"<bdi>{country}</bdi>" in hit  # "Pertubuhan · ماليزيا" no more on a Malay page
        # The Arabic name that matched is still shown, marked, under a title in another language.
        assert "<mark>" in hit and "مجلس" in hit
        facet = re.search(r'<h2 class="h6">[^<]*</h2>\s*<ul class="list-unstyled mb-0">.*?</ul>', html, re.S).group(0)
        assert f"<bdi>{country}</bdi>" in facet
