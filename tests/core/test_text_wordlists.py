"""Bulk checks of the analyser against real word lists from Debian.

hunspell-ar (Ayaspell), hunspell-id (LibreOffice's Indonesian dictionary, whose roots and affixes
Malay shares) and iso-codes (country names, the Arabic ones written with shadda: السّعوديّة).
Each test is skipped, saying which package to install, where the list is absent.
"""

from __future__ import annotations

import functools
import gettext
import os
import unicodedata
from pathlib import Path

import pytest

from tansiq.core.text import analyze, normalize
from tansiq.core.text.build import derived_forms
from tansiq.core.text.malay import stem_malay

HUNSPELL = Path("/usr/share/hunspell")
ISO_3166_AR = Path("/usr/share/locale/ar/LC_MESSAGES/iso_3166-1.mo")


def _require(path: Path, package: str) -> Path:
    if not path.exists():
        message = f"{path} is absent: install the Debian package {package}"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it (.ci/run); a skip there would hide a gap
        pytest.skip(message)
    return path


@functools.cache
def _arabic_nouns() -> list[str]:
    section = ""
    nouns = []
    for line in _require(HUNSPELL / "ar.dic", "hunspell-ar").read_text(encoding="utf-8").splitlines()[1:]:
        if line.endswith(".dic"):
            section = line
        elif section == "names.dic" and not line.startswith(("::", "#")):
            word = line.split("/", 1)[0].split("\t", 1)[0].strip()
            if word:
                nouns.append(word)
    return nouns


@pytest.mark.parametrize(
    ("proclitic", "floor"),
    [("ال", 0.99), ("وال", 0.985), ("بال", 0.985), ("لل", 0.96), ("و", 0.94), ("ب", 0.95), ("ل", 0.95)],
)
def test_arabic_nouns_meet_their_forms_with_proclitics(proclitic, floor):
    nouns = [noun for noun in _arabic_nouns() if not (proclitic == "لل" and noun.startswith("ل"))]
    met = sum(analyze(proclitic + noun, "ar") == analyze(noun, "ar") for noun in nouns)
    assert met / len(nouns) >= floor, f"{met} of {len(nouns)} nouns meet {proclitic}+noun"


def test_arabic_dictionary_words_normalise_to_nonempty_stable_terms():
    for noun in _arabic_nouns():
        assert normalize(normalize(noun)) == normalize(noun)
        assert all(analyze(noun, "ar"))


def test_malay_stemmer_recovers_the_roots_of_dictionary_derivations():
    pairs = derived_forms(
        _require(HUNSPELL / "id_ID.dic", "hunspell-id"), _require(HUNSPELL / "id_ID.aff", "hunspell-id")
    )
    found = sum(stem_malay(word) == root for word, root in pairs)
    assert len(pairs) > 30_000
    # Snowball's Indonesian stemmer recovers 82 % of them.
    assert found / len(pairs) >= 0.95, f"{found} of {len(pairs)} derived words stem to their root"


def _arabic_country_names() -> list[str]:
    with _require(ISO_3166_AR, "iso-codes").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    return [name for source, name in catalogue._catalog.items() if source and isinstance(name, str)]


def test_country_names_written_with_shadda_are_found_without_it():
    names = [name for name in _arabic_country_names() if any(unicodedata.category(ch) == "Mn" for ch in name)]
    assert len(names) > 100
    for name in names:
        bare = "".join(ch for ch in name if unicodedata.category(ch) != "Mn")
        assert analyze(bare) == analyze(name), name
    assert analyze("السعودية") == analyze("المملكة العربيّة السّعوديّة")[-1:]


def test_every_arabic_country_name_gives_terms():
    for name in _arabic_country_names():
        assert analyze(name), name
