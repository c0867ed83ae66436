"""What each backend sends its database: quoted terms only, and on PostgreSQL the way to the newest
matches that the column statistics say is cheaper."""

from __future__ import annotations

import time

from tansiq.core.search.backends import PUBLIC, Audience, visibility_clause
from tansiq.core.search.backends.postgres import PostgresBackend
from tansiq.core.search.backends.sqlite import SQLiteBackend
from tansiq.core.search.parsing import parse

QUERY = 'youth "community service" volunt* OR NEAR -training'


def test_sqlite_receives_every_term_quoted_and_operators_of_its_own():
    assert SQLiteBackend().match(parse(QUERY)) == (
        '(("youth") AND ("communiti" + "servic") AND ("volunt"* OR "near")) NOT ("train")'
    )


def test_postgresql_receives_a_tsquery_of_quoted_lexemes():
    assert PostgresBackend().match(parse(QUERY)) == (
        "(('youth')) & (('communiti' <-> 'servic')) & (('volunt':*) | ('near')) & !('train')"
    )


def test_a_visitor_sees_public_documents_and_members_their_own_by_parameters():
    assert visibility_clause(PUBLIC) == ("(d.visibility = 'public')", [])
    sql, params = visibility_clause(Audience(staff=True, network_ids=frozenset({3}), organisation_ids=frozenset({9})))
    assert "d.visibility = 'staff'" in sql and params == [3, 9]


class FakeConnection:
    alias = "fake"


def with_statistics(rows: float, frequencies: dict[str, float]) -> PostgresBackend:
    backend = PostgresBackend()
    floor = min(frequencies.values())
    PostgresBackend._statistics["fake"] = (time.monotonic(), rows, frequencies, floor)
    return backend


def test_postgresql_visits_every_match_of_a_rare_word_and_reads_backwards_for_a_frequent_one():
    backend = with_statistics(1_000_000, {"badan": 0.2, "kerajaan": 0.1, "belia": 0.01, "dakwah": 0.001})
    try:
        connection = FakeConnection()

        def plan(text: str) -> str:
            return backend.plan(connection, parse(text), 1001)

        assert plan("badan") == "frequent"
        assert plan("dakwah") == "rare"
        assert plan("pertubuhan") == "rare"  # rarer than the least common word listed
        assert plan("badan dakwah") == "rare"
        assert plan("badan kerajaan") == "frequent"  # words of a query go together: not 2 %
        assert plan("badan OR kerajaan") == "frequent"
        assert plan("dakw*") == ""  # a prefix: unknown, the planner decides
        sql, _ = backend.candidates(parse("dakwah"), "1 = 1", [], 1001, ranked=False, plan="rare")
        assert "ORDER BY d.id + 0 DESC" in sql
        sql, _ = backend.candidates(parse("badan"), "1 = 1", [], 1001, ranked=False, plan="frequent")
        assert "ORDER BY d.id DESC" in sql
    finally:
        PostgresBackend._statistics.pop("fake", None)


def test_postgresql_without_statistics_leaves_the_choice_to_its_planner():
    backend = with_statistics(500, {"badan": 0.2})
    try:
        assert backend.plan(FakeConnection(), parse("badan"), 1001) == ""
    finally:
        PostgresBackend._statistics.pop("fake", None)
