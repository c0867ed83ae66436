"""Every message is translated into Arabic and Malay, compiled, and no English is left on a page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tansiq"
CATALOGUES = sorted(PACKAGE.glob("locale*/*/LC_MESSAGES/django.po"))


def test_catalogues_exist_for_arabic_and_malay():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert {"ar", "ms"} <= languages


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_is_translated_and_none_is_fuzzy(path):
    catalogue = polib.pofile(str(path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {path.name}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {path.name}: {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_compiled_catalogue_matches_its_source(path):
    """The committed .mo (a fresh machine has no gettext to compile it) says what the .po says."""
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} missing: run `make messages`"
    mo = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural) for e in polib.mofile(str(compiled))}
    for entry in polib.pofile(str(path)).translated_entries():
        expected = entry.msgstr or {int(k): v for k, v in entry.msgstr_plural.items()}
        got = mo.get((entry.msgctxt, entry.msgid))
        if isinstance(got, dict):
            got = {int(k): v for k, v in got.items()}
        assert got == expected, f"{compiled.name} is stale for {entry.msgid!r}: run `make messages`"


def test_placeholders_survive_translation():
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            wanted = sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}", entry.msgid))
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    got = sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}", text))
                    assert set(got) <= set(wanted) and (entry.msgid_plural or got == wanted), (
                        f"{path.parts[-3]}: {entry.msgid!r} -> {text!r}"
                    )


class _VisibleText(HTMLParser):
    SKIP = {"script", "style", "code", "bdi", "title"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.SKIP or attributes.get("lang") not in (None, "ar") or attributes.get("dir") == "ltr":
            self.depth += 1
        elif tag in ("img", "input") and attributes.get("alt"):
            self.chunks.append(attributes["alt"])
        if attributes.get("aria-label") and not self.depth:
            self.chunks.append(attributes["aria-label"])
        if attributes.get("placeholder") and not self.depth:
            self.chunks.append(attributes["placeholder"])

    def handle_endtag(self, tag):
        if self.depth and (tag in self.SKIP or tag in ("a", "li", "span", "div", "p", "option", "button", "input")):
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.chunks.append(data)


# Latin words that are right on an Arabic or Malay page: formats, acronyms, brand names.
ALLOWED = {
    # Languages named in their own language (the language menu and preference).
    "english",
    "bahasa",
    "melayu",
    # Acronyms used as they are: the humanitarian data standard, corporate social responsibility.
    "hxl",
    "csr",
    "csv",
    "xlsx",
    "api",
    "totp",
    "tsq",
    "hx",
    "bearer",
    "authorization",
    "pdf",
    "url",
    "sms",
    "ios",
    "android",
}


def english_words(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = " ".join(parser.chunks)
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses
    words = re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text)
    return [w for w in words if w.lower() not in ALLOWED]


PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/no-such-page/"]
MEMBER_PAGES = [
    "/",
    "/accounts/profile/",
    "/accounts/tokens/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
]
STAFF_PAGES = ["/audit/"]


@pytest.mark.parametrize("language", ["ar"])
def test_arabic_pages_have_no_english_left(client, member, secretariat, language):
    """Malay shares the Latin script, so this check is for Arabic; Malay is covered by the catalogues."""
    found = {}
    for path in PUBLIC_PAGES:
        leftovers = english_words(client.get(f"/{language}{path}").content.decode())
        if leftovers:
            found[path] = leftovers
    client.force_login(member)
    for path in MEMBER_PAGES:
        leftovers = english_words(client.get(f"/{language}{path}").content.decode())
        if leftovers:
            found[f"member {path}"] = leftovers
    client.force_login(secretariat)
    for path in STAFF_PAGES:
        leftovers = english_words(client.get(f"/{language}{path}").content.decode())
        if leftovers:
            found[f"secretariat {path}"] = leftovers
    assert not found, f"English on Arabic pages: {found}"


def _gaps(catalogue: Path) -> list[polib.POEntry]:
    po = polib.pofile(str(catalogue))
    return [entry for entry in po.untranslated_entries() + po.fuzzy_entries() if not entry.obsolete]


def test_gaps_in_djangos_arabic_catalogue_are_filled_by_ours():
    """Django's own Arabic catalogue leaves a few messages untranslated (e.g. "Malay", which our
    organisations' working languages show). Our catalogues come first in LOCALE_PATHS and must
    translate each of them, so no page shows the gap."""
    import django
    from django.utils import translation

    gaps = _gaps(Path(django.__file__).parent / "conf" / "locale" / "ar" / "LC_MESSAGES" / "django.po")
    with translation.override("ar"):
        untranslated = [
            entry.msgid
            for entry in gaps
            if (translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else translation.gettext(entry.msgid))
            == entry.msgid
        ]
    assert untranslated == []


def test_allauth_messages_we_show_are_translated_in_both_languages():
    """allauth's Arabic catalogue has gaps (and no Malay at all): ``scripts/thirdparty_messages.py
    --check`` fails when a message our pages can show lacks a translation in
    ``tansiq/locale_thirdparty``. What it leaves out (social accounts, headless, entries allauth
    itself marks obsolete) is never shown."""
    import subprocess
    import sys

    script = PACKAGE.parent / "scripts" / "thirdparty_messages.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
