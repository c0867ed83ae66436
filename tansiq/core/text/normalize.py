"""Fold the spellings people use for one word into one form.

Arabic text reaches us typed on Arabic, Persian and Urdu keyboards, pasted from PDFs (presentation
forms), from Quran apps (annotation marks) and from word processors (tatweel, bidi controls), with
and without diacritics and hamza. Latin text carries case, accents and Turkish dotted/dotless i.
``normalize`` maps all of these to one spelling so that index and query meet.

Hamza seats (ؤ ئ) are folded to the bare hamza ء: writers differ on the seat (شئون/شؤون,
مسئول/مسؤول, هيئة/هيأة) far more than they drop the hamza altogether, and keeping the hamza itself
keeps words such as سؤال and سال apart. Measured on the Arabic queries of the relevance set in
``tests/search`` (recall@20 / precision@5, ``python -m tests.search.choices``): ؤ ئ → ء 0.92 / 0.93;
ؤ → و, ئ → ي 0.87 / 0.88 (it finds موتمر typed without hamza, but loses every شئون/شؤون and
مسئول/مسؤول pair); the same and ء dropped 0.87 / 0.88; seats kept 0.86 / 0.87. The other modes
stay in ``HAMZA_MODES`` to re-run that measurement.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Marks real Arabic text carries: harakat, tanween, shadda, sukun, maddah, hamza above/below and
# the rarer marks up to U+065F; superscript alef; Quranic annotation marks; extended Arabic marks.
_ARABIC_MARKS = [
    *range(0x0610, 0x061B),
    *range(0x064B, 0x0660),
    0x0670,
    *range(0x06D6, 0x06EE),
    *range(0x08D3, 0x08E2),
    *range(0x08E3, 0x0900),
]
_TATWEEL = [0x0640]
# Zero-width characters, bidi embeddings/overrides/isolates, the Arabic letter mark, word joiner
# and invisible operators, soft hyphen, byte-order mark, Mongolian vowel separator.
_INVISIBLE = [
    0x00AD,
    0x061C,
    0x180E,
    *range(0x200B, 0x2010),
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2065),
    *range(0x2066, 0x206A),
    0xFEFF,
]

_LETTERS = {
    # alef forms
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ٵ": "ا",
    # alef maqsura, taa marbuta
    "ى": "ي",
    "ة": "ه",
    # Persian and Urdu keyboards
    "ی": "ي",
    "ێ": "ي",
    "ک": "ك",
    "ڪ": "ك",
    "ہ": "ه",
    "ۃ": "ه",
    "ھ": "ه",
    "ۀ": "ه",
    # Arabic decimal and thousands separators, percent sign
    "٫": ".",
    "٬": ",",
    "٪": "%",
}

# Hamza: how each mode writes ؤ ئ ء and the rarer seated forms.
HAMZA_MODES: dict[str, dict[str, str]] = {
    # ؤ ئ → ء: one hamza whatever its seat (the default, see the module docstring).
    "hamza": {"ؤ": "ء", "ئ": "ء", "ٶ": "ء", "ٸ": "ء"},
    # ؤ ئ → و ي: the seat letter without its hamza.
    "seat": {"ؤ": "و", "ئ": "ي", "ٶ": "و", "ٸ": "ي"},
    # ؤ ئ and ء all dropped to the seat or to nothing.
    "drop": {"ؤ": "و", "ئ": "ي", "ٶ": "و", "ٸ": "ي", "ء": ""},
    # as written.
    "keep": {},
}
DEFAULT_HAMZA = "hamza"

_DIGITS = {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}

# Latin letters that neither case-folding nor canonical decomposition reduce to ASCII. Dotless ı
# (Turkish) folds to i so that Işık, IŞIK and isik meet; dotted İ case-folds to i + U+0307, which
# the combining-mark rule below removes.
_LATIN_SPECIAL = {"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ħ": "h", "æ": "ae", "œ": "oe", "ŧ": "t", "ð": "d", "þ": "th"}


def _latin_accent_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base and base != ch and base.isascii():
            table[cp] = base.casefold()
    return table


# Combining accents left after a Latin letter (decomposed input, or İ after case-folding).
_LATIN_COMBINING = re.compile(r"(?<=[a-z])[\u0300-\u036f]+")


def build_table(hamza: str = DEFAULT_HAMZA) -> dict[int, str | None]:
    """The one ``str.translate`` table applied after NFKC and case-folding."""
    table: dict[int, str | None] = {cp: None for cp in (*_ARABIC_MARKS, *_TATWEEL, *_INVISIBLE)}
    table.update(_latin_accent_table())
    for source, target in (*_LATIN_SPECIAL.items(), *_LETTERS.items(), *_DIGITS.items()):
        table[ord(source)] = target
    for source, target in HAMZA_MODES[hamza].items():
        table[ord(source)] = target or None
    return table


def build_normalizer(hamza: str = DEFAULT_HAMZA) -> Callable[[str], str]:
    """A ``normalize`` function with the given hamza mode (the relevance set compares modes)."""
    table = build_table(hamza)
    nfkc = unicodedata.normalize
    is_nfkc = unicodedata.is_normalized
    strip_combining = _LATIN_COMBINING.sub

    def normalize(text: str) -> str:
        """Fold Arabic spelling variants, marks, invisible characters, digits, case and Latin accents."""
        for _ in range(4):
            folded = strip_combining("", nfkc("NFKC", text).casefold().translate(table))
            # Removing a mark can bring together characters that NFKC composes (Hangul jamo around a
            # zero-width space, say); go round again until the text is stable.
            if folded == text or (is_nfkc("NFKC", folded) and folded.casefold() == folded):
                return folded
            text = folded
        return folded

    return normalize


normalize = build_normalizer()
