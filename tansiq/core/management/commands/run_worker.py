"""``tansiq worker`` runs this: django-tasks' ``db_worker`` with leases and survival of database
errors (``tansiq.core.worker``). Same options, except ``--reload``."""

from __future__ import annotations

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from tansiq.core.worker import LeasedWorker


class Command(DBWorkerCommand):
    help = "Run background tasks from the database queue, with leases; stops only on a signal."

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
