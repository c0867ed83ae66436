"""Snippets: the stretch of a document's own text where the query's words are, with them marked.

The index holds analysed terms; a reader wants the text as written. So each word of the text (a
run between spaces, its punctuation kept outside the mark) is analysed like the index analysed it,
and marked when one of its terms is a term of the query or begins with one of its prefixes:
searching المؤتمرات marks والمؤتمر, searching penyelarasan marks menyelaraskan. Everything else is
escaped; the result is safe HTML in the document's own reading order (the page sets ``dir="auto"``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from html import escape

from django.utils.safestring import SafeString, mark_safe

from tansiq.core.search.parsing import MAX_TERM_LENGTH
from tansiq.core.text import analyze, tokenize

SNIPPET_WORDS = 30
SCAN_WORDS = 3_000  # where the matches are looked for in a long text
LONGEST_WORD = 60
TITLE_CHARACTERS = 300
_WORD = re.compile(r"\S+")


@functools.lru_cache(maxsize=200_000)
def _analysis(word: str, language: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(index terms, normalised tokens) of one word of text."""
    return tuple(analyze(word, language)), tuple(tokenize(word))


def _shortened(word: str) -> str:
    return word if len(word) <= LONGEST_WORD else word[:LONGEST_WORD] + "…"


def _is_word_character(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char)[0] == "M"


class Highlighter:
    """Marks one query's words in texts of one language; reuse it for every hit of that language."""

    def __init__(self, terms: frozenset[str], prefixes: tuple[str, ...], language: str | None = None) -> None:
        self.terms = terms
        self.prefixes = prefixes
        self.language = language if language in ("ar", "en", "ms") else None
        self._seen: dict[str, bool] = {}

    def matches(self, word: str) -> bool:
        found = self._seen.get(word)
        if found is None:
            found = self._seen[word] = self._matches(word)
        return found

    def _matches(self, word: str) -> bool:
        if not (self.terms or self.prefixes):
            return False
        terms, tokens = _analysis(word[:MAX_TERM_LENGTH], self.language)
        if any(term in self.terms for term in terms):
            return True
        return bool(self.prefixes) and any(text.startswith(self.prefixes) for text in (*terms, *tokens))

    def mark(self, word: str, matched: bool | None = None) -> str:
        """``word`` escaped, its letters inside <mark> when it matches."""
        shown = _shortened(word)
        if not (self.matches(word) if matched is None else matched):
            return escape(shown)
        start = next((i for i, char in enumerate(shown) if char.isalnum()), None)
        if start is None:
            return escape(shown)
        end = len(shown)
        while end > start and not _is_word_character(shown[end - 1]):
            end -= 1
        return f"{escape(shown[:start])}<mark>{escape(shown[start:end])}</mark>{escape(shown[end:])}"

    def _marked(self, words: list[str], hits: list[bool]) -> str:
        # Runs of unmarked words are escaped together: a snippet is mostly unmarked words.
        parts: list[str] = []
        plain: list[str] = []
        for word, hit in zip(words, hits, strict=True):
            if hit:
                if plain:
                    parts.append(escape(" ".join(map(_shortened, plain))))
                    plain = []
                parts.append(self.mark(word, True))
            else:
                plain.append(word)
        if plain:
            parts.append(escape(" ".join(map(_shortened, plain))))
        return " ".join(parts)

    def highlight(self, text: str, limit: int = TITLE_CHARACTERS) -> SafeString:
        """All of a short text (a title), its matching words marked."""
        text = text if len(text) <= limit else text[:limit] + "…"
        words = _WORD.findall(text)
        return mark_safe(self._marked(words, [self.matches(word) for word in words]))  # noqa: S308 - escaped

    def snippet(self, text: str, size: int = SNIPPET_WORDS) -> SafeString:
        """The ``size`` consecutive words of ``text`` with the most matches, matches marked."""
        words = _WORD.findall(text)
        if not words:
            return mark_safe("")
        hits = [self.matches(word) for word in words[:SCAN_WORDS]]
        best, best_count, count = 0, -1, 0
        for index, hit in enumerate(hits):
            count += hit
            if index >= size:
                count -= hits[index - size]
            if index >= size - 1 and count > best_count:
                best, best_count = index - size + 1, count
        if best_count < 0:  # shorter than one window
            best = 0
        text_html = self._marked(words[best : best + size], hits[best : best + size])
        before = "… " if best > 0 else ""
        after = " …" if best + size < len(words) else ""
        return mark_safe(f"{before}{text_html}{after}")  # noqa: S308 - each part escaped
