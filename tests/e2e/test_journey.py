import re

from tests.e2e.helpers import (
    document_language,
    fresh_totp,
    link_in_mail,
    loaded_stylesheets,
    open_account_menu,
    path_without_language,
    switch_language,
)

NAME = "مريم الحسني"
EMAIL = "maryam@example.org"
PASSWORD = "olive-tree-harbour-57"


def url(path: str) -> re.Pattern:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def submit(page):
    """Press the form's main button (not the cancel button some allauth forms carry)."""
    page.locator("main form button[type=submit]:not([form])").first.click()


def test_newcomer_signs_up_verifies_switches_to_arabic_and_protects_the_account_with_totp(page, axe):
    # A visitor arrives on the English home page and creates an account.
    page.goto("/en/")
    axe(page)
    page.locator("header").get_by_role("link", name="Create an account").click()
    page.wait_for_url(url("/en/accounts/signup/"))
    axe(page)
    page.get_by_label("Your name").fill(NAME)
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    submit(page)

    # They are asked to verify their address, and the e-mail has the link.
    page.wait_for_url(url("/en/accounts/confirm-email/"))
    # allauth's title in the site's own English: sentence case, "e-mail" as every other page writes it.
    assert page.locator("main h1").inner_text() == "Verify your e-mail address"
    axe(page)
    link = link_in_mail(EMAIL, "/accounts/confirm-email/")
    assert path_without_language(link).startswith("/accounts/confirm-email/")

    page.goto(link)
    axe(page)
    submit(page)

    # Confirmed, they sign in.
    page.wait_for_url(url("/en/accounts/login/"))
    axe(page)
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    page.wait_for_url(url("/en/"))
    assert NAME in page.locator("#account-menu").inner_text()
    axe(page)

    # From the account menu they open the two-factor page, then read it in Arabic.
    open_account_menu(page).get_by_role("link", name="Two-factor authentication").click()
    page.wait_for_url(url("/en/accounts/2fa/"))
    axe(page)
    english_path = path_without_language(page.url)

    switch_language(page, "ar")

    assert document_language(page) == ("ar", "rtl")
    assert path_without_language(page.url) == english_path
    stylesheets = loaded_stylesheets(page)
    assert any("bootstrap.rtl" in href for href in stylesheets), stylesheets
    assert not any(re.search(r"/bootstrap\.min\.css", href) for href in stylesheets), stylesheets
    axe(page)

    # They turn on an authenticator app with a code computed from the secret the page shows.
    # Changing security settings asks for the password again first.
    page.locator('main a[href="/ar/accounts/2fa/totp/activate/"]').click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/ar/accounts/reauthenticate/\?next="))
    axe(page)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    page.wait_for_url(url("/ar/accounts/2fa/totp/activate/"))
    axe(page)
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    used_codes: set[str] = set()
    page.locator("input[name=code]").fill(fresh_totp(secret, used_codes))
    submit(page)

    page.wait_for_url(url("/ar/accounts/2fa/recovery-codes/"))
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) >= 5 and all(len(code) >= 8 for code in codes), codes
    axe(page)

    # They sign out from the account menu, then sign in again with their password.
    open_account_menu(page).locator('form[action$="/accounts/logout/"] button').click()
    page.wait_for_url(url("/ar/"))
    assert page.locator("#account-menu").count() == 0
    axe(page)
    page.locator('header a[href="/ar/accounts/login/"]').click()
    page.wait_for_url(url("/ar/accounts/login/"))
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)

    # The password is not enough: the site asks for a code.
    page.wait_for_url(url("/ar/accounts/2fa/authenticate/"))
    assert document_language(page) == ("ar", "rtl")
    assert page.locator("#account-menu").count() == 0
    axe(page)
    page.locator("input[name=code]").fill(fresh_totp(secret, used_codes))
    submit(page)

    page.wait_for_url(url("/ar/"))
    assert NAME in page.locator("#account-menu").inner_text()
    assert document_language(page) == ("ar", "rtl")
    axe(page)
