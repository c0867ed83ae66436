from __future__ import annotations

import time

from django.db import DatabaseError, IntegrityError, connection, connections


class ServerTimingMiddleware:
    """Adds ``Server-Timing: app;dur=<ms>, db;desc="<n> queries"`` so benchmarks (and a browser's
    developer tools) can read how long the server spent and how many queries it ran."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        before = getattr(connection, "tansiq_queries", 0)
        response = self.get_response(request)
        elapsed = (time.perf_counter() - start) * 1000
        queries = getattr(connection, "tansiq_queries", 0) - before
        response["Server-Timing"] = f'app;dur={elapsed:.1f}, db;desc="{max(queries, 0)} queries"'
        return response


def _count_query(execute, sql, params, many, context):
    owner = context["connection"]
    owner.tansiq_queries = getattr(owner, "tansiq_queries", 0) + 1
    try:
        return execute(sql, params, many, context)
    except IntegrityError:
        raise  # a constraint said no: the connection is fine
    except DatabaseError:
        # SQLite connections always look usable to Django, so one opened while the file system was
        # read-only (or full) would keep failing for CONN_MAX_AGE: mark it to be dropped.
        owner.tansiq_faulty = True
        raise


def drop_faulty_connections(**kwargs) -> None:
    """At the end of a request (and of a worker's step): close connections a database error hit."""
    for conn in connections.all(initialized_only=True):
        # Not inside a transaction someone else owns (a test's): its end deals with the connection.
        if getattr(conn, "tansiq_faulty", False) and not conn.in_atomic_block:
            conn.tansiq_faulty = False
            conn.close()


def install_query_counter(sender=None, connection=None, **kwargs) -> None:
    """Count queries on every connection: one integer increment per query, per thread."""
    if _count_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count_query)
