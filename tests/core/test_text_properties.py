"""Invariants of the analyser, checked on generated text."""

from __future__ import annotations

import random
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tansiq.core.text import analyze, normalize, tokenize

ARABIC_BLOCKS = ((0x0600, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
LANGUAGES = st.sampled_from([None, "ar", "en", "ms"])
ANY_TEXT = st.text(max_size=300)


def _is_arabic(ch: str) -> bool:
    return any(low <= ord(ch) <= high for low, high in ARABIC_BLOCKS)


def _untouched(ch: str) -> bool:
    """Characters that only case-folding may change: not Arabic, not invisible (format), no
    compatibility or accent decomposition, not a combining accent, not a Latin letter folded to
    ASCII by hand."""
    return (
        not _is_arabic(ch)
        and unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn")
        and unicodedata.decomposition(ch) == ""
        and not 0x0300 <= ord(ch) <= 0x036F
        and not set(ch.casefold()) & set("ıøđłħæœŧðþ")
    )


NON_ARABIC_TEXT = st.text(alphabet=st.characters(codec="utf-8").filter(_untouched), max_size=200)
ACCENTED_LATIN = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x17F, categories=("Lu", "Ll", "Zs")).filter(
        # ASCII, letters with a canonical accent decomposition (not compatibility ones such as
        # Ŀ = l + middle dot), and the letters folded by hand
        lambda ch: (
            ch.isascii()
            or unicodedata.decomposition(ch)[:1] not in ("", "<")
            or ch.casefold() in ("ı", "ø", "đ", "ł", "ħ", "æ", "œ", "ŧ", "ð", "þ", "ss")
        )
    ),
    max_size=100,
)


@settings(deadline=None)
@given(ANY_TEXT)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(deadline=None)
@given(NON_ARABIC_TEXT)
def test_normalize_changes_only_the_case_of_non_arabic_text(text):
    assert normalize(text) == unicodedata.normalize("NFKC", text).casefold()


@settings(deadline=None)
@given(ACCENTED_LATIN)
def test_normalize_folds_latin_accents_to_ascii(text):
    assert normalize(text).isascii()


@settings(deadline=None)
@given(ANY_TEXT, LANGUAGES)
def test_analyze_never_returns_an_empty_or_blank_term(text, language):
    for term in analyze(text, language):
        assert term
        assert term == term.strip()
        assert not any(ch.isspace() for ch in term)


@settings(deadline=None)
@given(ANY_TEXT, LANGUAGES)
def test_analyzing_normalised_text_changes_nothing(text, language):
    assert analyze(normalize(text), language) == analyze(text, language)


@settings(deadline=None)
@given(ANY_TEXT)
def test_tokens_are_normalised_words(text):
    for token in tokenize(text):
        assert token
        assert normalize(token) == token


def test_normalize_and_analyze_take_any_long_text():
    rng = random.Random(4)
    alphabet = [chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]
    text = "\x00" + "".join(rng.choice(alphabet) for _ in range(10_000)) + "\x00"
    assert normalize(normalize(text)) == normalize(text)
    assert all(analyze(text))
    arabic = "".join(rng.choice("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ ًٌٍَُِّْـ") for _ in range(10_000))
    assert normalize(normalize(arabic)) == normalize(arabic)
    assert all(analyze(arabic))
