"""From what a person typed to a query both backends can run: plain user text in, analysed terms out.

The syntax is the one search boxes have taught everybody:

- words: all of them must match (``تنسيق المنظمات``);
- ``"a quoted phrase"``: these words, next to each other (also in « » and “ ” quotes);
- ``OR`` (also ``|`` and ``أو``) between two items: either of them;
- ``-word`` or ``-"a phrase"``: documents without it;
- ``word*``: words that begin so (at least three letters), and the last word of an as-you-type
  query is read that way too (once it has three letters).

Everything else is text: an unbalanced quote, a lone operator, ``*``, parentheses, ``NEAR``,
``^`` or ``column:`` of the backends' own syntaxes mean nothing here. Each word goes through the
analyser (``tansiq.core.text``) that built the index, so a query finds what its variants find, and
only terms (letters and digits, nothing else) ever reach a backend, which quotes each one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.functional import lazy
from django.utils.translation import gettext as _

from tansiq.core.errors import TansiqError
from tansiq.core.text import analyze, analyze_word, detect_latin_language, tokenize

MAX_QUERY_LENGTH = 256
MAX_TERMS = 24  # further terms are ignored: a query is a few words, not a document
MAX_TERM_LENGTH = 100  # longer "words" are noise (a pasted hash); PostgreSQL refuses lexemes > 2 KB
# A beginning of fewer letters begins too many words for the results to mean anything, and costs the
# most to look up (every term it begins is read); while typing, a shorter last word waits.
MIN_PREFIX = 3
OR_WORDS = frozenset({"OR", "|", "أو", "او"})
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "″": '"', "＂": '"'})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LEXEME = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+)')


def _too_long() -> str:
    return _("A search can be at most %(limit)d characters long. Use fewer, more telling words.") % {
        "limit": MAX_QUERY_LENGTH
    }


# Lazy: said in the language of whoever reads it, whenever that is.
TOO_LONG = lazy(_too_long, str)()


class QueryTooLong(TansiqError):
    code = "query_too_long"

    def __init__(self) -> None:
        super().__init__(TOO_LONG, field="q")


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Terms that must follow each other; a single word is a phrase of one term."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Alternatives:
    """At least one of these phrases must match."""

    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    required: tuple[Alternatives, ...] = ()
    excluded: tuple[Phrase, ...] = ()
    language: str | None = None
    truncated: bool = False
    _terms: frozenset[str] = field(default=frozenset(), repr=False)
    _prefixes: tuple[str, ...] = field(default=(), repr=False)

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: no words, only stop words, or only exclusions."""
        return not self.required

    @property
    def highlight_terms(self) -> frozenset[str]:
        """Terms a snippet marks: those the query looks for, not those it excludes."""
        return self._terms

    @property
    def highlight_prefixes(self) -> tuple[str, ...]:
        return self._prefixes


def clean(text: str) -> str:
    return _CONTROL.sub(" ", text or "").translate(_QUOTES).strip()


_OPERATOR_OR = re.compile(r"(?<!\S)OR(?!\S)")


def parse(text: str, *, as_you_type: bool = False) -> ParsedQuery:
    """Read ``text`` as a query. Never raises for any text, except ``QueryTooLong``."""
    still_typing = as_you_type and bool(text) and not text[-1].isspace()
    text = clean(text)
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong()
    # Malay or English: the query's function words tell, as they do for the documents. The OR
    # operator is not the English word "or": left in, it made every OR query English.
    language = detect_latin_language(tokenize(_OPERATOR_OR.sub(" ", text)))
    groups: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    pending_or = False
    lexemes = list(_LEXEME.finditer(text))
    count = 0
    for index, lexeme in enumerate(lexemes):
        negative, phrase_text, word = bool(lexeme["neg"]), lexeme["phrase"], lexeme["word"]
        if word is not None and word in OR_WORDS:
            pending_or = bool(groups)
            continue
        if word is not None:
            negative = word.startswith("-") and word.strip("-") != ""
            word = word.lstrip("-")
            last = still_typing and index == len(lexemes) - 1
            if last and not word.endswith("*") and len(word.strip("-")) < MIN_PREFIX:
                continue
            options = _word(word, language, prefix=word.endswith("*") or last)
        else:
            options = _phrase(phrase_text, language)
        if not options:
            continue  # a stop word, punctuation, a lone operator
        size = sum(len(phrase.terms) for phrase in options)
        if count + size > MAX_TERMS:
            return _finish(text, groups, excluded, language, truncated=True)
        count += size
        if negative:
            excluded.extend(options)
            pending_or = False
        elif pending_or:
            groups[-1].extend(options)
            pending_or = False
        else:
            groups.append(list(options))
    return _finish(text, groups, excluded, language)


def _finish(text, groups, excluded, language, *, truncated: bool = False) -> ParsedQuery:
    required = tuple(Alternatives(tuple(dict.fromkeys(group))) for group in groups)
    terms: set[str] = set()
    prefixes: set[str] = set()
    for alternatives in required:
        for phrase in alternatives.phrases:
            for term in phrase.terms:
                (prefixes if term.prefix else terms).add(term.text)
    return ParsedQuery(
        text=text,
        required=required,
        excluded=tuple(dict.fromkeys(excluded)),
        language=language,
        truncated=truncated,
        _terms=frozenset(terms),
        _prefixes=tuple(sorted(prefixes)),
    )


def analysed(text: str, language: str | None) -> list[str]:
    """Index terms of ``text`` as the index stores them (overlong tokens dropped)."""
    return [term for term in analyze(text, language) if len(term) <= MAX_TERM_LENGTH]


def _phrase(text: str, language: str | None) -> tuple[Phrase, ...]:
    terms = analysed(text, language)
    return (Phrase(tuple(Term(term) for term in terms)),) if terms else ()


def _word(word: str, language: str | None, *, prefix: bool) -> tuple[Phrase, ...]:
    """One typed word: usually one term; a hyphenated name (Al-Joud) is a phrase of its parts."""
    tokens = tokenize(word)
    if not prefix or not tokens or len(tokens[-1]) < MIN_PREFIX:
        return _phrase(word, language)
    # A prefix is matched both as typed (normalised) and as the analyser stems it: the index holds
    # stems, so "المتطوع*" must also look for "متطوع*", and "menyela*" for its Malay root.
    *rest, last = [part for part in tokens[-1].split("-") if part]  # al-jou* is "al" then "jou…"
    if len(last) < MIN_PREFIX:
        return _phrase(word, language)
    head = [
        term
        for token in [*tokens[:-1], *rest]
        for term in analyze_word(token, language)
        if len(term) <= MAX_TERM_LENGTH
    ]
    last = last[:MAX_TERM_LENGTH]
    stems = [term for term in analyze_word(last, language) if len(term) >= MIN_PREFIX and term != last]
    starts = [last, *stems[-1:]]
    return tuple(Phrase((*(Term(term) for term in head), Term(start, prefix=True))) for start in starts)
