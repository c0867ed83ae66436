from __future__ import annotations

import time

from django.db import connection


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
    return execute(sql, params, many, context)


def install_query_counter(sender=None, connection=None, **kwargs) -> None:
    """Count queries on every connection: one integer increment per query, per thread."""
    if _count_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count_query)
