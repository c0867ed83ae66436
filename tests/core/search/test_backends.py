"""What each backend sends its database: quoted terms only, and on PostgreSQL the windows of ids
(eras) in which the newest matches are looked for first."""

from __future__ import annotations

import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

from tansiq.core.search.backends import PUBLIC, Audience, postgres, visibility_clause
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


def era_ids(era: int) -> range:
    level, block = era >> 40, era & ((1 << 40) - 1)
    size = 1 << (postgres.ERA_BITS + postgres.ERA_STEP * level)
    return range(block * size, (block + 1) * size)


@given(st.integers(0, 2_000), st.integers(1, 2_000))
def test_eras_tile_a_range_of_ids_exactly_with_few_blocks(start, length):
    unit = postgres.FIRST_WINDOW
    low, high = start * unit, (start + length) * unit
    found = postgres.eras(low, high)
    covered = sorted((r.start, r.stop) for r in map(era_ids, found))
    assert covered[0][0] == low and covered[-1][1] == high
    assert all(stop == next_start for (_, stop), (next_start, _) in itertools.pairwise(covered))
    assert len(found) <= 2 * (1 << postgres.ERA_STEP) * postgres.ERA_LEVELS


@given(st.integers(0, 50_000_000))
def test_windows_cover_every_id_newest_first_each_twice_the_one_before(newest):
    found = [sorted((r.start, r.stop) for r in map(era_ids, window)) for window in postgres.windows(newest)]
    bounds = [(window[0][0], window[-1][1]) for window in found]
    assert bounds[0][0] <= newest < bounds[0][1] and bounds[-1][0] == 0
    assert all(low == next_high for (low, _), (_, next_high) in itertools.pairwise(bounds))
    sizes = [high - low for low, high in bounds]
    assert all(size == sizes[0] * 2 ** max(0, n - 1) for n, size in enumerate(sizes[:-1]))
    assert len(found) <= 2 + math.log2(max(newest, 1) / postgres.FIRST_WINDOW + 1)


def test_an_empty_index_has_no_window():
    assert postgres.windows(None) == []


def test_postgresql_asks_each_window_in_turn_for_its_newest_matches():
    backend = PostgresBackend()
    sql, params = backend.candidates(parse("dakwah"), "1 = 1", [], 1001, ranked=True, plan=[[7], [6, 5]])
    assert sql.count("d.era && %s::bigint[]") == 2 and sql.count("ORDER BY d.id + 0 DESC LIMIT %s") == 2
    assert [param for param in params if isinstance(param, list)] == [[7], [6, 5]]


class NoConnection:
    def cursor(self):
        raise AssertionError("a query with a prefix needs no window, so nothing is read")


def test_postgresql_reads_a_prefix_in_one_scan_and_lets_its_planner_choose_how():
    backend = PostgresBackend()
    plan = backend.plan(NoConnection(), parse("dakw*"), 1001)
    assert plan == [None]
    sql, _ = backend.candidates(parse("dakw*"), "1 = 1", [], 1001, ranked=False, plan=plan)
    assert "d.era" not in sql and "ORDER BY d.id DESC" in sql
