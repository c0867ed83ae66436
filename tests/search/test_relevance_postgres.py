"""On PostgreSQL, Tansiq is measured against the database's own full-text configurations in the same
run: `arabic`, `indonesian` (the nearest to Malay), `english`, `simple` and one per language. It
must stay clearly ahead of the best of them on every kind of spelling variant.

Runs only when the suite runs on PostgreSQL (``make test-postgres``); the same comparison is printed
by ``python -m tests.search.relevance --postgres``."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.search.relevance import POSTGRES_CONFIGURATIONS, compare_on_postgres
from tests.search.test_relevance import CLEARLY_AHEAD, VARIANT_KINDS


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's built-in configurations are measured when the suite runs on PostgreSQL")
    with django_db_blocker.unblock(), connection.cursor() as cursor:

        def execute(sql: str, params: tuple = ()) -> list[tuple]:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

        return compare_on_postgres(execute)


@pytest.mark.parametrize("kind", VARIANT_KINDS)
def test_tansiq_is_clearly_ahead_of_every_postgresql_configuration(measured, kind):
    ours = measured["Tansiq on pg"][kind]
    for name in POSTGRES_CONFIGURATIONS:
        theirs = measured[name][kind]
        assert ours.recall_at_20 >= theirs.recall_at_20 + CLEARLY_AHEAD, (name, ours, theirs)
        assert ours.precision_at_5 >= theirs.precision_at_5, (name, ours, theirs)


def test_tansiq_loses_nothing_to_postgresql_on_plain_queries(measured):
    ours = measured["Tansiq on pg"]["plain"]
    for name in POSTGRES_CONFIGURATIONS:
        assert ours.recall_at_20 >= measured[name]["plain"].recall_at_20, name
        assert ours.precision_at_5 >= measured[name]["plain"].precision_at_5, name
