"""Tasks for the worker tests: importable by the worker processes the tests start."""

from __future__ import annotations

import time
from pathlib import Path

from tansiq.core.tasks import background


@background()
def note_and_wait(path: str, first_wait: float) -> None:
    """Write "start" to ``path``; the first run then waits ``first_wait`` seconds (long enough to be
    killed), later runs finish at once and write "done". Idempotent, as every task must be."""
    log = Path(path)
    first = not log.exists()
    with log.open("a") as file:
        file.write("start\n")
    if first:
        time.sleep(first_wait)
    with log.open("a") as file:
        file.write("done\n")
