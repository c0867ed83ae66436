"""Enqueue the daily jobs that are due (``tansiq schedule``), or keep doing so (``--loop``)."""

from __future__ import annotations

import logging
import os
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from tansiq.core import schedule
from tansiq.core.worker import beat

logger = logging.getLogger("tansiq.tasks")


class Command(BaseCommand):
    help = "Enqueue the daily jobs whose time has come today; with --loop, check again every --interval seconds."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running (as `tansiq worker` does).")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks with --loop.")
        parser.add_argument(
            "--parent", type=int, default=0, help="Stop when this process (the worker that started it) is gone."
        )
        parser.add_argument("--list", action="store_true", help="List the daily jobs and when each last ran.")

    def handle(self, *args, loop: bool, interval: int, list: bool, parent: int, **options):
        if list:
            last = schedule.last_runs()
            for job in schedule.jobs():
                day = last[job.name]
                self.stdout.write(f"{job.at:%H:%M}  {job.name}  last enqueued: {day.isoformat() if day else 'never'}")
            return
        if not loop:
            self._pass()
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Scheduler: {len(schedule.jobs())} daily job(s), checking every {interval} s.")
        name, started = f"scheduler:{os.getpid()}", timezone.now()
        while not stop.is_set():
            if parent and os.getppid() != parent:
                self.stdout.write("Scheduler: the worker that started it is gone; stopping.")
                break
            try:
                close_old_connections()
                beat(name, "scheduler", started_at=started)
                self._pass()
            except DatabaseError:  # the database will come back: try again on the next pass
                logger.exception("Scheduler: database error; trying again in %d s", interval)
                connection.close()
            stop.wait(max(interval, 1))

    def _pass(self) -> None:
        for name in schedule.enqueue_due():
            self.stdout.write(f"Enqueued {name}.")
