"""Long work that someone starts and watches: a ``BackgroundJob`` row, run by a task, polled by a page.

``start(kind, owner=…, subject=…, arguments=…, task=…)`` creates the job and enqueues ``task(job_id)``
after commit. The task calls ``run(job_id, work)``: ``work(job, progress)`` does the work and
returns the result (a dict) or raises ``TansiqError`` (the job fails with its message, shown to
the person). ``progress(step, done, total)`` records how far it got, each in its own short write.
A job that is already finished is not run again (tasks may run twice); one that fails otherwise
is logged at ERROR and shown as failed, not retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import Task

from tansiq.core.errors import TansiqError
from tansiq.core.models import BackgroundJob

logger = logging.getLogger("tansiq.tasks")
Progress = Callable[[str, int, int], None]


def start(kind: str, *, owner, subject: str, arguments: dict, task: Task) -> BackgroundJob:
    job = BackgroundJob.objects.create(kind=kind, owner=owner, subject=subject, arguments=arguments)
    transaction.on_commit(lambda: task.enqueue(str(job.pk)))
    return job


def run(job_id: str, work: Callable[[BackgroundJob, Progress], dict]) -> None:
    job = BackgroundJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return

    def progress(step: str, done: int, total: int) -> None:
        job.step, job.done, job.total = step, done, total
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=BackgroundJob.Status.RUNNING, step=step, done=done, total=total
        )

    progress("", 0, 0)
    try:
        result = work(job, progress)
    except TansiqError as error:
        _finish(job, BackgroundJob.Status.FAILED, message=str(error.message))
        return
    except Exception:
        # Not retried: the person sees it failed and may start again; the admins get the error.
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(
            job, BackgroundJob.Status.FAILED, message=str(_("An error on our side stopped this. It has been reported."))
        )
        return
    _finish(job, BackgroundJob.Status.DONE, result=result or {})


def _finish(job: BackgroundJob, status: str, *, result: dict | None = None, message: str = "") -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=status, result=result or {}, message=message, finished_at=timezone.now()
    )
