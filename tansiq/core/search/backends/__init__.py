"""Full-text search on the database Tansiq runs on: SQLite FTS5 or PostgreSQL's tsvector.

Both match the same analysed terms (``SearchDocument.title_terms``/``body_terms``), which the
analyser wrote, so both give the same answers; neither parses, stems or folds anything itself.
Each backend only turns a ``ParsedQuery`` into its own query syntax (quoting every term) and
ranks: BM25 on SQLite, ``ts_rank_cd`` with weights on PostgreSQL, title above body on both.

Who may see a document is part of the SQL (``visibility_clause``), so a page, its total and its
facet counts never include what the reader may not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, migrations

from tansiq.core.search.parsing import ParsedQuery


@dataclass(frozen=True)
class Audience:
    """Who is searching: platform staff or not, and the networks and organisations they belong to."""

    staff: bool = False
    network_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()


PUBLIC = Audience()

# Columns a search row carries, in order (``Backend.page`` returns tuples of these plus the score).
COLUMNS = ("id", "kind", "key", "title", "body", "url", "language", "country", "date")


def visibility_clause(audience: Audience) -> tuple[str, list[Any]]:
    parts = ["d.visibility = 'public'"]
    params: list[Any] = []
    if audience.staff:
        parts.append("d.visibility = 'staff'")
    if audience.network_ids:
        ids = sorted(audience.network_ids)
        parts.append(f"(d.visibility = 'network' AND d.network_id IN ({', '.join(['%s'] * len(ids))}))")
        params += ids
    if audience.organisation_ids:
        ids = sorted(audience.organisation_ids)
        parts.append(f"(d.visibility = 'organisation' AND d.organisation_id IN ({', '.join(['%s'] * len(ids))}))")
        params += ids
    return "(" + " OR ".join(parts) + ")", params


FILTERS = {
    # name: (SQL with one placeholder, or a list-taking callable)
    "language": "d.language = %s",
    "network_id": "d.network_id = %s",
    "organisation_id": "d.organisation_id = %s",
    "date_from": "d.date >= %s",
    "date_to": "d.date <= %s",
    "country": "d.country = %s",
}


def filter_clause(kinds: Sequence[str] | None, filters: dict[str, Any]) -> tuple[str, list[Any]]:
    """Conditions every counted document meets (``kinds`` and every filter but the facets')."""
    parts: list[str] = []
    params: list[Any] = []
    if kinds is not None:
        kinds = sorted(set(kinds))
        if not kinds:
            return "1 = 0", []
        parts.append(f"d.kind IN ({', '.join(['%s'] * len(kinds))})")
        params += kinds
    for name, value in sorted(filters.items()):
        if value in (None, ""):
            continue
        parts.append(FILTERS[name])
        params.append(value)
    return " AND ".join(parts) or "1 = 1", params


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


class Backend:
    """One database's full-text search. A search is one statement: the visible matches are
    collected once (``matches``), then grouped for the facet counts and ranked for the page."""

    vendor = ""
    install_sql: Sequence[str] = ()
    uninstall_sql: Sequence[str] = ()

    def match(self, query: ParsedQuery) -> str:
        """The query in the database's own syntax, every term quoted."""
        raise NotImplementedError

    def plan(self, connection, query: ParsedQuery, limit: int) -> Any:
        """What ``candidates`` needs to know about the index to find the newest matches (None: nothing)."""
        return None

    def candidates(
        self, query: ParsedQuery, conditions: str, params: list[Any], limit: int, *, ranked: bool, plan: Any = None
    ) -> tuple[str, list[Any]]:
        """SQL selecting ``id, kind, country, score`` of the newest ``limit`` documents (highest id)
        that match and meet ``conditions`` (over ``d``, with ``params``); ``score`` is the rank
        (higher is better) when ``ranked``. Both databases can stop at ``limit`` without visiting
        the other matches, which keeps a search over a frequent word as fast as over a rare one."""
        raise NotImplementedError

    def search(
        self,
        connection,
        query: ParsedQuery,
        audience: Audience,
        *,
        kinds: Sequence[str] | None,
        filters: dict[str, Any],
        selected_kinds: Sequence[str],
        selected_countries: Sequence[str],
        limit: int,
        offset: int,
        window: int,
    ) -> Found:
        """One page of hits in rank order, with the total and the facet counts, in one statement.

        Counting and ranking consider the newest ``window`` visible matches: an exact answer for
        any query that matches fewer, the newest ``window`` of the rest (``Found.more``). The
        selected kinds and countries narrow the page and the total but not the facet counts, which
        show the other choices too.
        """
        visible, visible_params = visibility_clause(audience)
        narrowed, narrowed_params = filter_clause(kinds, filters)
        base, base_params = f"{visible} AND {narrowed}", [*visible_params, *narrowed_params]
        selection: list[str] = []
        selection_params: list[Any] = []
        for column, values in (("d.kind", selected_kinds), ("d.country", selected_countries)):
            if values:
                sql, params = _in(column, values)
                selection.append(sql)
                selection_params += params
        columns = ", ".join(f"d.{column}" for column in COLUMNS)
        plan = self.plan(connection, query, window + 1)

        def page(source: str) -> str:
            return (
                f"SELECT 1, {columns}, p.score, NULL FROM (SELECT id, score FROM {source} "  # noqa: S608
                "ORDER BY score DESC, id LIMIT %s OFFSET %s) p JOIN search_document d ON d.id = p.id"
            )

        def facets(source: str) -> str:
            return (
                "SELECT 2, NULL, kind, NULL, NULL, NULL, NULL, NULL, country, NULL, NULL, COUNT(*) "  # noqa: S608
                f"FROM {source} GROUP BY kind, country"
            )

        def total(source: str) -> str:
            return f"SELECT 3, {', '.join(['NULL'] * (len(COLUMNS) + 1))}, COUNT(*) FROM {source}"  # noqa: S608

        # A window fetches one match more than it keeps: that one says whether there are more.
        keep = "SELECT * FROM {} ORDER BY id DESC LIMIT %s"
        order = f" ORDER BY 1, {len(COLUMNS) + 2} DESC, 2"
        if not selection:
            matches, params = self.candidates(query, base, base_params, window + 1, ranked=True, plan=plan)
            sql = (
                f"WITH m AS MATERIALIZED ({matches}), w AS ({keep.format('m')}) "
                f"{page('w')} UNION ALL {facets('w')} UNION ALL {total('m')}{order}"
            )
            params += [window, limit, offset]
        else:
            everything, params = self.candidates(query, base, base_params, window + 1, ranked=False, plan=plan)
            chosen_where = f"{base} AND {' AND '.join(selection)}"
            chosen, chosen_params = self.candidates(
                query, chosen_where, [*base_params, *selection_params], window + 1, ranked=True, plan=plan
            )
            sql = (
                f"WITH m AS MATERIALIZED ({everything}), w AS ({keep.format('m')}), "
                f"s AS MATERIALIZED ({chosen}), ws AS ({keep.format('s')}) "
                f"{page('ws')} UNION ALL {facets('w')} UNION ALL {total('s')}{order}"
            )
            params += [window, *chosen_params, window, limit, offset]
        rows = self.execute(connection, sql, params, plan)
        counts = [(row[2], row[8] or "", row[-1]) for row in rows if row[0] == 2]
        matched = next(row[-1] for row in rows if row[0] == 3)
        return Found(
            hits=[row[1:-1] for row in rows if row[0] == 1],
            counts=counts,
            total=min(matched, window),
            more=matched > window,
        )

    def execute(self, connection, sql: str, params: list[Any], plan: Any) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def optimize(self, connection) -> None:
        """After a full rebuild: let the database tidy its index."""


@dataclass
class Found:
    hits: list[tuple]  # COLUMNS and the score, in rank order
    counts: list[tuple[str, str, int]]  # (kind, country, number) among the counted matches
    total: int
    more: bool  # more matches than the window: the newest were counted and ranked


def backend_for(connection) -> Backend:
    from tansiq.core.search.backends.postgres import PostgresBackend
    from tansiq.core.search.backends.sqlite import SQLiteBackend

    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    raise NotImplementedError(f"Search has no backend for {connection.vendor}")


def install(connection) -> None:
    with connection.cursor() as cursor:
        for statement in backend_for(connection).install_sql:
            cursor.execute(statement)


def install_after_migrate(sender=None, using="default", **kwargs) -> None:
    connection = connections[using]
    if "search_document" in connection.introspection.table_names():
        install(connection)


class RunSQLOn(migrations.RunSQL):
    """RunSQL that runs only on one database vendor (FTS5 is SQLite's, tsvector PostgreSQL's)."""

    def __init__(self, vendor: str, sql, reverse_sql=None, **kwargs) -> None:
        self.vendor = vendor
        super().__init__(sql, reverse_sql, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)
