"""The task worker of ``tansiq worker``: django-tasks' database worker, with leases and survival.

Leases. A worker writes a heartbeat row (``core.Heartbeat``) every ``TANSIQ_TASK_LEASE / 4``
seconds from a thread of its own, naming the task it runs. A RUNNING task is *claimed until* its
worker's last heartbeat plus ``TANSIQ_TASK_LEASE`` seconds, as long as that heartbeat still names
it. When the lease has run out (the worker was killed with ``kill -9``, its machine died, or it
could not record the task's end), any worker returns the task to the queue, its attempt counted
(``worker_ids`` holds one entry per claim); after ``TANSIQ_TASK_MAX_ATTEMPTS`` claims it is marked
FAILED with ``LeaseExpired`` and logged at ERROR on ``tansiq.tasks`` (which mails the admins).
A task may therefore run more than once: tasks are idempotent (docs/architecture.md).

Survival. A database error while claiming a task, recording its end, beating or returning expired
tasks (a write lock held past the busy timeout, a full disk, a read-only file system) is logged;
the worker closes its connection, waits (1 s, doubling up to a minute) and goes on. It stops only
on a signal (SIGINT, SIGTERM, SIGQUIT).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger("tansiq.tasks")
MAX_BACKOFF = 60.0


class LeaseExpired(Exception):
    """The task's worker stopped beating (or stopped naming it) before the task finished."""


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.TANSIQ_TASK_LEASE)


def beat_every() -> float:
    return max(settings.TANSIQ_TASK_LEASE / 4, 0.2)


def beat(name: str, role: str, *, task_id: str | None = None, started_at: dt.datetime | None = None) -> None:
    """Record that process ``name`` is alive (and, for a worker, which task it runs: "" for none)."""
    from tansiq.core.models import Heartbeat

    now = timezone.now()
    defaults: dict = {"role": role, "beat_at": now, "host": socket.gethostname()[:255], "pid": os.getpid()}
    if task_id is not None:
        defaults["task_id"] = task_id
    Heartbeat.objects.update_or_create(
        name=name, defaults=defaults, create_defaults={**defaults, "started_at": started_at or now}
    )


def expired_leases(now: dt.datetime | None = None) -> list[DBTaskResult]:
    """RUNNING tasks whose lease has run out."""
    from tansiq.core.models import Heartbeat

    now = now or timezone.now()
    running = list(DBTaskResult.objects.running().filter(started_at__lt=now - dt.timedelta(seconds=1)))
    if not running:
        return []
    live = {
        (beat.name, beat.task_id)
        for beat in Heartbeat.objects.filter(role=Heartbeat.Role.WORKER, beat_at__gte=now - lease())
    }
    return [task for task in running if (f"worker:{(task.worker_ids or [''])[-1]}", str(task.id)) not in live]


def requeue_expired(now: dt.datetime | None = None) -> tuple[int, int]:
    """Return tasks past their lease to the queue, or fail those out of attempts; (requeued, failed)."""
    requeued = failed = 0
    limit = settings.TANSIQ_TASK_MAX_ATTEMPTS
    if not expired_leases(now):  # the usual case: a read, no write lock taken
        return requeued, failed
    with exclusive_transaction(DBTaskResult.objects.db):
        for task in expired_leases(now):
            attempts = len(task.worker_ids)
            if attempts >= limit:
                task.set_failed(LeaseExpired(f"lease expired {attempts} times; giving up"))
                logger.error(
                    "Task %s (%s) lost its worker %d times (lease expired); giving up",
                    task.task_path,
                    task.id,
                    attempts,
                )
                failed += 1
            else:
                DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.READY
                )
                logger.warning(
                    "Task %s (%s) lost its worker (lease expired); queued again (attempt %d of %d)",
                    task.task_path,
                    task.id,
                    attempts,
                    limit,
                )
                requeued += 1
    return requeued, failed


class _Heart(threading.Thread):
    """Beats for the worker from its own thread (and database connection), so a long task keeps
    its lease."""

    def __init__(self, worker: LeasedWorker) -> None:
        super().__init__(name="tansiq-heartbeat", daemon=True)
        self.worker = worker
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.wait(beat_every()):
                self.worker.beat()
        finally:
            connection.close()


class LeasedWorker(Worker):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.name = f"worker:{self.worker_id}"
        self.started_at = timezone.now()
        self.current_task = ""
        self.failures = 0
        self._lock = threading.Lock()
        self._heart = _Heart(self)

    def beat(self) -> bool:
        with self._lock:
            task_id = self.current_task
        try:
            beat(self.name, "worker", task_id=task_id, started_at=self.started_at)
        except DatabaseError:
            logger.warning("Worker %s could not record its heartbeat", self.worker_id, exc_info=True)
            connection.close()
            return False
        return True

    def run(self) -> None:
        self.beat()
        self._heart.start()
        try:
            while self.running:
                try:
                    if self.step() == "stop":
                        return
                    self.failures = 0
                except DatabaseError:
                    self.failures += 1
                    delay = min(2.0 ** (self.failures - 1), MAX_BACKOFF)
                    logger.exception("Worker %s: database error; trying again in %.0f s", self.worker_id, delay)
                    self._close()
                    if self.running:
                        time.sleep(delay)
        finally:
            self._heart.stop.set()

    def step(self) -> str:
        """Claim and run one task (or wait when there is none); "stop" when a limit is reached."""
        close_old_connections()
        requeue_expired()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
                with self._lock:
                    self.current_task = str(task_result.id)
                # Named in the same transaction as the claim: the task never looks abandoned.
                beat(self.name, "worker", task_id=self.current_task, started_at=self.started_at)
        if task_result is not None:
            try:
                self.run_task(task_result)
            finally:
                with self._lock:
                    self.current_task = ""
        if self.batch and task_result is None:
            logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
            return "stop"
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            return "stop"
        close_old_connections()
        if self.running and task_result is None:
            time.sleep(self.interval)
        return "next"

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except DatabaseError:
            # Its end could not be recorded: it stays RUNNING, no longer named by this worker's
            # heartbeat, so its lease runs out and it is queued again (tasks are idempotent).
            logger.exception("Worker %s could not record the end of task %s", self.worker_id, db_task_result.id)
            self._close()

    def _close(self) -> None:
        try:
            if connection.in_atomic_block:
                transaction.set_rollback(True)
            connection.close()
        except DatabaseError:
            pass
