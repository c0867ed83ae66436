"""The database cache: one statement per read or write, expired entries never returned, culled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tansiq.core import cache as cache_module
from tansiq.core import schedule
from tansiq.core.tasks import cull_cache

pytestmark = pytest.mark.django_db


def test_a_write_is_one_statement_and_a_read_another(database_cache):
    with CaptureQueriesContext(connection) as queries:
        database_cache.set("tansiq:a", {"x": [1, "ع"]}, 60)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert database_cache.get_many(["tansiq:a", "tansiq:missing"]) == {"tansiq:a": {"x": [1, "ع"]}}
    assert len(queries) == 1


def test_overwriting_keeps_one_entry_with_the_new_value(database_cache):
    database_cache.set("k", "first", 60)
    with CaptureQueriesContext(connection) as queries:
        database_cache.set("k", "second", None)
    assert len(queries) == 1
    assert database_cache.get("k") == "second"
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM tansiq_cache")
        assert cursor.fetchone()[0] == 1


def test_an_expired_entry_is_a_miss_and_may_be_added_again(database_cache, monkeypatch):
    database_cache.set("k", "old", 1)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    monkeypatch.setattr(cache_module, "tz_now", lambda: later)
    with CaptureQueriesContext(connection) as queries:
        assert database_cache.get("k", "missing") == "missing"
    assert len(queries) == 1  # no delete on the way
    assert database_cache.add("k", "new", 60) is True
    assert database_cache.get("k") == "new"


def test_add_does_not_overwrite_a_live_entry(database_cache):
    assert database_cache.add("k", "first", 60) is True
    assert database_cache.add("k", "second", 60) is False
    assert database_cache.get("k") == "first"
    assert database_cache.get_or_set("k", "third", 60) == "first"
    assert database_cache.get_or_set("fresh", "made", 60) == "made"


def test_incr_delete_touch_and_has_key_still_work(database_cache):
    database_cache.set("n", 1, None)
    assert database_cache.incr("n") == 2
    assert database_cache.touch("n", 60) is True
    assert database_cache.has_key("n")
    database_cache.delete_many(["n"])
    assert not database_cache.has_key("n")
    with pytest.raises(ValueError):
        database_cache.incr("n")


def test_cull_drops_expired_entries_then_the_oldest_beyond_the_limit(database_cache, monkeypatch):
    for number in range(10):
        database_cache.set(f"short:{number}", number, 1)
    for number in range(30):
        database_cache.set(f"long:{number:02}", number, 600)
    monkeypatch.setattr(caches["default"], "_max_entries", 20)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    monkeypatch.setattr(cache_module, "tz_now", lambda: later)
    left = database_cache.cull()
    assert left <= 20
    assert database_cache.get_many([f"short:{number}" for number in range(10)]) == {}
    assert database_cache.get("long:29") == 29  # Django's rule: the first keys in key order go first


def test_writes_cull_now_and_then_not_every_time(database_cache, monkeypatch):
    culls = []
    monkeypatch.setattr(cache_module, "CULL_EVERY", 5)
    monkeypatch.setattr(cache_module.DatabaseCache, "cull", lambda self: culls.append(1))
    for number in range(12):
        database_cache.set(f"k{number}", number, 60)
    assert len(culls) == 2


def test_the_daily_job_culls_the_database_cache(database_cache):
    database_cache.set("k", "v", 60)
    assert "core.cull-cache" in {job.name for job in schedule.jobs()}
    assert cull_cache.call() == 1


def test_the_daily_job_leaves_other_caches_alone():
    assert cull_cache.call() == 0


# --- within a request ----------------------------------------------------------------------------


@pytest.fixture
def batch(database_cache):
    backend = caches["default"]
    backend.begin_batch()
    yield backend
    backend.end_batch()


def test_a_key_read_twice_in_a_request_is_read_once(batch):
    batch.set("a", 1, 60)
    batch.end_batch()
    batch.begin_batch()
    with CaptureQueriesContext(connection) as queries:
        assert batch.get("a") == 1
        assert batch.get("a") == 1
        assert batch.get("missing") is None
        assert batch.get_many(["a", "missing"]) == {"a": 1}
    assert len(queries) == 2  # "a", then "missing": each asked once


def test_a_requests_writes_go_in_one_statement_at_its_end(batch):
    with CaptureQueriesContext(connection) as queries:
        for number in range(5):
            batch.set(f"k{number}", [number], 60)
        assert batch.get("k3") == [3]  # what was written is read back within the request
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        batch.end_batch()
    assert len(queries) == 1
    assert caches["default"].get_many([f"k{number}" for number in range(5)]) == {
        f"k{number}": [number] for number in range(5)
    }


def test_a_value_changed_after_it_was_set_is_not_what_the_cache_keeps(batch):
    value = {"members": 1}
    batch.set("stats", value, 60)
    value["members"] = 2
    assert batch.get("stats") == {"members": 1}


def test_delete_and_add_reach_the_table_at_once(batch):
    batch.set("k", "v", 60)
    batch.delete("k")
    assert batch.get("k") is None
    assert batch.add("lock", "mine", 60) is True
    assert batch.add("lock", "theirs", 60) is False
    batch.end_batch()
    assert caches["default"].get_many(["k", "lock"]) == {"lock": "mine"}


def test_the_keys_every_page_needs_are_read_in_one_statement(client, database_cache, monkeypatch):
    monkeypatch.setattr(cache_module, "_every_request", [])
    cache_module.read_on_every_request("first", lambda request: [f"language:{request.LANGUAGE_CODE}"])
    monkeypatch.setattr(
        "tansiq.core.dashboard.SITE_CACHE_KEY", "first"
    )  # the header reads it: from the first read, not again
    database_cache.set_many({"first": 1, "language:ar": "ع"}, 60)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ar/").status_code == 200
    reads = [query["sql"] for query in queries.captured_queries if query["sql"].startswith('SELECT "cache_key"')]
    assert ":1:first'" in reads[0] and ":1:language:ar'" in reads[0]
    assert not any(":1:first'" in read for read in reads[1:])
