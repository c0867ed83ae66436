"""Search: index build time and size, p95 latency of queries, re-indexing one document.

Budget (DESIGN.md): search over 1 M indexed documents, p95 ≤ 30 ms; re-indexing one changed
document ≤ 20 ms (issue 4). For each database, a worker process (``python -m benchmarks.search
--worker``, so that Django is set up for that database alone) migrates a fresh database, indexes a
synthetic multilingual corpus through ``tansiq.core.search.index_documents`` (1 000 000 documents,
50 000 with ``--quick``; ``TANSIQ_BENCH_SEARCH_DOCUMENTS`` overrides), then times:

- ``search()`` as a visitor, first page of 20 with snippets and facet counts, for one-, two- and
  three-word queries in Arabic, Malay and English (200 of each, 60 with ``--quick``), and for names
  typed as-you-type (the last word a prefix);
- ``index_document()`` of an existing document whose text changed (200 times).

The corpus is generated deterministically (``Corpus``): word chains learnt from the relevance
set's passages (the seed texts and the documents written for it, in ar/ms/en) and, for English,
from ``benchmarks/data/en-prose.txt`` (paragraphs of Tansiq's documentation, pinned so that editing
the docs does not change the corpus); a Zipf-distributed long tail from the analyser's word lists
(``tansiq/core/text/data/lexicon``); people's names from ``tansiq/demo/people.py``; kinds,
countries, dates and visibilities (88 % public) spread like a network's. Queries are runs of
consecutive words of randomly chosen documents, so common words are queried as often as they are
written: the hard case for a ranked search, since a frequent word matches tens of thousands of
documents, of which the search must find the newest without visiting them all.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from benchmarks._harness import REPO_DIR, Context, Metric, Result, percentile, run_worker

NAME = "search"
DOCUMENTS = 1_000_000
QUICK_DOCUMENTS = 50_000
BUDGET_MS = 30.0
REINDEX_BUDGET_MS = 20.0
LANGUAGES = ("ar", "ms", "en")
SHARES = (("ar", 0.5), ("ms", 0.3), ("en", 0.2))
WORDS = (1, 2, 3)
KINDS = ("organisation", "event", "incident", "news", "opportunity", "need", "resolution", "statement")
COUNTRIES = (
    "SA",
    "MY",
    "EG",
    "TR",
    "ID",
    "PK",
    "MA",
    "JO",
    "QA",
    "AE",
    "KW",
    "SD",
    "NG",
    "SN",
    "SO",
    "BD",
    "GB",
    "FR",
    "DE",
    "US",
)
TAIL_SHARE = 0.15  # of the words of a text, drawn from the long tail


def _metrics() -> list[Metric]:
    metrics = [
        Metric("search: index build", "s", None),
        Metric("search: index size", "MB", None),
    ]
    for language in LANGUAGES:
        for words in WORDS:
            metrics.append(Metric(f"search: {language}, {words}-word queries, p95", "ms", BUDGET_MS))
    metrics.append(Metric("search: names as you type, p95", "ms", BUDGET_MS))
    metrics.append(Metric("search: re-index one changed document, p95", "ms", REINDEX_BUDGET_MS))
    return metrics


def run(ctx: Context) -> list[Result]:
    size = int(os.environ.get("TANSIQ_BENCH_SEARCH_DOCUMENTS") or (QUICK_DOCUMENTS if ctx.quick else DOCUMENTS))
    queries = 60 if ctx.quick else 200
    return ctx.per_database(NAME, _metrics(), lambda database, url: _measure(ctx, database, url, size, queries))


def _measure(ctx: Context, database: str, url: str | None, size: int, queries: int) -> list[Result]:
    ctx.log(f"{NAME}/{database}: {size:,} documents, {queries} queries per group")
    report = run_worker(
        "benchmarks.search",
        ["--documents", str(size), "--queries", str(queries), "--label", f"{NAME}/{database}"],
        url=url,
        what="search",
        timeout=4 * 3600,
    )
    return _rows(database, report)


def _rows(database: str, report: dict) -> list[Result]:
    build = report["build"]
    rows = [
        Result.measured("search: index build", database, build["seconds"], "s", None, **build),
        Result.measured("search: index size", database, report["size"]["megabytes"], "MB", None, **report["size"]),
    ]
    rows[0].extra = f"{build['documents']:,} docs, {build['documents_per_second']:,.0f}/s"
    for group in report["queries"]:
        details = {key: value for key, value in group.items() if key != "what"}
        row = Result.measured(group["what"], database, group["p95_ms"], "ms", BUDGET_MS, **details)
        row.extra = f"p50 {group['p50_ms']:g} ms, median {group['median_total']:,} matches"
        rows.append(row)
    reindex = report["reindex"]
    row = Result.measured(
        "search: re-index one changed document, p95", database, reindex["p95_ms"], "ms", REINDEX_BUDGET_MS, **reindex
    )
    row.extra = f"p50 {reindex['p50_ms']:g} ms"
    rows.append(row)
    return rows


# --- the corpus ---------------------------------------------------------------------------------------


ENGLISH_PROSE = Path(__file__).parent / "data" / "en-prose.txt"


def _english_prose() -> list[str]:
    """Paragraphs of plausible English about the same work (a fixed snapshot of Tansiq's docs)."""
    lines = ENGLISH_PROSE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def _word_list(name: str) -> list[str]:
    path = REPO_DIR / "tansiq" / "core" / "text" / "data" / "lexicon" / name
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


class Chain:
    """Which word follows which in real text: texts that read like the language, not word salad."""

    def __init__(self, texts: list[str]) -> None:
        self.followers: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for text in texts:
            words = text.split()
            if not words:
                continue
            self.starts.append(words[0])
            for first, second in itertools.pairwise(words):
                self.followers[first].append(second)
                if first.endswith((".", "،", "؛", "!", "?", ":")):
                    self.starts.append(second)


class Corpus:
    """Deterministic documents in Arabic, Malay and English (``documents(n)``)."""

    def __init__(self, seed: int = 20261123) -> None:
        from tansiq.demo import people
        from tests.search.relevance import load_documents

        self.seed = seed
        texts: dict[str, list[str]] = defaultdict(list)
        for doc in load_documents():
            texts[doc.language] += [doc.title, *doc.body.split("\n")]
        texts["en"] += _english_prose()
        self.chains = {language: Chain(texts[language]) for language in LANGUAGES}
        shuffle = random.Random(seed)
        tails = {
            "ar": _word_list("ar-radical-initial-nouns.txt") + _word_list("ar-radical-initial-verbs.txt"),
            "ms": _word_list("ms-roots.txt") + _word_list("ms-roots-extra.txt"),
            "en": sorted({w.strip(".,;:()\"'").lower() for t in texts["en"] for w in t.split() if w.isascii()}),
        }
        for words in tails.values():
            shuffle.shuffle(words)
        self.tails = tails
        self.names = {
            language: [f"{given} {family}" for given in people.GIVEN[language] for family in people.FAMILY[language]]
            for language in LANGUAGES
        }
        for _email, name, language, *_rest in (*people.STAFF, *people.MEMBERS):
            self.names[language].append(name)

    def _tail(self, rng: random.Random, language: str) -> str:
        words = self.tails[language]
        return words[int(len(words) ** rng.random()) - 1]  # P(rank r) ∝ 1/r: Zipf

    def text(self, rng: random.Random, language: str, size: int) -> str:
        chain = self.chains[language]
        word = rng.choice(chain.starts)
        out = [word]
        while len(out) < size:
            if rng.random() < TAIL_SHARE:
                out.append(self._tail(rng, language))
                continue
            followers = chain.followers.get(word)
            word = rng.choice(followers) if followers else rng.choice(chain.starts)
            out.append(word)
        return " ".join(out)

    def document(self, number: int, version: int = 0) -> dict:
        rng = random.Random(self.seed * 1_000_003 + number * 7 + version)
        roll = rng.random()
        language = "ar" if roll < SHARES[0][1] else "ms" if roll < SHARES[0][1] + SHARES[1][1] else "en"
        title = self.text(rng, language, rng.randint(3, 8))
        body = self.text(rng, language, rng.randint(20, 70))
        if rng.random() < 0.4:
            name = rng.choice(self.names[language])
            title, body = (f"{name}: {title}", body) if rng.random() < 0.5 else (title, f"{body} {name}")
        visibility = rng.random()
        facets = {}
        if visibility < 0.88:
            facets["visibility"] = "public"
        elif visibility < 0.96:
            facets.update(visibility="network", network_id=rng.randint(1, 20))
        elif visibility < 0.99:
            facets.update(
                visibility="organisation", network_id=rng.randint(1, 20), organisation_id=rng.randint(1, 2000)
            )
        else:
            facets["visibility"] = "staff"
        return {
            "kind": KINDS[number % len(KINDS)],
            "key": str(number),
            "title": title,
            "body": body,
            "language": language,
            "url": f"/{language}/d/{number}/",
            "country": rng.choice(COUNTRIES),
            "date": f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            **facets,
        }

    def documents(self, count: int) -> Iterator[dict]:
        for number in range(count):
            yield self.document(number)


def queries(corpus: Corpus, documents: int, per_group: int, seed: int = 7) -> list[tuple[str, list[str], bool]]:
    """(group, query texts, as_you_type): runs of consecutive searchable words of random documents."""
    from tansiq.core.text import analyze

    rng = random.Random(seed)
    groups: dict[tuple[str, int], list[str]] = {(language, n): [] for language in LANGUAGES for n in WORDS}
    names: list[str] = []
    while any(len(found) < per_group for found in groups.values()) or len(names) < per_group:
        doc = corpus.document(rng.randrange(documents))
        language = doc["language"]
        words = [w.strip(".,،؛:;()«»\"'!?") for w in doc["body"].split()]
        words = [w for w in words if w and analyze(w, language)]
        n = rng.choice(WORDS)
        if len(groups[(language, n)]) < per_group and len(words) >= n:
            start = rng.randrange(len(words) - n + 1)
            groups[(language, n)].append(" ".join(words[start : start + n]))
        if len(names) < per_group and rng.random() < 0.2:
            name = rng.choice(corpus.names[rng.choice(LANGUAGES)]).split()
            cut = rng.randint(3, 5)
            names.append(" ".join([*name[:-1], name[-1][:cut]]) if len(name) > 1 else name[0][:cut])
    result = [(f"search: {language}, {n}-word queries, p95", texts, False) for (language, n), texts in groups.items()]
    result.append(("search: names as you type, p95", names, True))
    return result


# --- the worker (one database, one process) -------------------------------------------------------------


def _log(label: str, message: str) -> None:
    print(f"{label}: {message}", file=sys.stderr, flush=True)


def _size(connection) -> dict:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            path = Path(connection.settings_dict["NAME"])
            total = path.stat().st_size
            index = None
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_document_fts%'")
                index = cursor.fetchone()[0]
            except Exception:  # dbstat is a compile-time option of SQLite
                index = None
            return {"megabytes": round(total / 2**20, 1), "database_bytes": total, "fulltext_index_bytes": index}
        cursor.execute(
            "SELECT pg_total_relation_size('search_document'), pg_total_relation_size('search_document_vector'), "
            "pg_relation_size('search_document_vector_era_gin')"
        )
        documents, vectors, index = cursor.fetchone()
        total = documents + vectors
        return {
            "megabytes": round(total / 2**20, 1),
            "documents_bytes": documents,
            "vectors_bytes": vectors,
            "gin_index_bytes": index,
        }


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, value


def _summary(milliseconds: list[float]) -> dict:
    return {f"p{p}_ms": round(percentile(milliseconds, p), 2) for p in (50, 90, 95, 99, 100)}


def worker(documents: int, per_group: int, label: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from tansiq.core.search import services
    from tansiq.core.search.queries import search

    _log(label, "migrate")
    call_command("migrate", verbosity=0, interactive=False)
    corpus = Corpus()
    _log(label, f"indexing {documents:,} documents")
    started = time.perf_counter()
    stream = corpus.documents(documents)
    done = 0
    while done < documents:
        batch = [next(stream) for _ in range(min(10_000, documents - done))]
        with transaction.atomic():
            services.index_documents(batch, batch_size=2_000)
        done += len(batch)
        if done % 100_000 == 0 or done == documents:
            _log(label, f"{done:,} indexed, {done / (time.perf_counter() - started):,.0f} documents/s")
    indexed = time.perf_counter() - started
    tidy_started = time.perf_counter()
    services.optimize()  # what `tansiq reindex` does after a rebuild
    tidied = time.perf_counter() - tidy_started
    build = {
        "documents": documents,
        "seconds": round(indexed + tidied, 1),
        "indexing_seconds": round(indexed, 1),
        "optimize_seconds": round(tidied, 1),
        "documents_per_second": round(documents / (indexed + tidied)),
    }
    size = _size(connection)
    _log(label, f"built in {build['seconds']} s, {size['megabytes']} MB; querying")

    groups = queries(corpus, documents, per_group)
    for _group, texts, as_you_type in groups[:3]:  # warm the caches as a running server would be
        for text in texts[:20]:
            search(text, as_you_type=as_you_type)
    measured = []
    for what, texts, as_you_type in groups:
        times, totals = [], []
        for text in texts:
            elapsed, results = _timed(search, text, as_you_type=as_you_type)
            times.append(elapsed)
            totals.append(results.total)
        slowest = sorted(zip(times, texts, totals, strict=True), reverse=True)[:3]
        measured.append(
            {
                "what": what,
                "queries": len(texts),
                **_summary(times),
                "median_total": sorted(totals)[len(totals) // 2],
                "max_total": max(totals),
                "slowest": [{"ms": round(ms, 1), "query": q, "matches": n} for ms, q, n in slowest],
            }
        )
        figures = measured[-1]
        _log(label, f"{what.removeprefix('search: ')}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")

    rng = random.Random(11)
    times = []
    for attempt in range(200):
        changed = corpus.document(rng.randrange(documents), version=attempt + 1)
        changed.update(kind=KINDS[int(changed["key"]) % len(KINDS)])
        elapsed, _ = _timed(services.index_document, **changed)
        times.append(elapsed)
    reindex = {"documents": len(times), **_summary(times)}
    _log(label, f"re-index one document: p50 {reindex['p50_ms']} ms, p95 {reindex['p95_ms']} ms")
    return {"build": build, "size": size, "queries": measured, "reindex": reindex}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search")
    parser.add_argument("--worker", action="store_true", help="index and measure in this process (the runner's job)")
    parser.add_argument("--documents", type=int, default=QUICK_DOCUMENTS)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--label", default=NAME)
    args = parser.parse_args(argv)
    if not args.worker:
        parser.error("run the benchmark with `python -m benchmarks --only search`")
    report = worker(args.documents, args.queries, args.label)
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
