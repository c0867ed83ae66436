"""Hijri dates beside Gregorian ones, and digits in the reader's script.

Umm al-Qura comes from ``hijridate`` (valid 1343–1500 AH, 1924–2077 CE); the tabular calendar is
the arithmetical civil one (30-year cycle, leap years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29).
Countries that announce months by sighting the crescent (Malaysia among them) are served by
``HijriMonthStart`` rows the secretariat enters: a month announced to start on day S runs from S
until the next announced or calculated month start, kept between 29 and 30 days.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import time
from bisect import bisect_right
from typing import NamedTuple

from hijridate import Gregorian

MONTHS = {
    "ar": [
        "محرم",
        "صفر",
        "ربيع الأول",
        "ربيع الآخر",
        "جمادى الأولى",
        "جمادى الآخرة",
        "رجب",
        "شعبان",
        "رمضان",
        "شوال",
        "ذو القعدة",
        "ذو الحجة",
    ],
    "en": [
        "Muharram",
        "Safar",
        "Rabi al-Awwal",
        "Rabi al-Akhir",
        "Jumada al-Ula",
        "Jumada al-Akhirah",
        "Rajab",
        "Shaban",
        "Ramadan",
        "Shawwal",
        "Dhu al-Qadah",
        "Dhu al-Hijjah",
    ],
    # Spellings used by JAKIM and Malaysian state religious departments.
    "ms": [
        "Muharam",
        "Safar",
        "Rabiulawal",
        "Rabiulakhir",
        "Jamadilawal",
        "Jamadilakhir",
        "Rejab",
        "Syaaban",
        "Ramadan",
        "Syawal",
        "Zulkaedah",
        "Zulhijah",
    ],
}
ERA = {"ar": "هـ", "en": "AH", "ms": "H"}

_TABULAR_EPOCH_JDN = 1948440  # 1 Muharram 1 AH (civil epoch), as a Julian Day Number
_ORDINAL_TO_JDN = 1721425


class HijriDate(NamedTuple):
    year: int
    month: int
    day: int

    def format(self, language: str) -> str:
        lang = language if language in MONTHS else "en"
        return f"{self.day} {MONTHS[lang][self.month - 1]} {self.year} {ERA[lang]}"


# --- tabular ------------------------------------------------------------------------------------


def _tabular_to_jdn(year: int, month: int, day: int) -> int:
    return day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + _TABULAR_EPOCH_JDN - 1


def tabular_from_gregorian(date: dt.date) -> HijriDate:
    jdn = date.toordinal() + _ORDINAL_TO_JDN
    year = (30 * (jdn - _TABULAR_EPOCH_JDN) + 10646) // 10631
    month = min(12, math.ceil((jdn - (29 + _tabular_to_jdn(year, 1, 1))) / 29.5) + 1)
    day = jdn - _tabular_to_jdn(year, month, 1) + 1
    return HijriDate(year, month, day)


def tabular_to_gregorian(year: int, month: int, day: int = 1) -> dt.date:
    return dt.date.fromordinal(_tabular_to_jdn(year, month, day) - _ORDINAL_TO_JDN)


# --- calculated calendar ---------------------------------------------------------------------------


def calculated(date: dt.date, variant: str = "umalqura") -> HijriDate:
    """The Hijri date of ``date`` by the chosen calculation; outside Umm al-Qura's table, tabular."""
    if variant == "umalqura":
        try:
            h = Gregorian(date.year, date.month, date.day).to_hijri()
            return HijriDate(h.year, h.month, h.day)
        except (OverflowError, ValueError):
            pass
    return tabular_from_gregorian(date)


def _month_start(year: int, month: int, variant: str) -> dt.date:
    if variant == "umalqura":
        try:
            from hijridate import Hijri

            return Hijri(year, month, 1).to_gregorian()
        except (OverflowError, ValueError):
            pass
    return tabular_to_gregorian(year, month, 1)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def from_hijri(year: int, month: int, day: int, variant: str = "umalqura") -> dt.date:
    """The Gregorian date of a Hijri date; ``ValueError`` for a day the month does not have (the
    30th of a 29-day month) or a year outside the calendar's range."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise ValueError("no such Hijri date")
    if variant == "umalqura":
        from hijridate import Hijri

        try:
            return Hijri(year, month, day).to_gregorian()
        except OverflowError as error:
            raise ValueError("outside the Umm al-Qura calendar") from error
    date = tabular_to_gregorian(year, month, day)
    if tabular_from_gregorian(date) != (year, month, day):
        raise ValueError("no such Hijri date")
    return date


# --- announced month starts ------------------------------------------------------------------------

_cache: dict[str, tuple[float, list[tuple[dt.date, int, int]]]] = {}
_CACHE_SECONDS = 60.0


def clear_override_cache() -> None:
    _cache.clear()


def _overrides(region: str) -> list[tuple[dt.date, int, int]]:
    hit = _cache.get(region)
    now = time.monotonic()
    if hit and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    from tansiq.core.models import HijriMonthStart

    rows = sorted(HijriMonthStart.objects.filter(region=region).values_list("starts_on", "hijri_year", "hijri_month"))
    _cache[region] = (now, rows)
    return rows


def to_hijri(date: dt.date, *, variant: str = "umalqura", region: str = "", overrides=None) -> HijriDate:
    """The Hijri date of ``date``, following announced month starts for ``region`` if any."""
    if isinstance(date, dt.datetime):
        date = date.date()
    base = calculated(date, variant)
    rows = overrides if overrides is not None else (_overrides(region) if region else [])
    if not rows:
        return base
    index = bisect_right(rows, (date, 10**6, 13)) - 1
    if index + 1 < len(rows):
        # The calculation may start a month earlier than the announcement: until the announced
        # day, the previous month goes on (its 30th day).
        _next_start, next_year, next_month = rows[index + 1]
        if (base.year, base.month) >= (next_year, next_month):
            prev_year, prev_month = (next_year - 1, 12) if next_month == 1 else (next_year, next_month - 1)
            if index >= 0 and rows[index][1:] == (prev_year, prev_month):
                prev_start = rows[index][0]  # that month was announced too
            else:
                prev_start = _month_start(prev_year, prev_month, variant)
            return HijriDate(prev_year, prev_month, min((date - prev_start).days + 1, 30))
    if index < 0:
        return base
    start, year, month = rows[index]
    next_year, next_month = _next_month(year, month)
    # The month ends at the next announcement, else at the calculated start of the next month,
    # but a lunar month has 29 or 30 days whatever the calculation says.
    end = _month_start(next_year, next_month, variant)
    end = min(max(end, start + dt.timedelta(days=29)), start + dt.timedelta(days=30))
    if index + 1 < len(rows):
        end = min(end, rows[index + 1][0])
    if date < end:
        return HijriDate(year, month, (date - start).days + 1)
    return base


# --- time zones ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def timezone_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Time zones named the way the reader's language names them (CLDR), one per place.

    Aliases and zones CLDR cannot name in Arabic are left out: they are duplicates of a zone that
    is in the list.
    """
    import zoneinfo

    from babel.dates import get_timezone_location

    choices = {}
    for zone in zoneinfo.available_timezones():
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")):
            continue
        try:
            arabic = get_timezone_location(zone, locale="ar")
            label = arabic if language == "ar" else get_timezone_location(zone, locale=language)
        except (LookupError, ValueError):
            continue
        if any("a" <= ch.lower() <= "z" for ch in arabic) or label in choices.values():
            continue
        choices[zone] = label
    return tuple(sorted(choices.items(), key=lambda item: item[1]))


# --- lists ------------------------------------------------------------------------------------------

# CLDR's separator between the items of a list, by language (", " where not listed): Arabic writes
# its own comma, "،", which a Latin one beside Arabic words does not replace.
LIST_SEPARATORS = {"ar": "، "}


def collation_key(text: str) -> str:
    """A sort key in the reader's alphabetical order for names in any of the platform's languages:
    marks set aside (Arabic orders آ أ إ with ا, and Latin Å with A) and case folded."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def join_list(items, language: str | None = None) -> str:
    """``items`` joined with the list separator of ``language`` (the active one by default)."""
    from django.utils import translation

    code = (language or translation.get_language() or "").split("-")[0]
    return LIST_SEPARATORS.get(code, ", ").join(str(item) for item in items)


# --- digits ------------------------------------------------------------------------------------------

_TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def arabic_indic(text: str) -> str:
    """Western digits to Arabic-Indic ones (٠١٢…), leaving everything else as it is."""
    return text.translate(_TO_ARABIC_INDIC)


# Arabic-Indic numbers group with the Arabic thousands separator (U+066C) and mark decimals with the
# Arabic decimal separator (U+066B); "١.١٧٣" reads as one point one seven three.
_TO_ARABIC_NUMBER = str.maketrans({**{str(d): chr(0x0660 + d) for d in range(10)}, ",": "\u066c", ".": "\u066b"})


def arabic_indic_number(text: str) -> str:
    """A number formatted with Latin digits, "," grouping and "." decimals, in Arabic-Indic."""
    return text.translate(_TO_ARABIC_NUMBER)


_TO_ASCII = str.maketrans(
    {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
)


def ascii_digits(text: str) -> str:
    """Arabic-Indic (٠١٢…) and Persian (۰۱۲…) digits to ASCII ones, leaving everything else."""
    return text.translate(_TO_ASCII)
