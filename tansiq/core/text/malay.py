"""A dictionary-checked Malay stemmer.

Malay words are built from a root with prefixes (di-, ke-, se-, ber-, ter-, per-, meN-, peN-,
stacked as in memper-, diper-, berke-), suffixes (-kan, -an, -i), possessives (-nya, -ku, -mu)
and particles (-lah, -kah, -tah, -pun). meN- and peN- assimilate to the root's first letter and
swallow some of them: menyelaraskan and penyelarasan come from selaras, mengumpul from kumpul,
memimpin and pemimpin from pimpin, menerusi from terus.

Rules alone cannot tell which letter was swallowed (memulakan is mula, memimpin is pimpin) nor
whether letters belong to the root (perkasa, keluarga, pegawai are roots; rule-only stemmers turn
kerjasama into "rjasama"). So, as in Nazief and Adriani's stemmer for Indonesian, every candidate
is checked against a dictionary of roots and the first one found wins; a word whose root is not
found is left as it is (less its particles), which keeps names and loanwords intact. Candidates
are tried with the fewest suffixes removed first (memakai is pakai, not maka + -i).

Roots: ``data/lexicon/ms-roots.txt`` (generated, see ``build.py``) and the Malay roots that it
lacks, listed by hand in ``ms-roots-extra.txt``. Where a rule reaches a real root of another
meaning (pertubuhan "organisation" is not tubuh "body", kerajaan "government" is not raja
"king"), ``data/exceptions/ms.txt`` says what the word's stem is.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from tansiq.core.text import data

VOWELS = frozenset("aeiou")
MIN_ROOT = 3
_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_DERIVATIONAL = ("kan", "an", "i")
MAX_PREFIXES = 3


def _prefix_candidates(word: str) -> Iterator[str]:
    """What may remain after removing one prefix from ``word``, most likely first."""
    if word.startswith(("di", "ke", "se")):
        yield word[2:]
    if word.startswith(("ber", "ter", "per")):
        yield word[3:]
    if word.startswith(("be", "te", "pe")) and word[2:3] == "r":
        yield word[2:]  # be-rambut? ber-ambut? the dictionary decides
    if word.startswith("be"):
        yield word[2:]  # bekerja, beternak
    if word.startswith("pel"):
        yield word[3:]  # pelajar
    if word.startswith(("kau", "ku")):
        yield word[3:] if word.startswith("kau") else word[2:]  # kaupakai, kurasa: pronoun proclitics
    if not word.startswith(("me", "pe")):
        return
    rest = word[2:]
    if rest.startswith("ny") and rest[2:3] in VOWELS:
        yield "s" + rest[2:]  # menyelaras → selaras
        yield rest  # menyanyi → nyanyi
    elif rest.startswith("ng"):
        after = rest[2:]
        if after[:1] in VOWELS:
            yield after  # mengambil → ambil
            yield "k" + after  # mengumpul → kumpul
        if after[:1] in ("g", "h", "k", "q"):
            yield after  # menggerak → gerak, mengkaji → kaji
        if after.startswith("e"):
            yield after[1:]  # mengecat → cat
        yield rest
    elif rest.startswith("m"):
        after = rest[1:]
        if after[:1] in ("b", "f", "v", "p"):
            yield after  # membina → bina, memperkasa → perkasa
        if after[:1] in VOWELS:
            yield rest  # memulakan → mula
            yield "p" + after  # memimpin → pimpin
    elif rest.startswith("n"):
        after = rest[1:]
        if after[:1] in ("c", "d", "j", "z", "s", "t"):
            yield after  # mencari → cari, mendapat → dapat, pensyarah → syarah
        if after[:1] in VOWELS:
            yield rest  # menanti → nanti
            yield "t" + after  # menerusi → terus
    elif rest:
        yield rest  # melaksana → laksana, mewujud → wujud, pejuang → juang


def _strip(word: str, suffixes: tuple[str, ...]) -> str | None:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_ROOT:
            return word[: -len(suffix)]
    return None


def _suffix_variants(word: str) -> Iterator[tuple[str, int]]:
    """``word`` with ever more suffixes removed, and how many: as written, without particle,
    without possessive, then each of those without a derivational suffix (-kan, -an or -i: tarikan
    may be tarik + -an as well as tari + -kan; the dictionary decides)."""
    forms = [word]
    for group in (_PARTICLES, _POSSESSIVES):
        stripped = _strip(forms[-1], group)
        if stripped is not None:
            forms.append(stripped)
    for count, form in enumerate(forms):
        yield form, count
    for count, form in enumerate(forms):
        for suffix in _DERIVATIONAL:
            if form.endswith(suffix) and len(form) - len(suffix) >= MIN_ROOT:
                yield form[: -len(suffix)], count + 1


class MalayStemmer:
    """Stems one normalised Malay word; see the module docstring."""

    def __init__(self) -> None:
        self.roots = data.words("lexicon", "ms-roots.txt") | data.words("lexicon", "ms-roots-extra.txt")
        self.exceptions = data.mapping("exceptions", "ms.txt")

    def _roots(self, word: str, depth: int = 0) -> Iterator[tuple[str, int]]:
        """Every known root reachable by removing prefixes, with the number removed."""
        if word in self.exceptions:
            yield self.exceptions[word], depth
            return
        if word in self.roots:
            yield word, depth
        if depth == MAX_PREFIXES:
            return
        for rest in _prefix_candidates(word):
            if len(rest) >= MIN_ROOT:
                yield from self._roots(rest, depth + 1)

    def analyse(self, word: str) -> str | None:
        """The dictionary root of ``word``, or None when no candidate is a known root.

        The analysis with the fewest affixes wins; on a tie, the one with fewer suffixes
        (memakai is mem- + pakai, not mem- + maka + -i; didikannya is didik + -an + -nya, not
        di- + di- + kan + -nya).
        """
        best: tuple[int, int, str] | None = None
        for form, suffixes in _suffix_variants(word):
            for root, prefixes in self._roots(form):
                key = (prefixes + suffixes, suffixes, root)
                if best is None or key[:2] < best[:2]:
                    best = key
        return None if best is None else best[2]

    def stem(self, word: str) -> str:
        """The root of ``word``; an unknown word loses only its particles and -nya."""
        if len(word) <= MIN_ROOT:
            return word
        found = self.analyse(word)
        if found is not None:
            return found
        for suffix in ("nya", "lah", "kah"):
            if word.endswith(suffix) and len(word) - len(suffix) > MIN_ROOT:
                return word[: -len(suffix)]
        return word


@functools.cache
def _default() -> MalayStemmer:
    return MalayStemmer()


@functools.lru_cache(maxsize=1 << 18)
def stem_malay(word: str) -> str:
    """Root of one normalised Malay word, cached."""
    return _default().stem(word)


@functools.lru_cache(maxsize=1 << 16)
def is_malay_word(word: str) -> bool:
    """Whether the word is a known Malay root, or one with Malay affixes (language guessing)."""
    return word in data.words("stopwords", "ms.txt") or _default().analyse(word) is not None
