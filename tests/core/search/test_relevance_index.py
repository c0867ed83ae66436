"""The relevance set through the real index: what the analyser achieves in memory, the database
search keeps, on SQLite and on PostgreSQL alike (ranking differs a little between BM25 and
ts_rank_cd; matching does not)."""

from __future__ import annotations

from collections import defaultdict

from tansiq.core.search import search
from tests.core.search.reference import index_relevance_set
from tests.search.relevance import evaluate, load_queries, tansiq_analyze

# Less than the in-memory figures by a margin for ranking differences; both databases must pass.
RECALL_FLOOR = 0.90
PRECISION_FLOOR = 0.90


def through_the_index() -> dict[str, tuple[float, float]]:
    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for query in load_queries():
        ranked = [hit.key for hit in search(query.text, limit=20).hits]
        recall = len(query.relevant & set(ranked)) / len(query.relevant)
        precision = len(query.relevant & set(ranked[:5])) / min(5, len(query.relevant))
        per_kind[query.kind].append((recall, precision))
        per_kind["all"].append((recall, precision))
    return {
        kind: (sum(r for r, _ in values) / len(values), sum(p for _, p in values) / len(values))
        for kind, values in per_kind.items()
    }


def test_the_database_search_finds_what_the_analyser_finds(db):
    index_relevance_set()
    measured = through_the_index()
    in_memory = evaluate(tansiq_analyze)
    recall, precision = measured["all"]
    assert recall >= RECALL_FLOOR and precision >= PRECISION_FLOOR, measured
    # Every document the in-memory evaluation matches, the index matches: recall is the same.
    for kind, (kind_recall, _) in measured.items():
        assert abs(kind_recall - in_memory[kind].recall_at_20) < 0.02, (kind, kind_recall, in_memory[kind])
