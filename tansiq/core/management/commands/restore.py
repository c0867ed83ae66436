"""``tansiq restore DIR``: check a backup against its manifest, then put it back (tansiq.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tansiq.core.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with a backup made by `tansiq backup`. Stop the services first."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A directory written by `tansiq backup`.")
        parser.add_argument("--check", action="store_true", help="Only verify the backup against its manifest.")

    def handle(self, *args, directory: Path, check: bool, **options):
        try:
            if check:
                verify(directory)
                self.stdout.write("The backup matches its manifest.")
                return
            restore(directory, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored from {directory}; run `tansiq migrate` if the code is newer than the backup.")
