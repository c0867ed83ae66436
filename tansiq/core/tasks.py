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


def background(*, max_attempts: int | None = None, priority: int = 0, queue_name: str = "default") -> Callable:
    """Make ``func`` a task that is retried on failure. Call ``func.enqueue(...)`` after commit."""

    def decorate(func: Callable) -> Task:
        @functools.wraps(func)
        def runner(*args, _attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                limit = max_attempts or settings.TANSIQ_TASK_MAX_ATTEMPTS
                name = f"{func.__module__}.{func.__qualname__}"
                if _attempt >= limit:
                    logger.error("Task %s failed after %d attempts; giving up", name, _attempt, exc_info=True)
                    raise
                logger.warning("Task %s failed (attempt %d of %d); retrying", name, _attempt, limit, exc_info=True)
                again = wrapped
                if again.get_backend().supports_defer:
                    again = again.using(run_after=timezone.now() + retry_delay(_attempt))
                again.enqueue(*args, _attempt=_attempt + 1, **kwargs)
                raise

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
