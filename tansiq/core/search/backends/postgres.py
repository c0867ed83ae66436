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

A search ranks and counts a query's newest matches (``Backend.search``), but a GIN index returns
matches in no useful order: taken alone, it makes every match of a frequent word be visited and
sorted (tens of thousands on a large index). So each row also carries its **eras**: the blocks of
consecutive ids it falls in, at a few sizes (4 096 ids, 16 384, … 16 777 216), as numbers in an
array column indexed in the same GIN index as the tsvector. A search asks the index for the
matches in the newest 4 096 ids, then in the next older window, each window twice the size of the
one before (written as the eras that tile it), and stops as soon as it has enough: the index
intersects the words with the window itself, so only matches inside the windows read are visited,
about as many as the search keeps, however frequent the word. A rare word reads every window, and
so visits each of its few matches once. The answer is exactly the newest matches, as on SQLite.
"""

from __future__ import annotations

from tansiq.core.search.backends import Backend
from tansiq.core.search.parsing import Phrase

WEIGHTS = "{0.1, 0.2, 0.25, 1.0}"  # D, C, B (body), A (title)
NORMALISATION = 1  # divide by 1 + log(length)

# Era sizes: 2^12 (4 096 ids) to 2^24, each level four times the one below. An era is the number
# (level << 40) | (id >> (ERA_BITS + ERA_STEP * level)): which block of its size the id falls in.
ERA_BITS = 12
ERA_STEP = 2
ERA_LEVELS = 7
FIRST_WINDOW = 1 << ERA_BITS  # ids read first; each following window twice the size of the one before
WINDOW_GROWTH = 2

ERAS_SQL = f"""
    CREATE OR REPLACE FUNCTION search_document_eras(id bigint)
    RETURNS bigint[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT array_agg((level::bigint << 40) | (id >> ({ERA_BITS} + {ERA_STEP} * level)) ORDER BY level)
        FROM generate_series(0, {ERA_LEVELS - 1}) AS level
    $$
"""  # noqa: S608 (our constants, no input)

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
        vector tsvector NOT NULL,
        era bigint[]
    )
    """,
    ERAS_SQL,
    # One index over both: a search intersects its words with a window of eras inside the index.
    "CREATE INDEX IF NOT EXISTS search_document_vector_era_gin ON search_document_vector USING gin (vector, era)",
    """
    CREATE OR REPLACE FUNCTION search_document_vector_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM search_document_vector WHERE id = OLD.id;
            RETURN OLD;
        END IF;
        INSERT INTO search_document_vector
            (id, visibility, network_id, organisation_id, kind, country, language, date, vector, era)
        VALUES (
            NEW.id, NEW.visibility, NEW.network_id, NEW.organisation_id, NEW.kind, NEW.country, NEW.language,
            NEW.date,
            search_terms_vector(NEW.title_terms, 'A', 1) || search_terms_vector(NEW.body_terms, 'B', 2),
            search_document_eras(NEW.id)
        )
        ON CONFLICT (id) DO UPDATE SET
            visibility = EXCLUDED.visibility, network_id = EXCLUDED.network_id,
            organisation_id = EXCLUDED.organisation_id, kind = EXCLUDED.kind, country = EXCLUDED.country,
            language = EXCLUDED.language, date = EXCLUDED.date, vector = EXCLUDED.vector, era = EXCLUDED.era;
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
    "DROP FUNCTION IF EXISTS search_document_eras(bigint)",
    'DROP FUNCTION IF EXISTS search_terms_vector(text, "char", integer)',
)
# From the first version (a GIN index over the tsvector alone) to eras: before INSTALL_SQL.
ERAS_UPGRADE_SQL = (
    ERAS_SQL,
    "ALTER TABLE search_document_vector ADD COLUMN IF NOT EXISTS era bigint[]",
    "UPDATE search_document_vector SET era = search_document_eras(id) WHERE era IS NULL",
    "DROP INDEX IF EXISTS search_document_vector_gin",
)


def eras(low: int, high: int) -> list[int]:
    """The fewest eras that tile the ids ``low`` … ``high - 1`` (both multiples of the smallest era)."""
    found = []
    position = low
    while position < high:
        for level in reversed(range(ERA_LEVELS)):
            size = 1 << (ERA_BITS + ERA_STEP * level)
            if position % size == 0 and position + size <= high:
                found.append((level << 40) | (position >> (ERA_BITS + ERA_STEP * level)))
                position += size
                break
    return found


def windows(newest: int | None) -> list[list[int]]:
    """The eras of each window of ids a search reads, newest first, down to id 0: the newest
    ``FIRST_WINDOW`` ids (rounded up to whole eras), then windows growing ``WINDOW_GROWTH`` times."""
    if newest is None:
        return []
    top = (newest // FIRST_WINDOW + 1) * FIRST_WINDOW
    found = []
    high, reach = top, FIRST_WINDOW
    while high > 0:
        low = max(0, top - reach)
        found.append(eras(low, high))
        high, reach = low, reach * WINDOW_GROWTH
    return found


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase(phrase: Phrase) -> str:
    parts = [_quote(term.text) + (":*" if term.prefix else "") for term in phrase.terms]
    return "(" + " <-> ".join(parts) + ")"


NEWEST_KEY = "tansiq:search:newest-id"


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

    def plan(self, connection, query, limit: int) -> list[list[int] | None]:
        """The windows of eras to read, newest first (``windows``), from the newest id; one window
        of every id (None) for a query with a prefix."""
        phrases = [phrase for alternatives in query.required for phrase in alternatives.phrases]
        if any(term.prefix for phrase in phrases for term in phrase.terms):
            # The index expands a prefix into the matches of every word it begins, in full, on each
            # scan: one scan costs less than a scan per window. The planner then chooses between
            # visiting every match and reading the newest rows until enough match (a frequent prefix).
            return [None]
        return windows(self.newest_id(connection))

    def newest_id(self, connection) -> int | None:
        """The index's newest id, kept in the cache with the index's version (read with it, and on
        every request with the keys every page needs: ``core.cache.read_on_every_request``)."""
        from django.core.cache import cache

        from tansiq.core.search.services import VERSION_KEY, index_changed

        found = cache.get_many([VERSION_KEY, NEWEST_KEY])
        version = found.get(VERSION_KEY) or index_changed()
        kept = found.get(NEWEST_KEY)
        if kept is not None and kept[0] == version:
            return kept[1]
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(id) FROM search_document_vector")
            (newest,) = cursor.fetchone()
        cache.set(NEWEST_KEY, (version, newest), 3600)
        return newest

    def candidates(self, query, conditions, params, limit, *, ranked, plan=None):
        match = self.match(query)
        vector = ", d.vector" if ranked else ""
        # One branch per window, each visiting only its own matches (the words and the window are
        # intersected in the GIN index; "+ 0" keeps the planner from walking the primary key
        # instead). The branches run in the order written (an Append; never a parallel one, as
        # PostgreSQL runs no sub-select with a LIMIT in a worker), and those after the one that
        # completes the limit are not run at all.
        branches, branch_params = [], []
        for window in plan or [[]]:
            era, order = (" AND d.era && %s::bigint[]", "d.id + 0") if window is not None else ("", "d.id")
            branches.append(
                f"(SELECT d.id, d.kind, d.country{vector} FROM search_document_vector d "  # noqa: S608
                f"WHERE d.vector @@ %s::tsquery{era} AND {conditions} ORDER BY {order} DESC LIMIT %s)"
            )
            branch_params += [match, *([] if window is None else [window]), *params, limit]
        newest = f"SELECT * FROM ({' UNION ALL '.join(branches)}) n LIMIT %s"  # noqa: S608
        score = f"ts_rank_cd('{WEIGHTS}', w.vector, %s::tsquery, {NORMALISATION})" if ranked else "0"
        sql = f"SELECT w.id AS id, w.kind AS kind, w.country AS country, {score} AS score FROM ({newest}) w"  # noqa: S608
        return sql, [*([match] if ranked else []), *branch_params, limit]

    def optimize(self, connection) -> None:
        with connection.cursor() as cursor:
            # New rows wait in the GIN index's pending list, which every search reads in full.
            cursor.execute("SELECT gin_clean_pending_list('search_document_vector_era_gin'::regclass)")
            cursor.execute("ANALYZE search_document")
            cursor.execute("ANALYZE search_document_vector")
