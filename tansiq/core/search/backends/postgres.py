"""PostgreSQL: a narrow table of tsvectors built from the analysed columns, a GIN index over it.

``search_document_vector`` holds, for each document, the columns a search filters and counts on
and a tsvector built from ``title_terms`` (weight A) and ``body_terms`` (weight B). Triggers on
``search_document`` keep it in step on every insert, update, delete and truncate, whoever writes,
like FTS5's own tables on SQLite. It is a table of its own, not a column of ``search_document``,
because a search reads it row by row and ``search_document``'s rows carry the documents' text:
narrow rows are what make counting and ranking thousands of matches cheap.

The tsvector is built by ``search_terms_vector``, which turns the analyser's space-separated terms
into lexemes with their positions, exactly as written. That is the ``simple`` configuration's job
(no stemming, no stop words) without the text parser in front of it: the parser would split some
words again (at combining marks of other scripts, depending on the server's locale), and the two
databases would no longer see the same terms.

Body positions start one after the title's last, plus one, so a phrase never spans the two (as in
FTS5, where they are separate columns). PostgreSQL keeps at most 256 positions of one lexeme per
document and none past 16 383; the analyser's side caps documents so that phrases stay comparable
(``services.MAX_INDEXED_TERMS``).

Ranking is ``ts_rank_cd`` with the title's weight above the body's, normalised by document length.
"""

from __future__ import annotations

import math
import time

from django.db import transaction

from tansiq.core.search.backends import Backend
from tansiq.core.search.parsing import Phrase

WEIGHTS = "{0.1, 0.2, 0.25, 1.0}"  # D, C, B (body), A (title)
NORMALISATION = 1  # divide by 1 + log(length)

INSTALL_SQL = (
    """
    CREATE OR REPLACE FUNCTION search_terms_vector(terms text, weight "char", first_position integer)
    RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT setweight(coalesce(string_agg(
            '''' || replace(replace(term, '\\', '\\\\'), '''', '''''') || ''':'
                || least(position + first_position - 1, 16383)::text,
            ' '), '')::tsvector, weight)
        FROM unnest(string_to_array(terms, ' ')) WITH ORDINALITY AS t(term, position)
        WHERE term <> ''
    $$
    """,
    """
    CREATE TABLE IF NOT EXISTS search_document_vector (
        id bigint PRIMARY KEY,
        visibility varchar(12) NOT NULL,
        network_id bigint,
        organisation_id bigint,
        kind varchar(50) NOT NULL,
        country varchar(2) NOT NULL,
        language varchar(8) NOT NULL,
        date date,
        vector tsvector NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS search_document_vector_gin ON search_document_vector USING gin (vector)",
    """
    CREATE OR REPLACE FUNCTION search_document_vector_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM search_document_vector WHERE id = OLD.id;
            RETURN OLD;
        END IF;
        INSERT INTO search_document_vector
            (id, visibility, network_id, organisation_id, kind, country, language, date, vector)
        VALUES (
            NEW.id, NEW.visibility, NEW.network_id, NEW.organisation_id, NEW.kind, NEW.country, NEW.language,
            NEW.date,
            search_terms_vector(NEW.title_terms, 'A', 1) || search_terms_vector(NEW.body_terms, 'B', 2)
        )
        ON CONFLICT (id) DO UPDATE SET
            visibility = EXCLUDED.visibility, network_id = EXCLUDED.network_id,
            organisation_id = EXCLUDED.organisation_id, kind = EXCLUDED.kind, country = EXCLUDED.country,
            language = EXCLUDED.language, date = EXCLUDED.date, vector = EXCLUDED.vector;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION search_document_vector_clear() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_document_vector;
        RETURN NULL;
    END
    $$
    """,
    "CREATE OR REPLACE TRIGGER search_document_vector_sync AFTER INSERT OR UPDATE OR DELETE ON search_document "
    "FOR EACH ROW EXECUTE FUNCTION search_document_vector_sync()",
    "CREATE OR REPLACE TRIGGER search_document_vector_clear AFTER TRUNCATE ON search_document "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_document_vector_clear()",
)
UNINSTALL_SQL = (
    "DROP TRIGGER IF EXISTS search_document_vector_clear ON search_document",
    "DROP TRIGGER IF EXISTS search_document_vector_sync ON search_document",
    "DROP FUNCTION IF EXISTS search_document_vector_clear()",
    "DROP FUNCTION IF EXISTS search_document_vector_sync()",
    "DROP TABLE IF EXISTS search_document_vector",
    'DROP FUNCTION IF EXISTS search_terms_vector(text, "char", integer)',
)


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase(phrase: Phrase) -> str:
    parts = [_quote(term.text) + (":*" if term.prefix else "") for term in phrase.terms]
    return "(" + " <-> ".join(parts) + ")"


class PostgresBackend(Backend):
    vendor = "postgresql"
    install_sql = INSTALL_SQL
    uninstall_sql = UNINSTALL_SQL

    def match(self, query) -> str:
        required = " & ".join(
            "(" + " | ".join(_phrase(phrase) for phrase in alternatives.phrases) + ")"
            for alternatives in query.required
        )
        for phrase in query.excluded:
            required += f" & !{_phrase(phrase)}"
        return required

    # The newest matches come either from the GIN index (every match visited, then sorted) or from
    # the primary key read backwards, checking each row until enough match. The first costs ~1.3 µs
    # a match, the second ~0.3 µs a row read. The planner misjudges both sides of the line (it
    # takes the words of a query as independent, which they are not), so the choice is made here
    # from the column statistics: "rare" visits the matches, "frequent" reads backwards.

    def plan(self, connection, query, limit: int) -> str:
        rows, frequencies, floor = self._frequencies(connection)
        if rows < 10_000 or not frequencies:
            return ""  # small or never analysed: the planner's choice is as good
        estimate = self._estimate(query, frequencies, floor)
        if estimate is None:
            return ""  # a prefix: its frequency is unknown
        # Visiting every match beats reading backwards below sqrt(0.23 × limit × rows) matches.
        return "rare" if estimate * rows <= (0.23 * limit * rows) ** 0.5 else "frequent"

    def execute(self, connection, sql, params, plan):
        if plan != "frequent":
            return super().execute(connection, sql, params, plan)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off")
            cursor.execute(sql, params)
            return cursor.fetchall()

    def candidates(self, query, conditions, params, limit, *, ranked, plan=""):
        order = "d.id + 0 DESC" if plan == "rare" else "d.id DESC"  # + 0: not the primary key's order
        newest = (
            "SELECT d.id, d.kind, d.country FROM search_document_vector d "  # noqa: S608
            f"WHERE d.vector @@ %s::tsquery AND {conditions} ORDER BY {order} LIMIT %s"
        )
        if not ranked:
            sql = f"SELECT w.id AS id, w.kind AS kind, w.country AS country, 0 AS score FROM ({newest}) w"  # noqa: S608
            return sql, [self.match(query), *params, limit]
        sql = (
            "SELECT w.id AS id, w.kind AS kind, w.country AS country, "  # noqa: S608
            f"ts_rank_cd('{WEIGHTS}', v.vector, %s::tsquery, {NORMALISATION}) AS score "
            f"FROM ({newest}) w JOIN search_document_vector v ON v.id = w.id"
        )
        return sql, [self.match(query), self.match(query), *params, limit]

    # -- which way to the newest matches -----------------------------------------------------------

    STATISTICS_SECONDS = 300
    _statistics: dict[str, tuple[float, float, dict[str, float], float]] = {}

    @staticmethod
    def _estimate(query, frequencies: dict[str, float], floor: float) -> float | None:
        """The share of documents that match ``query``, from the frequencies of its lexemes."""
        groups = []
        for alternatives in query.required:
            group = 0.0
            for phrase in alternatives.phrases:
                if any(term.prefix for term in phrase.terms):
                    return None
                # A lexeme not among the most common is rarer than the least common of them.
                group += min(frequencies.get(term.text, floor) for term in phrase.terms)
            groups.append(min(group, 1.0))
        # Words of one query go together more often than chance: between independence (the product)
        # and full overlap (the rarest), the rarest times the square root of the others.
        groups.sort()
        return groups[0] * math.prod(groups[1:]) ** 0.5

    def _frequencies(self, connection) -> tuple[float, dict[str, float], float]:
        cached = self._statistics.get(connection.alias)
        if cached is not None and time.monotonic() - cached[0] < self.STATISTICS_SECONDS:
            return cached[1], cached[2], cached[3]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs "
                "FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = c.relname AND s.attname = 'vector' "
                "WHERE c.relname = 'search_document_vector' AND c.relkind = 'r'"
            )
            row = cursor.fetchone()
        rows, lexemes, freqs = row or (0, None, None)
        frequencies = dict(zip(lexemes or [], freqs or [], strict=False))
        # A lexeme not among the most common is rarer than the least common of them.
        floor = min(frequencies.values()) if frequencies else 0.0
        self._statistics[connection.alias] = (time.monotonic(), float(rows or 0), frequencies, floor)
        return float(rows or 0), frequencies, floor

    def optimize(self, connection) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")
            cursor.execute("ANALYZE search_document_vector")
