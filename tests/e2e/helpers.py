"""What a person does with the site, said once: switch language, read the mail, type a TOTP code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

from django.core import mail

TOTP_PERIOD = 30
TOTP_DIGITS = 6
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")

# Elements wider than the viewport, so an overflow failure names the culprit.
OVERFLOW_JS = """() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll("body *")]
        .filter(el => { const r = el.getBoundingClientRect(); return r.width && (r.right > width + 1 || r.left < -1); })
        .slice(0, 10)
        .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
             + (typeof el.className === "string" && el.className.trim()
                ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
}"""


def document_language(page) -> tuple[str, str]:
    return tuple(page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]"))


def path_without_language(url: str) -> str:
    """``http://host/ar/accounts/2fa/?x`` → ``/accounts/2fa/?x``."""
    path = re.sub(r"^https?://[^/]+", "", url)
    return re.sub(r"^/(ar|en|ms)(?=/)", "", path)


def switch_language(page, code: str) -> None:
    """Choose ``code`` in the header's language menu and wait for the page in that language."""
    page.locator("#language-menu").click()
    page.locator(f'[aria-labelledby="language-menu"] a[hreflang="{code}"]').click()
    page.wait_for_url(re.compile(rf"^https?://[^/]+/{code}/"))
    page.wait_for_load_state()


def open_account_menu(page):
    page.locator("#account-menu").click()
    return page.locator('[aria-labelledby="account-menu"]')


def loaded_stylesheets(page) -> list[str]:
    """Stylesheets the browser actually parsed (a 404 or a refused sheet has no rules)."""
    return page.evaluate(
        """() => [...document.styleSheets]
            .filter(sheet => { try { return sheet.cssRules.length > 0; } catch (e) { return false; } })
            .map(sheet => sheet.href || "")"""
    )


def link_in_mail(to: str, pattern: str, *, timeout: float = 5.0) -> str:
    """The first link matching ``pattern`` in the latest message sent to ``to``."""
    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(mail.outbox):
            if to in message.to:
                bodies = [message.body] + [content for content, _ in getattr(message, "alternatives", [])]
                for body in bodies:
                    found = re.search(rf"https?://[^\s\"'<>]*{pattern}[^\s\"'<>]*", body)
                    if found:
                        return found.group(0)
                raise AssertionError(f"No link matching {pattern!r} in the message to {to}:\n{message.body}")
        if time.monotonic() > deadline:
            raise AssertionError(f"No message to {to}; outbox has {[m.to for m in mail.outbox]}")
        time.sleep(0.05)


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 code (HMAC-SHA1, 30 s, 6 digits), written independently of the code under test."""
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // TOTP_PERIOD)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**TOTP_DIGITS:0{TOTP_DIGITS}d}"


def fresh_totp(secret: str, used: set[str], *, margin: float = 3.0) -> str:
    """A code the server has not seen, with ``margin`` seconds left in its period.

    The server accepts only the current period's code and refuses one already used, so this waits
    (at most one period) when the current code was used or is about to expire.
    """
    while True:
        now = time.time()
        left = TOTP_PERIOD - now % TOTP_PERIOD
        code = totp(secret, now)
        if left >= margin and code not in used:
            used.add(code)
            return code
        time.sleep(left + 0.05)


def english_on_page(page, language: str) -> list[str]:
    """The texts of an Arabic or Malay page that hold English words, as the crawler finds them."""
    from urllib.parse import urlsplit

    from tests.crawler import PageParser, english_words

    parser = PageParser(language, path=urlsplit(page.url).path)
    parser.feed(page.content())
    return [" ".join(text.split()) for text in parser.texts if english_words(text, language)]
