"""Scaling out: tasks on Redis (RQ), and the health of the shared services (Redis, S3).

``django-tasks-rq`` turns ``task.enqueue()`` into an RQ job; ``tansiq worker`` runs RQ's worker
(``rqworker`` of django-rq, with RQ's scheduler for delayed retries) with the classes below, set in
``settings.RQ``. The semantics are the database queue's (tansiq/core/tasks.py):

- A task that raises is retried by ``background``'s runner with the same growing delays, up to
  ``TANSIQ_TASK_MAX_ATTEMPTS`` attempts, then logged at ERROR. A task running longer than
  ``TANSIQ_TASK_TIMEOUT`` is stopped by RQ (it raises ``JobTimeoutException`` inside the task) and
  retried the same way.
- A task whose worker was killed mid-run (``kill -9``, a machine lost) holds a lease: RQ keeps the
  job in its started registry only while the worker's heartbeat renews it (about 90 seconds).
  ``Worker`` looks for expired leases every ``LEASE_CHECK_SECONDS`` (and as it starts), RQ marks such
  a job failed with ``AbandonedJobError``, and ``retry_abandoned`` enqueues the next attempt with
  the attempt counted, as for any failure. Tasks are idempotent, so running one again is safe.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from rq import Worker as RQWorker
from rq.exceptions import AbandonedJobError

logger = logging.getLogger("tansiq.tasks")

#: How often a worker looks for jobs whose worker died (RQ's default is ten minutes).
LEASE_CHECK_SECONDS = 60


#: How long the listener for commands sent to a worker waits for one before looking whether it
#: should stop. RQ waits 60 s, and with redis-py 8 a stopping worker waits for that listener: a
#: stop request would take a minute.
COMMAND_POLL_SECONDS = 1


class Worker(RQWorker):
    """RQ's worker, checking for abandoned jobs every minute instead of every ten, and stopping in
    a second (once its current task is done) instead of a minute."""

    def __init__(self, *args, maintenance_interval: int = LEASE_CHECK_SECONDS, **kwargs) -> None:
        super().__init__(*args, maintenance_interval=maintenance_interval, **kwargs)
        self.push_exc_handler(retry_abandoned)

    def subscribe(self) -> None:
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=COMMAND_POLL_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler
        )


def retry_abandoned(job, exc_type, exc_value, traceback) -> bool:
    """RQ exception handler: a job abandoned by a dead worker is tried again, with its attempt
    counted (``tansiq.core.tasks.retry``). Other failures were handled by the task's own runner."""
    if exc_type is not AbandonedJobError:
        return True  # let the next handler see it
    from tansiq.core.tasks import retry

    kwargs = dict(job.kwargs)
    attempt = kwargs.pop("_attempt", 1)
    try:
        raise AbandonedJobError(f"job {job.id} lost its worker")
    except AbandonedJobError:
        retry(job.func, job.args, kwargs, attempt, "was killed mid-run")
    return True


def _rq_connection():
    import django_rq

    return django_rq.get_connection("default")


def tasks_health(now: float | None = None) -> dict:
    """The task queue on Redis, for ``/healthz``: ``ok`` is false when Redis does not answer, no
    worker is alive, a ready task has waited more than 15 minutes, or a running task's lease has
    expired (its worker died and no live worker has picked it up again)."""
    from django_rq import get_queue
    from rq.registry import StartedJobRegistry

    try:
        connection = _rq_connection()
        connection.ping()
        queue = get_queue("default")
        workers = len(RQWorker.all(queue=queue))  # registered, heartbeat not expired
        oldest = None
        first = queue.get_job_ids(0, 1)
        if first:
            job = queue.fetch_job(first[0])
            if job is not None and job.enqueued_at is not None:
                oldest = max(0, int(time.time() - job.enqueued_at.timestamp()))
        started = StartedJobRegistry(queue.name, connection, job_class=queue.job_class)
        past_lease = len(started.get_expired_job_ids(time.time() if now is None else now))
        failed = queue.failed_job_registry.count
    except Exception as exc:  # the point is to report any failure, not to raise it
        return {"ok": False, "backend": "rq", "error": exc.__class__.__name__}
    return {
        "ok": workers > 0 and (oldest is None or oldest < 15 * 60) and past_lease == 0,
        "backend": "rq",
        "workers": workers,
        "ready": queue.count,
        "oldest_ready_seconds": oldest,
        "running": started.count,
        "past_lease": past_lease,
        "failed": failed,
    }


def cache_health() -> dict:
    """The Redis cache answers (``TANSIQ_CACHE_URL``), for ``/healthz``."""
    from django.core.cache import cache

    try:
        cache.set("tansiq:healthz", "1", 30)
        ok = cache.get("tansiq:healthz") == "1"
    except Exception as exc:  # the point is to report any failure, not to raise it
        return {"ok": False, "backend": "redis", "error": exc.__class__.__name__}
    return {"ok": ok, "backend": "redis"}


def storage_health() -> dict:
    """The S3 bucket answers for both stores (``TANSIQ_S3_BUCKET``), for ``/healthz``."""
    from django.core.files.storage import storages

    try:
        for alias in ("default", "private"):
            storage = storages[alias]
            # A HEAD request on the bucket: it exists, and the credentials are good.
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    except Exception as exc:  # the point is to report any failure, not to raise it
        return {"ok": False, "backend": "s3", "error": exc.__class__.__name__}
    return {"ok": True, "backend": "s3"}


def health() -> dict[str, dict]:
    """Checks of the shared services a scaled-out deployment uses, by component; empty when it uses
    none (one machine: the database and the disk only)."""
    checks: dict[str, dict] = {}
    if getattr(settings, "TASKS_URL", ""):
        checks["tasks_redis"] = tasks_health()
    if getattr(settings, "CACHE_URL", ""):
        checks["cache_redis"] = cache_health()
    if getattr(settings, "S3_BUCKET", ""):
        checks["files_s3"] = storage_health()
    return checks
