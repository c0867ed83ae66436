"""Light stemming of normalised Arabic words.

A light stemmer removes what attaches to a word in writing — the conjunctions و and ف, the
prepositions ب ك ل, the article ال, and the common suffixes for plural, dual, feminine, relative
adjective and possessive pronouns — without reducing the word to its three-letter root, which
would merge words of unrelated meaning (مكتب, كتاب, كاتب). The rules follow Larkey, Ballesteros
and Connell's "light10" stemmer, with two changes measured on the relevance set in
``tests/search``:

- a prefix is only removed when the word is not a dictionary word that starts with those letters
  (``data/lexicon/ar-radical-initial.txt``: وزارة, برنامج, لجنة, فريق, كلمة, التزام …), so that
  وزارة, الوزارة and والوزارة meet;
- stems keep at least three letters.

Snowball's Arabic stemmer was measured on the same set, alone and after these rules: alone it
is inconsistent between a word with and without its proclitics (التعاون → تعا, تعاون → تعاون);
after these rules it adds recall on broken forms but loses more precision than it gains, so it is
not used (``ArabicStemmer(snowball=True)`` keeps the comparison reproducible).

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
        ("هما", "كما", "تين", "تان", "ها", "هم", "هن", "كم", "كن", "نا", "ات", "ون", "ين", "ان", "يه", "ه", "ي"),
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
        lexicon = data.words("lexicon", "ar-radical-initial.txt") if radical_initial else frozenset()
        # A word is protected when it, or it without its suffixes, is such a dictionary word.
        self.protected = lexicon | {_strip_suffixes(word) for word in lexicon}
        self.snowball = None
        if snowball:
            import snowballstemmer

            self.snowball = snowballstemmer.stemmer("arabic")

    def _is_protected(self, word: str) -> bool:
        return word in self.protected or _strip_suffixes(word) in self.protected

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
