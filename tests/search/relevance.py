"""Relevance set and evaluator for Tansiq's text analyser.

``data/documents.json``: passages of the five seed texts (Malay 000, Arabic 001–004), split at
paragraphs, and short documents written for this set about NGO work in Arabic, Malay and English,
several written the ways people actually type (no hamza, ه for ة, ي for ى, diacritics, tatweel,
Arabic-Indic digits, PDF presentation forms, Persian keyboard letters).

``data/queries.json``: queries, each with the kind of spelling variant it exercises, its language
and the ids of the documents judged relevant to what the query means (not to the words it shares
with them). Both files are plain JSON so that any backend (SQLite FTS5, PostgreSQL's built-in
configurations) can be measured on the same set.

The evaluator ranks documents with BM25 over analysed terms, in memory; like the product's
search, a document must contain every query term. Run ``python -m tests.search.relevance`` for
the table.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer

DATA = Path(__file__).parent / "data"
Analyzer = Callable[[str, "str | None"], list[str]]


@dataclass(frozen=True)
class Document:
    id: str
    language: str
    title: str
    body: str


@dataclass(frozen=True)
class Query:
    id: str
    kind: str
    language: str
    text: str
    relevant: frozenset[str]


def load_documents() -> list[Document]:
    return [Document(**row) for row in json.loads((DATA / "documents.json").read_text(encoding="utf-8"))]


def load_queries() -> list[Query]:
    rows = json.loads((DATA / "queries.json").read_text(encoding="utf-8"))
    return [Query(**{**row, "relevant": frozenset(row["relevant"])}) for row in rows]


# --- the baseline: what an off-the-shelf configuration does ------------------------------------

_WORD = re.compile(r"\w+")
_COMPOUND = re.compile(r"\w+(?:-\w+)*")
_SNOWBALL = {
    "ar": snowballstemmer.stemmer("arabic"),
    "ms": snowballstemmer.stemmer("indonesian"),
    "en": snowballstemmer.stemmer("english"),
}
# PostgreSQL's English configuration drops stop words; these are the commonest of its list.
_ENGLISH_STOP = frozenset(
    {"a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "from", "in", "into", "on", "to", "with"}
    | {"about", "as", "is", "are", "was", "were", "be", "been", "this", "that", "these", "those", "it", "its"}
    | {"they", "them", "their", "he", "she", "his", "her", "we", "our", "you", "your", "i"}
)


def _baseline_words(text: str) -> list[str]:
    # Like PostgreSQL's default parser, a hyphenated word gives the compound and its parts.
    words = []
    for compound in _COMPOUND.findall(text.lower()):
        parts = _WORD.findall(compound)
        if len(parts) > 1:
            words.append(compound)
        words.extend(parts)
    return words


def baseline_analyze(text: str, language: str | None = None) -> list[str]:
    """Lower-casing, a split at anything that is not a word character (so at Arabic diacritics,
    like SQLite's tokenizers; a hyphenated word also stays whole, like PostgreSQL's parser), and
    Snowball: Arabic for Arabic script, else the text's language (Indonesian for Malay), English
    stop words dropped. No normalisation of our own."""
    terms = []
    latin = _SNOWBALL["ms" if language == "ms" else "en"]
    for word in _baseline_words(text):
        if "\u0600" <= word[0] <= "\u08ff" or "\ufb50" <= word[0] <= "\ufeff":
            term = _SNOWBALL["ar"].stemWord(word)
        elif word in _ENGLISH_STOP and language != "ms":
            continue
        else:
            term = latin.stemWord(word)
        if term:
            terms.append(term)
    return terms


def tansiq_analyze(text: str, language: str | None = None) -> list[str]:
    from tansiq.core.text import analyze

    return analyze(text, language)


# --- BM25 ---------------------------------------------------------------------------------------


class Index:
    """In-memory BM25 (k1=1.2, b=0.75) over ``title + body``; every query term must match."""

    def __init__(self, documents: Iterable[Document], analyzer: Analyzer, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.postings: dict[str, dict[str, int]] = defaultdict(dict)
        self.lengths: dict[str, int] = {}
        for doc in documents:
            terms = analyzer(f"{doc.title}\n{doc.body}", doc.language)
            self.lengths[doc.id] = len(terms)
            for term, count in Counter(terms).items():
                self.postings[term][doc.id] = count
        self.average = sum(self.lengths.values()) / max(len(self.lengths), 1)

    def search(self, terms: list[str], limit: int = 20) -> list[str]:
        terms = list(dict.fromkeys(terms))
        if not terms or any(term not in self.postings for term in terms):
            return []
        candidates = set.intersection(*(set(self.postings[term]) for term in terms))
        n = len(self.lengths)
        scores: dict[str, float] = defaultdict(float)
        for term in terms:
            posting = self.postings[term]
            idf = math.log(1 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
            for doc_id in candidates:
                tf = posting[doc_id]
                norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[doc_id] / self.average)
                scores[doc_id] += idf * tf * (self.k1 + 1) / norm
        return sorted(scores, key=lambda doc_id: (-scores[doc_id], doc_id))[:limit]


# --- metrics ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    recall_at_20: float
    precision_at_5: float
    queries: int


def evaluate(
    analyzer: Analyzer,
    *,
    query_language: Callable[[Query], str | None] = lambda query: None,
    documents: list[Document] | None = None,
    queries: list[Query] | None = None,
) -> dict[str, Score]:
    """Mean recall@20 and precision@5 per kind of variant, and over all queries ("all").

    precision@5 counts relevant documents among the first five out of min(5, number of relevant
    documents), so that a query with two relevant documents can score 1.0.
    """
    documents = load_documents() if documents is None else documents
    queries = load_queries() if queries is None else queries
    index = Index(documents, analyzer)
    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for query in queries:
        ranked = index.search(analyzer(query.text, query_language(query)), limit=20)
        recall = len(query.relevant & set(ranked)) / len(query.relevant)
        precision = len(query.relevant & set(ranked[:5])) / min(5, len(query.relevant))
        per_kind[query.kind].append((recall, precision))
        per_kind["all"].append((recall, precision))
    return {
        kind: Score(
            recall_at_20=sum(r for r, _ in values) / len(values),
            precision_at_5=sum(p for _, p in values) / len(values),
            queries=len(values),
        )
        for kind, values in per_kind.items()
    }


def misses(analyzer: Analyzer, query_language: Callable[[Query], str | None] = lambda query: None) -> list[str]:
    """What a query did not find, for tuning: one line per query with a missed relevant document."""
    index = Index(load_documents(), analyzer)
    lines = []
    for query in load_queries():
        terms = analyzer(query.text, query_language(query))
        ranked = index.search(terms, limit=20)
        missed = sorted(query.relevant - set(ranked))
        wrong = [doc_id for doc_id in ranked[:5] if doc_id not in query.relevant]
        if missed or wrong:
            lines.append(f"{query.id}: {query.text!r} -> {terms}; missed {missed}; wrong in top 5 {wrong}")
    return lines


def table(results: dict[str, dict[str, Score]]) -> str:
    """A Markdown table: one row per kind, recall@20 / precision@5 per analyser."""
    names = list(results)
    kinds = [kind for kind in next(iter(results.values())) if kind != "all"] + ["all"]
    header = "| kind | queries | " + " | ".join(f"{name} R@20 / P@5" for name in names) + " |"
    lines = [header, "|" + " --- |" * (2 + len(names))]
    for kind in kinds:
        cells = [f"{results[name][kind].recall_at_20:.2f} / {results[name][kind].precision_at_5:.2f}" for name in names]
        lines.append(f"| {kind} | {results[names[0]][kind].queries} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def throughput(repeat: int = 5) -> tuple[int, float, float]:
    """Tokens analysed per second over the seed passages: (tokens, cold rate, warm rate)."""
    from tansiq.core.text import analyze, tokenize
    from tansiq.core.text.analyze import clear_caches
    from tansiq.core.text.arabic import stem_arabic
    from tansiq.core.text.english import stem_english
    from tansiq.core.text.malay import stem_malay

    texts = [(f"{doc.title}\n{doc.body}", doc.language) for doc in load_documents() if doc.id.startswith("s")]
    tokens = sum(len(tokenize(text)) for text, _ in texts)
    clear_caches()
    for cached in (stem_arabic, stem_malay, stem_english):
        cached.cache_clear()
    start = time.perf_counter()
    for text, language in texts:
        analyze(text, language)
    cold = tokens / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(repeat):
        for text, language in texts:
            analyze(text, language)
    warm = tokens * repeat / (time.perf_counter() - start)
    return tokens, cold, warm


# --- PostgreSQL's built-in configurations, and Tansiq's PostgreSQL backend -------------------------

# What a PostgreSQL deployment without Tansiq's analyser would use: one configuration for all text,
# or each text's own language (Malay with the Indonesian Snowball stemmer, the closest there is).
POSTGRES_CONFIGURATIONS: dict[str, str | dict[str, str]] = {
    "pg arabic": "arabic",
    "pg indonesian": "indonesian",
    "pg english": "english",
    "pg simple": "simple",
    "pg by language": {"ar": "arabic", "ms": "indonesian", "en": "english"},
}


def _rank(scored: dict[str, list[tuple[float, str]]], query: Query, per_kind) -> None:
    ranked = [doc_id for _score, doc_id in sorted(scored.get(query.id, []), key=lambda item: (-item[0], item[1]))]
    recall = len(query.relevant & set(ranked[:20])) / len(query.relevant)
    precision = len(query.relevant & set(ranked[:5])) / min(5, len(query.relevant))
    per_kind[query.kind].append((recall, precision))
    per_kind["all"].append((recall, precision))


def _scores(per_kind) -> dict[str, Score]:
    return {
        kind: Score(
            recall_at_20=sum(r for r, _ in values) / len(values),
            precision_at_5=sum(p for _, p in values) / len(values),
            queries=len(values),
        )
        for kind, values in per_kind.items()
    }


def evaluate_postgres(url: str) -> dict[str, dict[str, Score]]:
    """``compare_on_postgres`` on a server of its own (``python -m tests.search.relevance --postgres``)."""
    import psycopg

    from tansiq.core.search.backends import postgres

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(postgres.INSTALL_SQL[0])  # search_terms_vector(), as the product installs it

        def execute(sql: str, params: tuple = ()) -> list[tuple]:
            cursor = db.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

        return compare_on_postgres(execute)


def compare_on_postgres(execute: Callable[..., list[tuple]]) -> dict[str, dict[str, Score]]:
    """Recall@20 and precision@5 of PostgreSQL's own full-text search with each built-in
    configuration (``to_tsvector`` over title and body, ``plainto_tsquery``: every word required,
    ranked by ``ts_rank_cd``), and of Tansiq's PostgreSQL backend (the analyser's terms in a
    tsvector, the query parsed by ``tansiq.core.search``), on the same server, in the same run.

    ``execute(sql, params)`` runs one statement on a connection whose database has Tansiq's
    ``search_terms_vector`` function and returns its rows; the documents go into a temporary table.
    """
    from tansiq.core.search.backends import postgres
    from tansiq.core.search.parsing import parse

    documents, queries = load_documents(), load_queries()
    backend = postgres.PostgresBackend()
    results: dict[str, dict[str, Score]] = {}
    execute(
        "CREATE TEMPORARY TABLE relevance (id text PRIMARY KEY, language text, title text, body text, "
        "title_terms text, body_terms text)"
    )
    for doc in documents:
        execute(
            "INSERT INTO relevance VALUES (%s, %s, %s, %s, %s, %s)",
            (
                doc.id,
                doc.language,
                doc.title,
                doc.body,
                " ".join(tansiq_analyze(doc.title, doc.language)),
                " ".join(tansiq_analyze(doc.body, doc.language)),
            ),
        )
    try:
        for name, configuration in POSTGRES_CONFIGURATIONS.items():
            if isinstance(configuration, str):
                vector = f"to_tsvector('{configuration}', title || ' ' || body)"
            else:
                cases = " ".join(f"WHEN '{lang}' THEN '{config}'" for lang, config in configuration.items())
                vector = f"to_tsvector((CASE language {cases} END)::regconfig, title || ' ' || body)"
            per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
            for query in queries:
                config = configuration if isinstance(configuration, str) else configuration[query.language]
                rows = execute(
                    f"SELECT ts_rank_cd({vector}, q), id FROM relevance, plainto_tsquery(%s::regconfig, %s) q "
                    f"WHERE {vector} @@ q",
                    (config, query.text),
                )
                _rank({query.id: [(float(score), doc_id) for score, doc_id in rows]}, query, per_kind)
            results[name] = _scores(per_kind)
        vector = "search_terms_vector(title_terms, 'A', 1) || search_terms_vector(body_terms, 'B', 2)"
        per_kind = defaultdict(list)
        for query in queries:
            parsed = parse(query.text)
            rows = (
                []
                if parsed.is_empty
                else execute(
                    f"SELECT ts_rank_cd('{postgres.WEIGHTS}', {vector}, q, {postgres.NORMALISATION}), id "
                    f"FROM relevance, CAST(%s AS tsquery) q WHERE {vector} @@ q",
                    (backend.match(parsed),),
                )
            )
            _rank({query.id: [(float(score), doc_id) for score, doc_id in rows]}, query, per_kind)
        results["Tansiq on pg"] = _scores(per_kind)
    finally:
        execute("DROP TABLE relevance")
    return results


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.search.relevance", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="also measure PostgreSQL's built-in configurations and Tansiq's PostgreSQL backend "
        "on a temporary server (tests/postgres_server.py)",
    )
    args = parser.parse_args(argv)
    results = {
        "Tansiq": evaluate(tansiq_analyze),
        "baseline": evaluate(baseline_analyze, query_language=lambda query: query.language),
    }
    if args.postgres:
        from tests.postgres_server import running_postgres

        with running_postgres() as url:
            results.update(evaluate_postgres(url))
    print(table(results))
    tokens, cold, warm = throughput()
    print(f"\nanalyze(): {tokens} tokens of seed text; {cold:,.0f} tokens/s with empty caches, {warm:,.0f} warm")


if __name__ == "__main__":
    main()
