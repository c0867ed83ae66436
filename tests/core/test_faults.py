"""Faults in one process: leases run out, database faults reach API callers as JSON 503, /healthz
turns red on low disk space and back to green."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from tansiq.core import worker as worker_module
from tansiq.core.worker import beat, requeue_expired

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def running_task(worker_ids: list[str], started_minutes_ago: int = 10) -> DBTaskResult:
    row = DBTaskResult.objects.create(
        task_path="tansiq.core.tasks.cull_cache",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="RUNNING", worker_ids=worker_ids, started_at=timezone.now() - dt.timedelta(minutes=started_minutes_ago)
    )
    return DBTaskResult.objects.get(pk=row.pk)


@pytest.fixture
def database_tasks(db, settings):
    settings.TASKS = DATABASE_TASKS
    settings.TANSIQ_TASK_LEASE = 60


def test_a_task_whose_worker_still_beats_and_names_it_keeps_its_lease(database_tasks):
    task = running_task(["w1"])
    beat("worker:w1", "worker", task_id=str(task.id))
    assert requeue_expired() == (0, 0)
    beat("worker:w1", "worker", task_id="")  # the worker moved on without recording the end
    assert requeue_expired() == (1, 0)
    assert DBTaskResult.objects.get(pk=task.pk).status == "READY"


def test_a_task_past_its_lease_too_often_fails_visibly_and_is_logged(database_tasks, settings, caplog):
    settings.TANSIQ_TASK_MAX_ATTEMPTS = 2
    once, twice = running_task(["w1"]), running_task(["w1", "w2"])
    with caplog.at_level(logging.WARNING, logger="tansiq.tasks"):
        assert requeue_expired() == (1, 1)
    assert DBTaskResult.objects.get(pk=once.pk).status == "READY"
    failed = DBTaskResult.objects.get(pk=twice.pk)
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "tansiq.core.worker.LeaseExpired"
    assert any(r.levelno == logging.ERROR and "giving up" in r.getMessage() for r in caplog.records)


def test_healthz_is_red_while_a_task_is_past_its_lease_or_no_worker_beats(client, database_tasks):
    assert client.get("/healthz").status_code == 503  # no worker has ever beaten
    beat("worker:w1", "worker")
    assert client.get("/healthz").status_code == 200
    task = running_task(["gone"])
    data = client.get("/healthz").json()
    assert data["checks"]["tasks"]["past_lease"] == 1
    requeue_expired()
    DBTaskResult.objects.filter(pk=task.pk).delete()
    assert client.get("/healthz").status_code == 200


def test_healthz_is_red_when_the_disk_is_nearly_full(client, db, settings):
    settings.TANSIQ_HEALTH_MIN_FREE_MB = 10**12
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"]["low"]
    settings.TANSIQ_HEALTH_MIN_FREE_MB = 0
    assert client.get("/healthz").status_code == 200


def test_healthz_is_red_when_the_database_refuses_writes(client, db, monkeypatch):
    def full(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(worker_module, "beat", full)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["writable"] is False
    monkeypatch.undo()
    assert client.get("/healthz").status_code == 200


def test_a_database_fault_in_an_api_view_answers_the_json_error_shape(client, db, monkeypatch):
    from tansiq.core import i18n

    def full(*args, **kwargs):
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(i18n, "to_hijri", full)
    response = client.get("/api/v1/hijri?date=2026-01-01")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "unavailable"
    assert response["Retry-After"] == "30"


def test_a_database_fault_before_the_api_view_answers_json_too(client, member, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(member)
    client.raise_request_exception = False

    def locked(self):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "load", locked)
    response = client.get("/api/v1/hijri?date=2026-01-01")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    page = client.get("/en/")
    assert page.status_code == 503
    assert page["Content-Type"].startswith("text/html")


@pytest.fixture
def connections_kept():
    """Closing a response ends the request; keep the test's connection as Django's test client does."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    yield
    request_finished.connect(close_old_connections)


def test_a_page_writes_its_cache_entries_only_after_the_response_and_survives_a_failed_write(
    database_cache, rf, connections_kept
):
    from django.http import HttpResponse

    from tansiq.core.cache import CacheBatchMiddleware

    def view(request):
        database_cache.set("fresh", "value")
        return HttpResponse("page")

    def stored():
        return database_cache._read([database_cache.make_and_validate_key("fresh")])

    response = CacheBatchMiddleware(view)(rf.get("/"))
    assert stored() == {}  # not written while the page is served
    response.close()
    assert list(stored().values()) == ["value"]

    def locked(entries, **kwargs):
        raise OperationalError("database is locked")

    response = CacheBatchMiddleware(view)(rf.get("/"))
    database_cache._write = locked
    try:
        response.close()  # logged and dropped, not raised after the page went out
    finally:
        del database_cache._write


def test_reading_a_page_writes_nothing_but_the_cache_after_the_response(client, member, database_cache):
    """A page view must not wait on a writer: neither the session nor anything else is written on the
    read path, for a visitor or a signed-in member; only cache entries, once the response is sent."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member)
    for signed_in in (True, False):
        if not signed_in:
            client.logout()
        database_cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/").status_code == 200
        writes = [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
        assert writes and all("tansiq_cache" in sql for sql in writes), writes


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_is_a_consistent_dump_that_restores_counts_and_files(tmp_path, settings):
    import shutil
    from pathlib import Path

    from django.db import connection

    from tansiq.core import backup
    from tansiq.core.models import HijriMonthStart

    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("PostgreSQL with pg_dump only (make test-postgres)")
    settings.MEDIA_ROOT = str(tmp_path / "var" / "media")
    private = Path(settings.MEDIA_ROOT).parent / "private" / "admission"
    private.mkdir(parents=True)
    (private / "statute.pdf").write_bytes(b"%PDF-1.4 statute")
    for month in range(1, 4):
        HijriMonthStart.objects.create(
            region="ZZ", hijri_year=1447, hijri_month=month, starts_on=dt.date(2026, month, 1)
        )
    manifest = backup.backup(tmp_path / "backup")
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["database"]["tables"]["core_hijrimonthstart"] == 3
    assert manifest["stores"]["private"]["files"]["admission/statute.pdf"]["size"] == 16
    HijriMonthStart.objects.all().delete()
    shutil.rmtree(Path(settings.MEDIA_ROOT).parent / "private")
    backup.restore(tmp_path / "backup")
    assert HijriMonthStart.objects.count() == 3
    assert (private / "statute.pdf").read_bytes() == b"%PDF-1.4 statute"
