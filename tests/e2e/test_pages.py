import re

import pytest

from tests.e2e.helpers import ARABIC_LETTER, OVERFLOW_JS, document_language, switch_language
from tests.factories import UserFactory

DIRECTION = {"ar": "rtl", "en": "ltr", "ms": "ltr"}


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
def test_home_page_is_accessible_and_fits_a_phone(page, axe, language):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/{language}/")

    assert document_language(page) == (language, DIRECTION[language])
    axe(page)
    overflowing = page.evaluate(OVERFLOW_JS)
    assert not overflowing, f"/{language}/ scrolls sideways at 375 px; too wide: {overflowing}"


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
@pytest.mark.parametrize("path", ["accounts/signup/", "accounts/login/", "accounts/password/reset/"])
def test_entrance_pages_are_accessible_and_in_one_language(page, axe, language, path):
    page.goto(f"/{language}/")
    site_name = page.locator(".navbar-brand").inner_text().strip()

    page.goto(f"/{language}/{path}")

    assert document_language(page) == (language, DIRECTION[language])
    assert page.locator(".navbar-brand").inner_text().strip() == site_name
    assert page.title().endswith(f" · {site_name}"), page.title()
    text = page.locator("main").inner_text()
    if language == "ar":
        heading = page.locator("main h1").inner_text()
        assert ARABIC_LETTER.search(heading), f"The heading of the Arabic page is not Arabic: {heading!r}"
    else:
        assert not ARABIC_LETTER.search(text), f"Arabic text on the {language} page: {text!r}"
    axe(page)


def test_missing_page_is_in_arabic_and_right_to_left(page, axe):
    response = page.goto("/ar/no-such-page/")

    assert response.status == 404
    assert document_language(page) == ("ar", "rtl")
    heading = page.locator("main h1").inner_text()
    assert ARABIC_LETTER.search(heading), f"The 404 heading is not Arabic: {heading!r}"
    axe(page)


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
def test_wrong_password_is_refused_with_an_error_in_the_page_language(page, axe, language):
    person = UserFactory(email="amina@example.org")
    page.goto(f"/{language}/accounts/login/")

    page.locator("input[name=login]").fill(person.email)
    page.locator("input[name=password]").fill("not-the-password")
    page.locator("main form button[type=submit]").first.click()

    error = page.locator("main .alert-danger, main .invalid-feedback").first
    error.wait_for()
    assert page.url.endswith(f"/{language}/accounts/login/")
    assert document_language(page) == (language, DIRECTION[language])
    text = error.inner_text().strip()
    assert text
    if language == "ar":
        assert ARABIC_LETTER.search(text), f"The error on an Arabic page is not in Arabic: {text!r}"
    else:
        assert not ARABIC_LETTER.search(text), f"The error on a {language} page is in Arabic: {text!r}"
    axe(page)


def test_language_switcher_keeps_the_reader_on_the_sign_in_page(page, axe):
    page.goto("/ms/accounts/login/")

    switch_language(page, "ar")

    assert re.fullmatch(r"https?://[^/]+/ar/accounts/login/", page.url), page.url
    assert document_language(page) == ("ar", "rtl")
    axe(page)
