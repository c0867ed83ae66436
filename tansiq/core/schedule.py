"""Daily jobs: apps register a task to run once a day, and the scheduler enqueues it.

An app registers from its ``AppConfig.ready()``::

    schedule.daily("network.compliance-reminders", remind_of_compliance_dates, at=dt.time(7, 0))

``tansiq worker`` runs the scheduler beside the task worker (``tansiq schedule --loop``); a
deployment that prefers cron runs ``tansiq schedule`` every few minutes instead. Either way a job
is enqueued once per day in the deployment's time zone (``TANSIQ_TIME_ZONE``), at or after its
time: the first pass after ``at`` claims the (job, day) row in the same transaction that enqueues
the task, so two schedulers, or a scheduler and cron, never enqueue it twice. A day missed while
nothing ran is not made up: daily jobs here look at "today" and are safe to skip.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task


@dataclass(frozen=True)
class Daily:
    name: str
    task: Task
    at: dt.time


_jobs: dict[str, Daily] = {}
logger = logging.getLogger("tansiq.tasks")


def daily(name: str, task: Task, *, at: dt.time = dt.time(6, 0)) -> None:
    """Run ``task`` (enqueued without arguments) once a day, at or after ``at`` local time."""
    existing = _jobs.get(name)
    if existing is not None and existing.task is not task:
        raise ValueError(f"A daily job named {name!r} is already registered")
    _jobs[name] = Daily(name=name, task=task, at=at)


def jobs() -> list[Daily]:
    return sorted(_jobs.values(), key=lambda job: (job.at, job.name))


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose time has come today and that nobody enqueued today; their names."""
    from tansiq.core.models import ScheduledRun

    now = timezone.localtime(now or timezone.now())
    enqueued = []
    for job in jobs():
        if now.time() < job.at:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, day=now.date())
                result = job.task.enqueue()
                run.task_id = str(getattr(result, "id", ""))[:64]
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # claimed today already, by this scheduler or another
        except Exception:  # one broken job must not keep the others from running
            logger.exception("Daily job %s could not be enqueued; the next pass tries again", job.name)
            continue
        enqueued.append(job.name)
    return enqueued


def last_runs() -> dict[str, dt.date | None]:
    """For each registered job, the last day it was enqueued (None: never)."""
    from django.db.models import Max

    from tansiq.core.models import ScheduledRun

    days = dict(ScheduledRun.objects.values_list("job").annotate(last=Max("day")).values_list("job", "last"))
    return {job.name: days.get(job.name) for job in jobs()}
