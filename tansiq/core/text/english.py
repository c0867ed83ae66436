"""English stemming: Snowball's English (Porter2) stemmer, with British and American -ise/-ize
spellings folded first (Porter2 stems organisation to "organis" but organization to "organiz")."""

from __future__ import annotations

import functools
import re

import snowballstemmer

from tansiq.core.text import data

_IZE = re.compile(r"iz(e|es|ed|ing|ation|ations|ational|er|ers)$")
_stemmer = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=1 << 18)
def stem_english(word: str) -> str:
    """Stem of one normalised English word, cached."""
    exceptions = data.mapping("exceptions", "en.txt")
    if word in exceptions:
        return exceptions[word]
    return _stemmer.stemWord(_IZE.sub(r"is\1", word)) or word
