"""Remind owners and admins of annual returns and licences falling due (run daily; safe to run twice)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tansiq.network.services.compliance import remind_of_compliance_dates, send_compliance_reminders


class Command(BaseCommand):
    help = "E-mail owners and admins 30 and 7 days before the annual return and the licence fall due."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the work to the task queue instead of doing it now."
        )

    def handle(self, *args, date: str | None = None, enqueue: bool = False, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        if enqueue:
            remind_of_compliance_dates.enqueue(today.isoformat() if today else "")
            self.stdout.write("Compliance reminders enqueued.")
            return
        sent = send_compliance_reminders(today=today)
        self.stdout.write(f"Compliance reminders sent for {sent} due date(s).")
