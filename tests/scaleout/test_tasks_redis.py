"""Tasks on Redis (``TANSIQ_TASKS_URL``): RQ workers run them with the database queue's semantics —
retried with a growing delay and the attempt counted, given up after the last attempt, and a task
whose worker was killed mid-run tried again once its lease has expired. Against a real redis-server."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus

from tansiq.core import scaleout
from tests.scaleout import tasks

pytestmark = pytest.mark.scaleout
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rq_tasks(settings, redis_client, redis_address):
    """The task backend on the Redis server, configured as settings.py does for TANSIQ_TASKS_URL."""
    settings.TASKS_URL = redis_address
    settings.RQ_QUEUES = {"default": {"URL": redis_address, "DEFAULT_TIMEOUT": 60}}
    settings.RQ = {
        "JOB_CLASS": "django_tasks_rq.Job",
        "WORKER_CLASS": "tansiq.core.scaleout.Worker",
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return redis_client


def _queue():
    import django_rq

    return django_rq.get_queue("default")


def _run_due_jobs() -> None:
    """What a worker does, in this process (no fork): run every queued job, then stop."""
    from django_rq import get_worker
    from rq import SimpleWorker

    class InlineWorker(SimpleWorker):
        def subscribe(self):  # no command channel: its listener takes a minute to stop
            pass

    get_worker("default", worker_class=InlineWorker).work(burst=True, logging_level="WARNING")


def _scheduled() -> list:
    queue = _queue()
    return [queue.fetch_job(job_id) for job_id in queue.scheduled_job_registry.get_job_ids()]


def _make_due(job) -> None:
    """Skip the retry's delay: move a scheduled job into the queue now, as RQ's scheduler will."""
    queue = _queue()
    queue.scheduled_job_registry.remove(job)
    queue.enqueue_job(job)


def _start_worker(redis_address: str, tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TANSIQ_MODE": "test",
        "TANSIQ_TASKS_URL": redis_address,
        "TANSIQ_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(ROOT),
    }
    with (tmp_path / "worker.log").open("w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "tansiq.cli", "worker", "--no-schedule"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the work horse goes down with it
        )


def _wait_for(condition, timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(worker: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=20)


def test_settings_put_tasks_on_redis_when_a_url_is_given(monkeypatch, redis_address):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TASKS['default']['BACKEND'], s.RQ_QUEUES['default']['URL'], 'django_rq' in s.INSTALLED_APPS)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tansiq.settings", "TANSIQ_MODE": "development"}
    env["TANSIQ_TASKS_URL"] = redis_address
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["django_tasks_rq.RQBackend", redis_address, "True"]
    env["TANSIQ_TASKS_URL"] = "http://redis.example:6379"
    command = [sys.executable, "-m", "tansiq.cli", "check"]
    refused = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 2
    assert "TANSIQ_TASKS_URL must be a redis://" in refused.stderr


def test_tansiq_worker_runs_tasks_from_redis(rq_tasks, redis_address, tmp_path):
    mark = tmp_path / "mark.txt"
    result = tasks.write_mark.enqueue(str(mark), "مرحبا")
    assert default_task_backend.get_result(result.id).status == TaskResultStatus.READY
    worker = _start_worker(redis_address, tmp_path)
    try:
        _wait_for(mark.exists, what=f"the worker to run the task ({(tmp_path / 'worker.log').read_text()})")
        _wait_for(lambda: tasks.write_mark.get_result(result.id).status == TaskResultStatus.SUCCESSFUL)
        assert tasks.write_mark.get_result(result.id).return_value == "مرحبا"
        health = scaleout.tasks_health()
        assert health["ok"] and health["workers"] == 1 and health["ready"] == 0
    finally:
        _stop(worker)
    assert worker.returncode in (0, -signal.SIGTERM)


def test_a_failing_task_is_retried_later_then_given_up(rq_tasks, tmp_path, caplog):
    log = tmp_path / "attempts.txt"
    first = tasks.always_fails.enqueue(str(log))
    with caplog.at_level(logging.WARNING, logger="tansiq.tasks"):
        _run_due_jobs()
    assert log.read_text() == "tried\n"
    assert tasks.always_fails.get_result(first.id).status == TaskResultStatus.FAILED
    [retry] = _scheduled()
    assert retry.kwargs == {"_attempt": 2}
    delay = _queue().scheduled_job_registry.get_scheduled_time(retry).timestamp() - time.time()
    assert 20 < delay <= 30  # retry_delay(1): thirty seconds

    _make_due(retry)
    with caplog.at_level(logging.WARNING, logger="tansiq.tasks"):
        _run_due_jobs()
    assert log.read_text() == "tried\ntried\n"  # max_attempts=2: no third attempt
    assert _scheduled() == []
    assert any("giving up" in record.getMessage() for record in caplog.records if record.levelno == logging.ERROR)


def test_a_task_killed_mid_run_is_retried_once_its_lease_expires(rq_tasks, redis_address, tmp_path, monkeypatch):
    import rq.registry
    from django_rq import get_worker

    mark = tmp_path / "slow.txt"
    result = tasks.slow_once.enqueue(str(mark))
    worker = _start_worker(redis_address, tmp_path)
    try:
        _wait_for(mark.exists, what="the task to start")
        _wait_for(lambda: tasks.slow_once.get_result(result.id).status == TaskResultStatus.RUNNING)
    finally:
        _stop(worker, signal.SIGKILL)  # the worker and its work horse die mid-task

    queue = _queue()
    later = time.time() + 150  # the lease (heartbeat + 60 s) has run out by then
    assert scaleout.tasks_health()["past_lease"] == 0  # still within its lease now
    unhealthy = scaleout.tasks_health(now=later)
    assert unhealthy["past_lease"] == 1 and not unhealthy["ok"]

    # The maintenance pass a live worker makes every LEASE_CHECK_SECONDS, two and a half minutes on.
    monkeypatch.setattr(rq.registry, "current_timestamp", lambda: int(later))
    rq.registry.clean_registries(queue, get_worker("default")._exc_handlers)
    monkeypatch.undo()
    assert tasks.slow_once.get_result(result.id).status == TaskResultStatus.FAILED
    [retry] = _scheduled()
    assert retry.kwargs == {"_attempt": 2}
    assert scaleout.tasks_health(now=later)["past_lease"] == 0

    _make_due(retry)
    _run_due_jobs()
    assert mark.read_text() == "started\nfinished\n"
    assert tasks.slow_once.get_result(retry.id).status == TaskResultStatus.SUCCESSFUL


def test_the_worker_checks_leases_every_minute(rq_tasks):
    from django_rq import get_worker

    worker = get_worker("default")
    assert isinstance(worker, scaleout.Worker)
    assert worker.maintenance_interval == scaleout.LEASE_CHECK_SECONDS == 60
    assert scaleout.retry_abandoned in worker._exc_handlers


def test_health_reports_redis_down(settings, tmp_path):
    settings.TASKS_URL = f"unix://{tmp_path}/nobody-here.sock"
    settings.RQ_QUEUES = {"default": {"URL": settings.TASKS_URL}}
    health = scaleout.health()
    assert health["tasks_redis"] == {"ok": False, "backend": "rq", "error": "ConnectionError"}
