"""One name per country in each language, wherever it is shown."""

import pytest
from django.utils import translation

from tansiq.core.countries import country_choices, country_name
from tansiq.core.search.queries import _country_name as facet_name
from tansiq.network.templatetags.network import country as directory_name


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
@pytest.mark.parametrize("code", ["SA", "MY", "XK", "SZ", "MM", "BY", "MK", "PS", "TR"])
def test_the_search_facet_and_the_directory_name_a_country_alike(language, code):
    with translation.override(language):
        assert facet_name(code) == directory_name(code) == country_name(code)


def test_arabic_names_are_the_short_current_ones():
    assert country_name("SA", "ar") == "السعودية"
    assert [country_name(code, "ar") for code in ("SZ", "MM", "BY", "MK")] == [
        "إسواتيني",
        "ميانمار",
        "بيلاروس",
        "مقدونيا الشمالية",
    ]
    assert country_name("MK", "ms") == "Macedonia Utara"


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
def test_kosovo_is_named_and_can_be_chosen(language):
    assert country_name("XK", language) not in ("", "XK")
    assert "XK" in dict(country_choices(language))
