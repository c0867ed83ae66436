"""``tansiq backup DIR``: the database and every file store, with a manifest (tansiq.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tansiq.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (public and private) into DIR, while the site runs."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A new or empty directory.")

    def handle(self, *args, directory: Path, **options):
        try:
            backup(directory, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Backup written to {directory} (manifest.json lists what it holds).")
