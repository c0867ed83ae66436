"""The shared cache in the database, with one statement per read or write.

Tansiq's default cache is a table in its own database (no cache server to run beside it; every
process and every machine of a deployment sees the same entries). Django's ``DatabaseCache`` is
that, but each ``set`` costs three to six statements: it counts the table's rows, culls when the
count is over ``MAX_ENTRIES`` (which it is most of the time once people have used the site, since
some keys are per reader), reads the key, then updates or inserts it; reading an expired key costs
a second statement to delete it. Pages here have a budget of ten queries, and a page whose two
cached entries expired together paid fifteen for the cache alone.

``DatabaseCache`` below writes with one upsert (``INSERT … ON CONFLICT … DO UPDATE``, which SQLite
3.24+ and PostgreSQL both speak), reads live entries only and leaves expired ones where they are,
and culls (expired entries first, then the oldest beyond ``MAX_ENTRIES``) once every
``CULL_EVERY`` writes of a process and in the daily ``core.cull-cache`` job instead of on every
write.

Within a request (``CacheBatchMiddleware``) the backend also batches: the keys registered with
``read_on_every_request`` (the site's identity, the default network, the versions that say whether
cached answers are still good) are read in one statement when the request starts; every key read
is remembered for the rest of the request (a second read of it, or of a known miss, costs
nothing); and ``set`` writes are kept in memory and written together, in one statement, once the
response has been sent (when the server closes it): a page view never waits on another process's
write lock, and only entries the request changed are written. A request whose cached entries
have all expired thus pays one write, not one per entry.
``add``, ``incr``'s read, ``delete`` and ``touch`` go to the table at once, since other processes
may be racing for them. See docs/decisions/0017-database-cache-one-statement.md.
"""

from __future__ import annotations

import base64
import logging
import pickle
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router
from django.utils.timezone import now as tz_now

CULL_EVERY = 500
logger = logging.getLogger("tansiq.cache")
_MISSING = object()
_every_request: list[str | Callable] = []


def read_on_every_request(*keys: str | Callable) -> None:
    """Keys nearly every page reads, fetched together in one statement as each request starts: a
    key, or a function of the request that gives keys (e.g. per reader or per language; the request
    has its user and language by then)."""
    for key in keys:
        if key not in _every_request:
            _every_request.append(key)


def keys_for(request) -> list[str]:
    keys: list[str] = []
    for entry in _every_request:
        if callable(entry):
            keys.extend(entry(request))
        else:
            keys.append(entry)
    return keys


class _Batch:
    def __init__(self) -> None:
        self.known: dict[str, object] = {}  # final key -> value, or _MISSING when it is not there
        self.pending: dict[str, tuple[str, object]] = {}  # final key -> (encoded value, expiry)


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache (same table, same ``createcachetable``) with cheaper reads and writes."""

    def __init__(self, table, params):
        super().__init__(table, params)
        self._writes = 0  # entries written by this instance, for culling now and then
        self._batch: _Batch | None = None  # a backend instance serves one thread (Django's caches)

    # -- batching within a request ---------------------------------------------------------------

    def begin_batch(self) -> None:
        self._batch = _Batch()

    def end_batch(self) -> None:
        """Write what the request set, in one statement. Called once the response has been sent, so
        a page never waits for a writer's lock; a write that fails is logged and dropped (a cache
        entry is only ever a shortcut)."""
        batch, self._batch = self._batch, None
        if batch is not None and batch.pending:
            try:
                self._write(batch.pending)
            except DatabaseError:
                logger.warning("Cache entries could not be written; dropped", exc_info=True)

    def _now(self, connection):
        """Now, as the expiry column compares it (whole seconds, like the stored expiries)."""
        now = tz_now().replace(microsecond=0)
        return connection.ops.adapt_datetimefield_value(now)

    def get_many(self, keys, version=None):
        if not keys:
            return {}
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        batch = self._batch
        if batch is None:
            return {key_map[key]: value for key, value in self._read(list(key_map)).items()}
        wanted = [key for key in key_map if key not in batch.known]
        if wanted:
            found = self._read(wanted)
            batch.known.update({key: found.get(key, _MISSING) for key in wanted})
        return {key_map[key]: batch.known[key] for key in key_map if batch.known[key] is not _MISSING}

    def _read(self, keys: list[str]) -> dict:
        """{final key: value} of the live entries among ``keys``: one statement."""
        connection = connections[router.db_for_read(self.cache_model_class)]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('cache_key')}, {quote('value')} FROM {quote(self._table)} "  # noqa: S608 (names quoted)
                f"WHERE {quote('cache_key')} IN ({', '.join(['%s'] * len(keys))}) AND {quote('expires')} > %s",
                [*keys, self._now(connection)],
            )
            rows = cursor.fetchall()
        return {
            key: pickle.loads(base64.b64decode(connection.ops.process_clob(value).encode()))  # noqa: S301
            for key, value in rows
        }

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        batch = self._batch
        if mode == "touch":
            if batch is not None:
                batch.known.pop(key, None)
            return super()._base_set(mode, key, value, timeout)
        timeout = self.get_backend_timeout(timeout)
        tz = UTC if settings.USE_TZ else None
        expiry = (datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=tz)).replace(microsecond=0)
        pickled = pickle.dumps(value, self.pickle_protocol)
        encoded = base64.b64encode(pickled).decode("latin1")
        if mode == "set" and batch is not None:
            batch.known[key] = pickle.loads(pickled)  # noqa: S301 (a copy, as a read gives)
            batch.pending[key] = (encoded, expiry)
            return True
        written = self._write({key: (encoded, expiry)}, only_over_expired=mode == "add")
        if batch is not None:
            batch.pending.pop(key, None)
            if written:
                batch.known[key] = pickle.loads(pickled)  # noqa: S301
            else:
                batch.known.pop(key, None)  # someone else's live entry: read it if asked
        return written

    def _writer(self):
        """The connection to write with, and the table's and its columns' quoted names."""
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote = connection.ops.quote_name
        return connection, tuple(quote(name) for name in (self._table, "cache_key", "value", "expires"))

    def _write(self, entries: dict[str, tuple[str, object]], *, only_over_expired: bool = False) -> bool:
        """Insert or replace ``entries`` ({final key: (encoded value, expiry)}) in one statement."""
        connection, (table, key_column, value_column, expires) = self._writer()
        rows = ", ".join(["(%s, %s, %s)"] * len(entries))
        sql = (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires}) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET {value_column} = excluded.{value_column}, "
            f"{expires} = excluded.{expires}"
        )
        params = []
        for key, (encoded, expiry) in entries.items():
            params += [key, encoded, connection.ops.adapt_datetimefield_value(expiry)]
        if only_over_expired:  # ``add``: replace only an entry that has expired
            sql += f" WHERE {table}.{expires} <= %s"
            params.append(self._now(connection))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            written = cursor.rowcount > 0
        before, self._writes = self._writes, self._writes + len(entries)
        if self._writes // CULL_EVERY > before // CULL_EVERY:  # every CULL_EVERY entries written
            self.cull()
        return written

    def incr(self, key, delta=1, version=None):
        """Add ``delta`` to a live entry atomically: compare-and-set on the stored value, so two
        processes counting at once both count (Django's ``incr`` reads, then writes what it read
        plus one, and the later write wins). ValueError when the key is not there, as Django's."""
        final = self.make_and_validate_key(key, version=version)
        connection, (table, key_column, value_column, expires) = self._writer()
        for _attempt in range(100):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {value_column} FROM {table} WHERE {key_column} = %s AND {expires} > %s",  # noqa: S608
                    [final, self._now(connection)],
                )
                row = cursor.fetchone()
                if row is None:
                    raise ValueError(f"Key '{key}' not found")
                stored = connection.ops.process_clob(row[0])
                value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301
                encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
                cursor.execute(
                    f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s AND {value_column} = %s",  # noqa: S608
                    [encoded, final, stored],
                )
                if cursor.rowcount:
                    if self._batch is not None:
                        self._batch.known[final] = value
                        self._batch.pending.pop(final, None)
                    return value
        raise ValueError(f"Key '{key}' changed too often to be counted")

    def _base_delete_many(self, keys):
        batch = self._batch
        if batch is not None:
            for key in keys:
                batch.known[key] = _MISSING
                batch.pending.pop(key, None)
        return super()._base_delete_many(keys)

    def has_key(self, key, version=None):
        batch = self._batch
        final = self.make_and_validate_key(key, version=version)
        if batch is not None and final in batch.known:
            return batch.known[final] is not _MISSING
        return super().has_key(key, version=version)

    def clear(self):
        if self._batch is not None:
            self._batch = _Batch()
        super().clear()

    def cull(self) -> int:
        """Delete expired entries, then the oldest keys beyond ``MAX_ENTRIES`` (Django's rule); the
        number of entries left."""
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {quote(self._table)} WHERE {quote('expires')} <= %s", [self._now(connection)])  # noqa: S608
            cursor.execute(f"SELECT COUNT(*) FROM {quote(self._table)}")  # noqa: S608
            left = cursor.fetchone()[0]
            if left > self._max_entries:
                self._cull(connection.alias, cursor, tz_now().replace(microsecond=0), left)
                cursor.execute(f"SELECT COUNT(*) FROM {quote(self._table)}")  # noqa: S608
                left = cursor.fetchone()[0]
        return left


class CacheBatchMiddleware:
    """Reads and writes of the database cache within one request are batched (see above). Placed
    after the session, authentication and locale middleware, so that keys per reader and per
    language can be read with the others."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        from django.core.cache import caches

        backend = caches["default"]
        if not isinstance(backend, DatabaseCache):
            return self.get_response(request)
        backend.begin_batch()
        try:
            keys = keys_for(request)
            if keys:
                try:
                    backend.get_many(keys)
                except DatabaseError:  # a cache that cannot be read is a cache that missed
                    logger.warning("Cache entries could not be read", exc_info=True)
                    backend.begin_batch()
            response = self.get_response(request)
        except BaseException:
            backend.end_batch()
            raise
        # The batch's writes wait until the response has gone out (the server closes it then).
        response._resource_closers.append(backend.end_batch)
        return response
