"""The API's rate limit counts concurrent requests exactly (issue: 8 connections let 1.7–1.9× through).

Real threads. The in-memory cache runs everywhere; the database cache needs a database that
threads share (PostgreSQL: ``make test-postgres``), as the other race tests do.
"""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.test import RequestFactory

from tansiq.core.apitools import RateLimit

THREADS, EACH, LIMIT = 8, 10, 25


def _hammer(backend) -> int:
    """THREADS threads, released together, each asking EACH times for one visitor; how many passed."""
    barrier = threading.Barrier(THREADS)
    passed = []

    def run():
        request = RequestFactory().get("/api/v1/networks", REMOTE_ADDR="203.0.113.7")
        request.user = AnonymousUser()
        limit = RateLimit()
        try:
            barrier.wait(timeout=10)
            for _ in range(EACH):
                if hasattr(backend, "begin_batch"):
                    backend.begin_batch()  # as CacheBatchMiddleware does around each request
                try:
                    passed.append(limit.allow_request(request))
                finally:
                    if hasattr(backend, "end_batch"):
                        backend.end_batch()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert len(passed) == THREADS * EACH
    return sum(passed)


def test_concurrent_requests_pass_exactly_the_limit_in_memory(settings):
    from django.core.cache import cache

    settings.TANSIQ_API_RATE_ANON = f"{LIMIT}/hour"
    assert _hammer(cache) == LIMIT


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_pass_exactly_the_limit_in_the_database_cache(settings):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite test database is not shared between threads' connections")
    from django.core.cache import caches
    from django.core.management import call_command

    from tests.conftest import DATABASE_CACHE

    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    settings.TANSIQ_API_RATE_ANON = f"{LIMIT}/hour"
    assert _hammer(caches["default"]) == LIMIT


def test_the_database_cache_counts_with_incr_atomically(database_cache):
    """Within a request's batch, ``incr`` writes at once and compares what it read."""
    database_cache.add("count", 0, 60)
    database_cache.begin_batch()
    try:
        assert database_cache.incr("count") == 1
        assert database_cache.incr("count", 2) == 3
    finally:
        database_cache.end_batch()
    assert database_cache.get("count") == 3
    with pytest.raises(ValueError):
        database_cache.incr("missing")
