"""Tansiq's analyser finds what searchers mean, whichever way they spell it: measured on the
relevance set against an off-the-shelf baseline, with floors so that it cannot slide back."""

from __future__ import annotations

import functools

import pytest

from tests.search.relevance import (
    Score,
    baseline_analyze,
    evaluate,
    load_documents,
    load_queries,
    tansiq_analyze,
)

VARIANT_KINDS = (
    "hamza",
    "taa_marbuta",
    "alef_maqsura",
    "diacritics",
    "tatweel",
    "digits",
    "presentation_forms",
    "clitics",
    "malay_affixes",
    "reduplication",
    "english_inflection",
    "latin_folding",
    "keyboard_and_invisible",
)
# Measured values less a small margin: a change that lowers one of them is a regression.
FLOORS = {
    "hamza": (0.82, 0.82),
    "taa_marbuta": (0.90, 0.84),
    "alef_maqsura": (0.95, 0.95),
    "diacritics": (0.90, 0.90),
    "tatweel": (0.92, 0.95),
    "digits": (0.90, 0.90),
    "presentation_forms": (0.90, 0.92),
    "clitics": (0.85, 0.85),
    "malay_affixes": (0.88, 0.88),
    "reduplication": (0.95, 0.95),
    "english_inflection": (0.85, 0.85),
    "latin_folding": (0.95, 0.95),
    "keyboard_and_invisible": (0.88, 0.90),
    "plain": (0.95, 0.95),
    "all": (0.90, 0.90),
}
CLEARLY_AHEAD = 0.10  # recall@20, on every kind of variant


@functools.cache
def tansiq() -> dict[str, Score]:
    return evaluate(tansiq_analyze)


@functools.cache
def baseline() -> dict[str, Score]:
    # The baseline is told each query's language, as a per-language configuration would be; Tansiq
    # is not, as the search box does not know it.
    return evaluate(baseline_analyze, query_language=lambda query: query.language)


def test_relevance_set_covers_every_kind_in_every_language():
    documents = {doc.id: doc for doc in load_documents()}
    queries = load_queries()
    assert {doc.language for doc in documents.values()} == {"ar", "ms", "en"}
    assert {doc.id[:4] for doc in documents.values() if doc.id.startswith("s")} == {
        "s000",
        "s001",
        "s002",
        "s003",
        "s004",
    }
    assert len({query.id for query in queries}) == len(queries)
    for kind in (*VARIANT_KINDS, "plain"):
        of_kind = [query for query in queries if query.kind == kind]
        assert len(of_kind) >= 4, kind
        assert any(len(query.text.split()) == 1 for query in of_kind), f"{kind}: no single-word query"
        if kind not in ("latin_folding",):
            assert any(len(query.text.split()) > 1 for query in of_kind), f"{kind}: no multi-word query"
    assert {query.language for query in queries} == {"ar", "ms", "en"}
    for query in queries:
        assert query.relevant and query.relevant <= documents.keys(), query.id


@pytest.mark.parametrize("kind", VARIANT_KINDS)
def test_tansiq_is_clearly_ahead_of_the_baseline(kind):
    ours, theirs = tansiq()[kind], baseline()[kind]
    assert ours.recall_at_20 >= theirs.recall_at_20 + CLEARLY_AHEAD, (ours, theirs)
    assert ours.precision_at_5 >= theirs.precision_at_5, (ours, theirs)


def test_tansiq_loses_nothing_on_plain_queries():
    ours, theirs = tansiq()["plain"], baseline()["plain"]
    assert ours.recall_at_20 >= theirs.recall_at_20
    assert ours.precision_at_5 >= theirs.precision_at_5


@pytest.mark.parametrize("kind", [*FLOORS])
def test_tansiq_stays_above_its_floor(kind):
    recall_floor, precision_floor = FLOORS[kind]
    score = tansiq()[kind]
    assert score.recall_at_20 >= recall_floor, score
    assert score.precision_at_5 >= precision_floor, score
