"""Background work: a retrying task decorator and the e-mail delivery task.

Tasks take ids and strings, never model instances, are enqueued after commit and are idempotent.
A task that raises is enqueued again with a growing delay (30 s, 2 min, 8 min …) up to
``TANSIQ_TASK_MAX_ATTEMPTS`` attempts; the last failure is logged at ERROR on ``tansiq.tasks``,
which mails the deployment's admins, and stays visible as FAILED in the back office.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger("tansiq.tasks")


def retry_delay(attempt: int) -> dt.timedelta:
    return dt.timedelta(seconds=30 * 4 ** (attempt - 1))


def attempts_allowed(task: Task) -> int:
    """How many times ``task`` (made by ``background``) is tried before it is given up."""
    return getattr(task.func, "max_attempts", None) or settings.TANSIQ_TASK_MAX_ATTEMPTS


def retry(task: Task, args: list | tuple, kwargs: dict, attempt: int, why: str) -> bool:
    """After attempt number ``attempt`` of ``task`` failed (``why``), enqueue the next one after a
    growing delay, or log the failure at ERROR when the attempts are used up; whether it retried.
    Called from within an ``except`` block (the traceback goes to the log)."""
    limit = attempts_allowed(task)
    name = task.module_path
    if attempt >= limit:
        logger.error("Task %s %s after %d attempts; giving up", name, why, attempt, exc_info=True)
        return False
    logger.warning("Task %s %s (attempt %d of %d); retrying", name, why, attempt, limit, exc_info=True)
    again = task
    if again.get_backend().supports_defer:
        again = again.using(run_after=timezone.now() + retry_delay(attempt))
    again.enqueue(*args, _attempt=attempt + 1, **kwargs)
    return True


def background(*, max_attempts: int | None = None, priority: int = 0, queue_name: str = "default") -> Callable:
    """Make ``func`` a task that is retried on failure. Call ``func.enqueue(...)`` after commit."""

    def decorate(func: Callable) -> Task:
        @functools.wraps(func)
        def runner(*args, _attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                retry(wrapped, args, kwargs, _attempt, "failed")
                raise

        runner.max_attempts = max_attempts
        wrapped = task(priority=priority, queue_name=queue_name)(runner)
        return wrapped

    return decorate


@background()
def deliver_email(to: list[str], subject: str, text: str, html: str = "", reply_to: str = "") -> None:
    """Send one already-rendered message (rendered in the recipient's language by the caller)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[reply_to] if reply_to else None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@background()
def cull_cache() -> int:
    """The daily job: drop expired entries of the database cache (and the oldest beyond its
    ``MAX_ENTRIES``); the number left. Other cache backends cull themselves: nothing to do."""
    from django.core.cache import caches

    from tansiq.core.cache import DatabaseCache

    backend = caches["default"]
    return backend.cull() if isinstance(backend, DatabaseCache) else 0
