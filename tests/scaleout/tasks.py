"""Tasks the scale-out tests enqueue: they leave marks in files, so a worker in another process can
be watched without a shared database."""

from __future__ import annotations

import time
from pathlib import Path

from tansiq.core.tasks import background


@background()
def write_mark(path: str, text: str) -> str:
    Path(path).write_text(text)
    return text


@background(max_attempts=2)
def always_fails(path: str) -> None:
    with Path(path).open("a") as file:
        file.write("tried\n")
    raise RuntimeError("this task always fails")


@background()
def slow_once(path: str) -> str:
    """The first attempt marks that it started and sleeps (to be killed); a later one finishes."""
    mark = Path(path)
    if not mark.exists():
        mark.write_text("started\n")
        time.sleep(120)
    with mark.open("a") as file:
        file.write("finished\n")
    return "done"
