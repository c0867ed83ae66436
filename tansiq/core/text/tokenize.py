"""Split normalised text into words, one script to a word."""

from __future__ import annotations

import re
import unicodedata

from tansiq.core.text.normalize import normalize

ARABIC_LETTERS = (
    "\u0621-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c9"
)
_ARABIC_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"


def _combining_marks() -> str:
    """A character class body of the combining marks outside Arabic (Devanagari vowel signs, Thai
    vowels …): they belong to the word they sit on, though ``\\w`` does not match them."""
    ranges: list[list[int]] = []
    for cp in range(0x0300, 0x10000):
        if 0x0600 <= cp <= 0x08FF or not unicodedata.category(chr(cp)).startswith("M"):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)


_OTHER_LETTER = rf"[^\W_a-z0-9{_ARABIC_BLOCKS}]"
_TOKEN = re.compile(
    "|".join(
        (
            rf"[{ARABIC_LETTERS}]+",
            # Latin words keep inner hyphens: the analyser reads reduplication (badan-badan).
            r"[a-z]+(?:-[a-z]+)*",
            r"[0-9]+",
            rf"{_OTHER_LETTER}(?:{_OTHER_LETTER}|[{_combining_marks()}])*",
        )
    )
)
# Apostrophes and ayn/hamza signs inside Latin words go (Qur'an, Shari'ah, Qurʾān → quran, shariah).
_INNER_APOSTROPHE = re.compile("(?<=[a-z])['\u2019\u02bc\u02be\u02bf](?=[a-z])")


def tokenize(text: str) -> list[str]:
    """The words of ``text``, normalised, in order, stop words included.

    A word is a run of Arabic letters, of Latin letters (with inner hyphens), of digits, or of
    letters of another script; a change of script ends a word (بتاريخ31 is two words).
    """
    return _TOKEN.findall(_INNER_APOSTROPHE.sub("", normalize(text)))
