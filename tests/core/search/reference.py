"""A reference search in plain Python over the stored terms: what both backends must answer.

``matching(documents, query)`` reads the analysed columns exactly as stored and applies the query's
meaning (every group of alternatives, phrases as consecutive terms within one field, prefixes,
exclusions) without any database. The test suite runs on SQLite and on PostgreSQL; each run checks
its backend against this, so the two give the same answers.
"""

from __future__ import annotations

from collections import Counter

from tansiq.core.search.models import SearchDocument
from tansiq.core.search.parsing import ParsedQuery, Phrase
from tests.search.relevance import load_documents

KINDS = ("organisation", "event", "incident")
COUNTRIES = ("SA", "MY", "TR", "")


def index_relevance_set() -> list:
    """The relevance set's documents, spread over three kinds and four countries (one blank)."""
    from tansiq.core.search import index_documents

    documents = load_documents()
    index_documents(
        {
            "kind": KINDS[number % len(KINDS)],
            "key": doc.id,
            "title": doc.title,
            "body": doc.body,
            "language": doc.language,
            "country": COUNTRIES[number % len(COUNTRIES)],
        }
        for number, doc in enumerate(documents)
    )
    return documents


def _phrase_in(terms: list[str], phrase: Phrase) -> bool:
    size = len(phrase.terms)
    for start in range(len(terms) - size + 1):
        if all(
            terms[start + offset].startswith(term.text) if term.prefix else terms[start + offset] == term.text
            for offset, term in enumerate(phrase.terms)
        ):
            return True
    return False


def _has(fields: list[list[str]], phrase: Phrase) -> bool:
    return any(_phrase_in(terms, phrase) for terms in fields)


def matching(query: ParsedQuery, documents=None) -> list[SearchDocument]:
    if query.is_empty:
        return []
    documents = SearchDocument.objects.all() if documents is None else documents
    found = []
    for doc in documents:
        fields = [doc.title_terms.split(), doc.body_terms.split()]
        if all(any(_has(fields, phrase) for phrase in group.phrases) for group in query.required) and not any(
            _has(fields, phrase) for phrase in query.excluded
        ):
            found.append(doc)
    return found


def facet_counts(found: list[SearchDocument]) -> dict[str, dict[str, int]]:
    return {
        "kind": dict(Counter(doc.kind for doc in found)),
        "country": dict(Counter(doc.country for doc in found if doc.country)),
    }
