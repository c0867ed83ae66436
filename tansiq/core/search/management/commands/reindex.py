"""``tansiq reindex [--kind K]``: rebuild the search documents of registered kinds."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from tansiq.core.search import services
from tansiq.core.search.registry import searchables


class Command(BaseCommand):
    help = "Rebuild the search index from the searchable objects of every registered kind (or of --kind)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", dest="kinds", metavar="KIND", help="only this kind (repeatable)")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, kinds=None, batch_size=500, **options):
        known = {item.kind for item in searchables()}
        if kinds:
            unknown = sorted(set(kinds) - known)
            if unknown:
                raise CommandError(
                    f"Unknown kind: {', '.join(unknown)}. Registered kinds: {', '.join(sorted(known)) or 'none'}."
                )
        chosen = sorted(kinds or known)
        if not chosen:
            self.stdout.write("No kind of document is registered for search: nothing to do.")
            return
        interactive = self.stdout.isatty()
        for kind in chosen:
            started = time.perf_counter()
            bar = ProgressBar(self.stdout, kind, interactive=interactive)
            done = services.rebuild(kind, batch_size=batch_size, progress=bar.update)
            bar.finish(done, time.perf_counter() - started)
        services.optimize()


class ProgressBar:
    """``organisation  [#########...........]  4 500 / 10 000`` on a terminal; a line per kind otherwise."""

    WIDTH = 30

    def __init__(self, out, kind: str, *, interactive: bool) -> None:
        self.out, self.kind, self.interactive = out, kind, interactive

    def update(self, done: int, total: int) -> None:
        if not self.interactive:
            return
        filled = self.WIDTH * done // total if total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.out.write(f"\r{self.kind}  [{bar}]  {done:,} / {total:,}", ending="")
        self.out.flush()

    def finish(self, done: int, seconds: float) -> None:
        if self.interactive:
            self.out.write("")
        self.out.write(f"{self.kind}: {done:,} indexed in {seconds:.1f} s")
