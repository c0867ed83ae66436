"""The cache on Redis (``TANSIQ_CACHE_URL``): what one machine counts or invalidates, every other
machine sees — API rate limits, the search index's version (which every cached search answer is
checked against), and page caches. Against a real redis-server, with the "other machine" a separate
process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from tansiq.core import scaleout
from tansiq.core.search import services as search

pytestmark = pytest.mark.scaleout


def test_settings_put_the_cache_on_redis_when_a_url_is_given(redis_address, other_machine):
    backend = other_machine(
        "from django.core.cache import caches; print(type(caches['default']).__name__)",
        TANSIQ_CACHE_URL=redis_address,
    )
    assert backend == "RedisCache"
    assert other_machine("from django.core.cache import caches; print(type(caches['default']).__name__)") == (
        "LocMemCache"
    )


def test_the_api_rate_limit_counts_calls_on_every_machine(redis_cache, redis_address, other_machine, settings):
    from tansiq.api import api
    from tansiq.core.apitools import RateLimit

    # An hour's window on both machines, so that no window ends during the test.
    settings.TANSIQ_API_RATE_ANON = "5/hour"
    [limiter] = [throttle for throttle in api.throttle if isinstance(throttle, RateLimit)]
    allowed = other_machine(
        """
        from django.test import RequestFactory
        from tansiq.api import api
        [limiter] = api.throttle
        request = RequestFactory().get("/api/v1/organisations", REMOTE_ADDR="203.0.113.7")
        print(sum(limiter.allow_request(request) for _ in range(5)))
        """,
        TANSIQ_CACHE_URL=redis_address,
        TANSIQ_API_RATE_ANON="5/hour",
    )
    assert int(allowed) == 5
    # This machine has served none of those calls, and still refuses the next one.
    same_client = RequestFactory().get("/api/v1/organisations", REMOTE_ADDR="203.0.113.7")
    assert not limiter.allow_request(same_client)
    other_client = RequestFactory().get("/api/v1/organisations", REMOTE_ADDR="203.0.113.8")
    assert limiter.allow_request(other_client)


def test_a_search_index_change_on_one_machine_invalidates_cached_answers_on_all(
    redis_cache, redis_address, other_machine
):
    before = search.index_version()
    redis_cache.set("tansiq:search:answer", (before, ["cached answer"]), None)
    changed = other_machine(
        "from tansiq.core.search import services; print(services.index_changed())", TANSIQ_CACHE_URL=redis_address
    )
    assert changed != before
    assert search.index_version() == changed  # the cached answer, stamped `before`, is now stale
    version, _ = redis_cache.get("tansiq:search:answer")
    assert version != search.index_version()


def test_a_value_cached_by_one_machine_is_read_by_another(redis_cache, redis_address, other_machine):
    redis_cache.set("tansiq:card:people", {"people": 1_234}, 60)
    seen = other_machine(
        "from django.core.cache import cache; print(cache.get('tansiq:card:people'))", TANSIQ_CACHE_URL=redis_address
    )
    assert seen == "{'people': 1234}"


def test_health_of_the_redis_cache(redis_cache, settings, tmp_path):
    assert scaleout.health()["cache_redis"] == {"ok": True, "backend": "redis"}
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"unix://{tmp_path}/x.sock"}
    }
    assert scaleout.health()["cache_redis"] == {"ok": False, "backend": "redis", "error": "ConnectionError"}


def test_a_malformed_cache_url_stops_the_start():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tansiq.settings", "TANSIQ_CACHE_URL": "memcached://x"}
    command = [sys.executable, "-m", "tansiq.cli", "check"]
    done = subprocess.run(command, env=environment, capture_output=True, text=True)
    assert done.returncode == 2
    assert "TANSIQ_CACHE_URL must be a redis://, rediss:// or unix:// address" in done.stderr
