"""From text to index terms: normalise, split into words, drop stop words, stem by language."""

from __future__ import annotations

import functools

from tansiq.core.text import data
from tansiq.core.text.arabic import stem_arabic
from tansiq.core.text.english import stem_english
from tansiq.core.text.malay import is_malay_word, stem_malay
from tansiq.core.text.tokenize import tokenize

LANGUAGES = ("ar", "en", "ms")
LATIN_LANGUAGES = ("en", "ms")


@functools.cache
def stopwords(language: str) -> frozenset[str]:
    return data.words("stopwords", f"{language}.txt")


@functools.cache
def _markers() -> dict[str, frozenset[str]]:
    """Function words that belong to one of the two Latin-script languages only."""
    return {"ms": stopwords("ms") - stopwords("en"), "en": stopwords("en") - stopwords("ms")}


def detect_latin_language(tokens: list[str]) -> str | None:
    """The Latin-script language that the function words among ``tokens`` show: "ms", "en" or None.

    Running text always has function words (dan, yang, untuk / the, of, and); a two-word query
    often has none, and then each word is guessed on its own (``guess_latin_language``).
    """
    markers = _markers()
    malay = english = 0
    for token in tokens:
        if token in markers["ms"]:
            malay += 1
        elif token in markers["en"]:
            english += 1
    if malay > english:
        return "ms"
    if english > malay:
        return "en"
    return None


def guess_latin_language(word: str) -> str:
    """Malay when the word is a Malay root or a Malay root with Malay affixes, English otherwise.

    Loanwords shared by both (program, data, forum, seminar) stem alike either way.
    """
    return "ms" if is_malay_word(word) else "en"


def _arabic_stop(word: str, stop: frozenset[str]) -> bool:
    # و، ف، ب، ل، ك attach to function words too (وفي، ولكن، بهذا، لذلك، فإن، وبهذا).
    if word in stop:
        return True
    if len(word) > 2 and word[0] in "وفبلك":
        return word[1:] in stop or (word[0] in "وف" and word[1] in "بلك" and word[2:] in stop)
    return False


@functools.lru_cache(maxsize=1 << 18)
def analyze_word(token: str, language: str | None = None) -> tuple[str, ...]:
    """The terms of one token from ``tokenize``: none for a stop word, several for a hyphenated
    Latin compound (badan-badan gives one, Al-Joud two)."""
    first = token[0]
    if "\u0621" <= first <= "\u08ff":
        if _arabic_stop(token, stopwords("ar")):
            return ()
        return (stem_arabic(token),)
    if "a" <= first <= "z":
        terms: list[str] = []
        for part in token.split("-"):
            if not part:
                continue
            lang = language if language in LATIN_LANGUAGES else guess_latin_language(part)
            if part in stopwords(lang) or (language is None and part in stopwords("en") | stopwords("ms")):
                continue
            term = stem_malay(part) if lang == "ms" else stem_english(part)
            if not terms or terms[-1] != term:  # reduplication: badan-badan, berlari-lari
                terms.append(term)
        return tuple(terms)
    return (token,)


def analyze(text: str, language: str | None = None) -> list[str]:
    """Index terms of ``text``: normalised, stop words removed, stemmed per word.

    Arabic-script words are stemmed as Arabic whatever ``language`` says. Latin-script words are
    Malay or English: ``language`` ("ms"/"en") when given, else what the text's function words
    say, else a guess per word. Never returns an empty term.
    """
    tokens = tokenize(text)
    latin = language if language in LATIN_LANGUAGES else detect_latin_language(tokens)
    # A plain dict per language is the cheapest cache lookup in this, the hottest loop.
    cache = _WORD_CACHE[latin]
    if len(cache) > _WORD_CACHE_SIZE:
        cache.clear()
    terms: list[str] = []
    extend = terms.extend
    for token in tokens:
        found = cache.get(token)
        if found is None:
            found = cache[token] = analyze_word(token, latin)
        extend(found)
    return terms


_WORD_CACHE: dict[str | None, dict[str, tuple[str, ...]]] = {"en": {}, "ms": {}, None: {}}
_WORD_CACHE_SIZE = 1 << 18


def clear_caches() -> None:
    """Forget cached analyses (after changing a word list in tests or benchmarks)."""
    for cache in _WORD_CACHE.values():
        cache.clear()
    analyze_word.cache_clear()
