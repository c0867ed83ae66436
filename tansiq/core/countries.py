"""Country names in the reader's language: the one source for every page, search facet and export.

django-countries has Arabic names but no Malay locale; both come from the vendored
i18n-iso-countries lists in ``data/`` (see data/README.countries), falling back to django-countries.
Those lists keep a few names their countries have left (Swaziland, Burma, "White Russia",
Macedonia): ``CURRENT_NAMES`` gives the names the United Nations use today.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from django.utils import translation
from django_countries import countries

from tansiq.core import i18n

DATA = Path(__file__).resolve().parent / "data"
VENDORED = ("ar", "ms")

# Names changed since the vendored lists were written (UNTERM short names, in Arabic and Malay).
CURRENT_NAMES = {
    "ar": {"SZ": "إسواتيني", "MM": "ميانمار", "BY": "بيلاروس", "MK": "مقدونيا الشمالية"},
    "ms": {"MK": "Macedonia Utara", "MM": "Myanmar"},
}


@functools.cache
def vendored_names(language: str) -> dict[str, str]:
    raw = json.loads((DATA / f"countries_{language}.json").read_text(encoding="utf-8"))["countries"]
    names = {code: (name[0] if isinstance(name, list) else name) for code, name in raw.items()}
    return {**names, **CURRENT_NAMES.get(language, {})}


def country_name(code: str, language: str | None = None) -> str:
    if not code:
        return ""
    code = str(code).upper()
    language = (language or translation.get_language() or "en")[:2]
    if language in VENDORED:
        name = vendored_names(language).get(code)
        if name:
            return name
    with translation.override(language):
        return str(dict(countries).get(code, code))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every country, sorted by its name in the reader's language."""
    return list(_country_choices((language or translation.get_language() or "en")[:2]))


@functools.cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    # Built once per language and process: every filter bar and form asks for the same list.
    with translation.override(language):
        names = [(code, country_name(code, language)) for code, _name in countries]
    return tuple(sorted(names, key=lambda item: i18n.collation_key(item[1])))
