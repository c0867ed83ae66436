"""SQLite: an FTS5 table over the analysed columns, kept in step by triggers.

The FTS5 table is "external content": it indexes ``search_document.title_terms`` and
``body_terms`` without storing a second copy. Triggers on ``search_document`` update it on every
insert, update and delete, whoever writes (the ORM, a bulk upsert, a cascade, a flush), so the index
cannot drift from the table.

The ``ascii`` tokenizer splits only at ASCII spaces and punctuation and keeps every other character
as it is: the analysed terms (letters and digits, one script each, already folded) come out as the
analyser wrote them. FTS5's default ``unicode61`` would split Arabic words again at marks and
fold letters its own way.

Ranking is BM25 with the title weighted above the body.
"""

from __future__ import annotations

from tansiq.core.search.backends import Backend
from tansiq.core.search.parsing import Phrase

TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0

INSTALL_SQL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_document_fts USING fts5("
    "title_terms, body_terms, content='search_document', content_rowid='id', tokenize='ascii')",
    # Every column a search filters on, after the id: visibility is checked from this small index.
    "CREATE INDEX IF NOT EXISTS search_document_filter ON search_document "
    "(id, visibility, network_id, organisation_id, kind, country, language, date)",
    "CREATE TRIGGER IF NOT EXISTS search_document_fts_insert AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_document_fts(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
    "CREATE TRIGGER IF NOT EXISTS search_document_fts_delete AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    "CREATE TRIGGER IF NOT EXISTS search_document_fts_update AFTER UPDATE OF title_terms, body_terms "
    "ON search_document BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    "INSERT INTO search_document_fts(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
)
UNINSTALL_SQL = (
    "DROP TRIGGER IF EXISTS search_document_fts_update",
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    "DROP TRIGGER IF EXISTS search_document_fts_insert",
    "DROP TABLE IF EXISTS search_document_fts",
    "DROP INDEX IF EXISTS search_document_filter",
)


def _quote(term: str) -> str:
    # Terms are letters and digits only; doubling quotes keeps even a malformed one a string.
    return '"' + term.replace('"', '""') + '"'


def _phrase(phrase: Phrase) -> str:
    # "a" + "b" + "c"* : the terms in this order, next to each other, the last one maybe a prefix.
    return " + ".join(_quote(term.text) + ("*" if term.prefix else "") for term in phrase.terms)


class SQLiteBackend(Backend):
    vendor = "sqlite"
    install_sql = INSTALL_SQL
    uninstall_sql = UNINSTALL_SQL

    def match(self, query) -> str:
        required = " AND ".join(
            "(" + " OR ".join(_phrase(phrase) for phrase in alternatives.phrases) + ")"
            for alternatives in query.required
        )
        if query.excluded:
            required = f"({required}) NOT (" + " OR ".join(_phrase(phrase) for phrase in query.excluded) + ")"
        return required

    def candidates(self, query, conditions, params, limit, *, ranked, plan=None):
        score = f"-bm25(search_document_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})" if ranked else "0"
        # FTS5 walks the matches newest first and stops at the limit; the covering index answers
        # the visibility and filter columns without reading the documents' text.
        sql = (
            f"SELECT d.id AS id, d.kind AS kind, d.country AS country, {score} AS score "  # noqa: S608
            "FROM search_document_fts JOIN search_document d INDEXED BY search_document_filter "
            "ON d.id = search_document_fts.rowid "
            f"WHERE search_document_fts MATCH %s AND {conditions} "
            "ORDER BY search_document_fts.rowid DESC LIMIT %s"
        )
        return sql, [self.match(query), *params, limit]

    def optimize(self, connection) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_document_fts(search_document_fts) VALUES ('optimize')")
