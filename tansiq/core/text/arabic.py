"""Light stemming of normalised Arabic words.

A light stemmer removes what attaches to a word in writing — the conjunctions و and ف, the
prepositions ب ك ل, the article ال, and the common suffixes for plural, dual, feminine, relative
adjective and possessive pronouns — without reducing the word to its three-letter root, which
would merge words of unrelated meaning (مكتب, كتاب, كاتب). The rules follow Larkey, Ballesteros
and Connell's "light10" stemmer, with two changes measured on the relevance set in
``tests/search``:

- a prefix is only removed when the word is not a dictionary word that starts with those letters
  (``data/lexicon/ar-radical-initial-*.txt``: وزارة, برنامج, لجنة, فريق, كلمة …), so that
  وزارة, الوزارة and والوزارة meet; the few words that start like the article (التزام,
  إلكتروني) are in ``data/exceptions/ar.txt``;
- stems keep at least three letters.

Measured on the Arabic queries of the relevance set (recall@20 / precision@5, run
``python -m tests.search.choices``): these rules 0.92 / 0.93; without the dictionary 0.89 / 0.90;
followed by Snowball's Arabic stemmer 0.92 / 0.92 (it gains no query and strips the و of وزارة,
so it is not used); Snowball alone, after ``normalize``, 0.76 / 0.79 — it is inconsistent
between a word with and without its proclitics (التعاون → تعا, تعاون → تعاون).
``ArabicStemmer(snowball=True)`` keeps that comparison reproducible.

The final alef of tanween al-fath (عضوًا → عضوا) is removed like a suffix, so عضوا meets عضو.

Input must already be normalised (``normalize``): no diacritics, ا for every alef form, ي for ى,
ه for ة.
"""

from __future__ import annotations

import functools

from tansiq.core.text import data

# Longest first: the first that matches (and leaves enough of the word) is removed.
_ARTICLE_PREFIXES = ("وبال", "وكال", "وفال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ك", "ل")
_SUFFIXES = tuple(
    sorted(
        (
            "هما",
            "كما",
            "تين",
            "تان",
            "ها",
            "هم",
            "هن",
            "كم",
            "كن",
            "نا",
            "ات",
            "ون",
            "ين",
            "ان",
            "وا",
            "يه",
            "ه",
            "ي",
            "ا",
        ),
        key=len,
        reverse=True,
    )
)
MIN_STEM = 3
MIN_AFTER_ARTICLE = 2
_JAWI_LETTERS = frozenset("ڠچڤݢڽۏ")


def _strip_suffixes(word: str, rounds: int = 2) -> str:
    for _ in range(rounds):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


class ArabicStemmer:
    """Stems one normalised Arabic word; see the module docstring for the rules."""

    def __init__(self, *, snowball: bool = False, radical_initial: bool = True) -> None:
        self.exceptions = data.mapping("exceptions", "ar.txt")
        nouns = verbs = frozenset()
        if radical_initial:
            nouns = data.words("lexicon", "ar-radical-initial-nouns.txt")
            verbs = data.words("lexicon", "ar-radical-initial-verbs.txt")
        # A word is protected when it is such a dictionary word, or when it and a noun of the
        # dictionary lose their suffixes to the same stem (وزاراتها and وزارة). Verb forms are
        # short and many; matched loosely they would protect unrelated words.
        self.exact = nouns | verbs
        self.stems = frozenset(_strip_suffixes(word) for word in nouns)
        self.snowball = None
        if snowball:
            import snowballstemmer

            self.snowball = snowballstemmer.stemmer("arabic")

    def _is_protected(self, word: str) -> bool:
        return word in self.exact or _strip_suffixes(word) in self.stems

    def _strip_prefixes(self, word: str) -> str:
        if self._is_protected(word):
            return word
        if word[0] in _CONJUNCTIONS and not word.startswith(_ARTICLE_PREFIXES) and len(word) - 1 >= MIN_STEM:
            word = word[1:]
            if self._is_protected(word):
                return word
        for prefix in _ARTICLE_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= MIN_AFTER_ARTICLE:
                rest = word[len(prefix) :]
                # لل is ل + the article, but also ل + a word starting with ل (للجنة = ل + اللجنة).
                if prefix.endswith("لل") and self._is_protected(word[len(prefix) - 1 :]):
                    return word[len(prefix) - 1 :]
                return rest
        if word[0] in _PREPOSITIONS and len(word) - 1 >= MIN_STEM:
            return word[1:]
        return word

    def stem(self, word: str) -> str:
        """The light stem of ``word`` (never empty; short words come back unchanged)."""
        if word in self.exceptions:
            return self.exceptions[word]
        if len(word) <= MIN_STEM or not _JAWI_LETTERS.isdisjoint(word):
            return word
        stem = _strip_suffixes(self._strip_prefixes(word))
        if self.snowball is not None:
            stem = self.snowball.stemWord(stem) or stem
        return stem


@functools.cache
def _default() -> ArabicStemmer:
    return ArabicStemmer()


@functools.lru_cache(maxsize=1 << 18)
def stem_arabic(word: str) -> str:
    """Light stem of one normalised Arabic word, cached (the vocabulary of a corpus is small)."""
    return _default().stem(word)
