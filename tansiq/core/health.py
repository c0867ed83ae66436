"""What ``/healthz`` reports: each component the site needs to do its work, green or red.

- ``database``: it answers, and a write commits within two seconds (not locked past that, not
  read-only, not full);
- ``worker``: a task worker has beaten within its lease (database task queue only);
- ``tasks``: the oldest task ready to run has waited less than ``MAX_WAIT``, and no RUNNING task is
  past its lease;
- ``scheduler``: no daily job that ran before has missed yesterday and today;
- ``disk``: at least ``TANSIQ_HEALTH_MIN_FREE_MB`` free where the database and the files live;
- ``tasks_redis``, ``cache_redis``, ``files_s3``: when tasks, the cache or the files are on Redis or
  S3, workers alive and tasks within their lease, the cache answering, the bucket reachable.

Any red component makes the answer 503: the documented ``curl -fsS /healthz`` check then fails.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

MAX_WAIT = dt.timedelta(minutes=15)
PROBE_BUSY_TIMEOUT_MS = 2000


def report() -> tuple[bool, dict[str, dict]]:
    checks = {"database": database()}
    for name, check in (("worker", worker), ("tasks", tasks), ("scheduler", scheduler)):
        checks[name] = _guarded(check) if checks["database"]["ok"] else {"ok": False, "error": "database"}
    checks["disk"] = _guarded(disk)
    # Redis (tasks, cache) and the S3 bucket, when the deployment uses them (tansiq.core.scaleout).
    # Imported only there: it loads RQ, which a one-machine site never needs at start-up.
    if settings.TASKS_URL or settings.CACHE_URL or settings.S3_BUCKET:
        from tansiq.core import scaleout

        checks.update(scaleout.health())
    return all(check["ok"] for check in checks.values()), checks


def _guarded(check) -> dict:
    try:
        return check()
    except DatabaseError as exc:
        _drop_connection()
        return {"ok": False, "error": exc.__class__.__name__}


def _drop_connection() -> None:
    connection.tansiq_faulty = True  # closed when the request ends (tansiq.core.middleware)


def database() -> dict:
    """A real write (this web process's heartbeat row), committed, with a short busy timeout."""
    from tansiq.core.worker import beat

    sqlite = connection.vendor == "sqlite"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            if sqlite:
                cursor.execute(f"PRAGMA busy_timeout={PROBE_BUSY_TIMEOUT_MS}")
        try:
            beat("web:healthz", "web")
        finally:
            if sqlite and connection.connection is not None:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"PRAGMA busy_timeout={int(connection.settings_dict['OPTIONS'].get('timeout', 5) * 1000)}"
                    )
    except DatabaseError as exc:
        _drop_connection()
        return {
            "ok": False,
            "vendor": connection.vendor,
            "writable": False,
            "error": exc.__class__.__name__,
            "detail": str(exc)[:200],
        }
    return {"ok": True, "vendor": connection.vendor, "writable": True}


def _database_queue() -> bool:
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")


def worker() -> dict:
    if not _database_queue():
        return {"ok": True, "backend": settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]}
    from tansiq.core.models import Heartbeat
    from tansiq.core.worker import lease

    now = timezone.now()
    last = (
        Heartbeat.objects.filter(role=Heartbeat.Role.WORKER)
        .order_by("-beat_at")
        .values_list("beat_at", flat=True)
        .first()
    )
    alive = Heartbeat.objects.filter(role=Heartbeat.Role.WORKER, beat_at__gte=now - lease()).count()
    return {
        "ok": alive > 0,
        "alive": alive,
        "last_heartbeat": last.isoformat() if last else None,
    }


def tasks() -> dict:
    if not _database_queue():
        return {"ok": True, "backend": settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]}
    from django.db.models import Min
    from django_tasks_db.models import DBTaskResult, get_date_max

    from tansiq.core.worker import expired_leases

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    oldest_enqueued = ready.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"]
    oldest_deferred = ready.exclude(run_after=get_date_max()).aggregate(at=Min("run_after"))["at"]
    since = min((at for at in (oldest_enqueued, oldest_deferred) if at is not None), default=None)
    oldest = (now - since).total_seconds() if since else 0
    past_lease = len(expired_leases(now))
    return {
        "ok": oldest < MAX_WAIT.total_seconds() and past_lease == 0,
        "backend": "database",
        "ready": ready.count(),
        "oldest_ready_seconds": round(max(oldest, 0)),
        "past_lease": past_lease,
        "failed": DBTaskResult.objects.failed().count(),
    }


def scheduler() -> dict:
    """Daily jobs that have run before but not yesterday or today: the scheduler has stopped."""
    from tansiq.core import schedule
    from tansiq.core.models import Heartbeat
    from tansiq.core.worker import lease

    last = schedule.last_runs()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    late = sorted(name for name, day in last.items() if day is not None and day < yesterday)
    alive = Heartbeat.objects.filter(
        role=Heartbeat.Role.SCHEDULER, beat_at__gte=timezone.now() - max(lease(), dt.timedelta(minutes=3))
    ).count()
    jobs = {name: day.isoformat() if day else None for name, day in last.items()}
    return {"ok": not late, "alive": alive, "jobs": jobs, "late": late}


def storage_dirs() -> dict[str, Path]:
    """Where the database and the files on this machine live (what ``disk`` watches)."""
    from tansiq.core.backup import file_stores

    dirs = file_stores()
    if connection.vendor == "sqlite":
        dirs = {"database": Path(connection.settings_dict["NAME"]).parent, **dirs}
    return dirs


def disk() -> dict:
    minimum = settings.TANSIQ_HEALTH_MIN_FREE_MB
    free = {}
    for name, path in storage_dirs().items():
        existing = next((p for p in (path, *path.parents) if p.exists()), None)
        if existing is not None:
            free[name] = shutil.disk_usage(existing).free // 2**20
    low = sorted(name for name, mb in free.items() if mb < minimum)
    return {"ok": not low, "free_mb": free, "min_free_mb": minimum, "low": low}
