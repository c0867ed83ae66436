"""python -m benchmarks (make bench): run the benchmarks, print one table, gate on budgets.

Exit status: 0 when every figure is within budget (rows that could not run on this machine, such as
PostgreSQL without its server binaries, do not count), 1 when a budget is missed or a benchmark
failed, 2 on bad options. The table is printed first either way; the results are also written as
JSON to benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import sys
import time
import traceback
from dataclasses import asdict

from benchmarks import _harness, _machine
from benchmarks._harness import DATABASES, ERROR, MISSED, NOT_RUN, Context, Result

RESULTS_DIR = _harness.PACKAGE_DIR / "results"
BUSY_LOAD = 0.25  # per core: above this, other programs were competing for the processors


def _parse(argv: list[str]) -> argparse.Namespace:
    names = _harness.benchmark_names()
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        action="append",
        choices=names,
        metavar="NAME",
        help=f"run only this benchmark (repeatable); one of: {', '.join(names)}",
    )
    parser.add_argument(
        "--database", choices=[*DATABASES, "both"], default="both", help="which database to measure on (default: both)"
    )
    parser.add_argument("--quick", action="store_true", help="a short run: fewer requests, rougher figures")
    return parser.parse_args(argv)


def _figure(result: Result) -> str:
    if result.figure is None:
        return "—"
    value = f"{result.figure:g}" if isinstance(result.figure, int) else f"{result.figure:.1f}"
    text = f"{value} {result.unit}"
    return f"{text} ({result.extra})" if result.extra else text


def _budget(result: Result) -> str:
    if result.budget is None:
        return "—"
    return f"{'≥' if result.at_least else '≤'} {result.budget:g} {result.unit}"


def render_table(results: list[Result]) -> str:
    notes: list[str] = []
    rows = []
    for result in results:
        verdict = result.verdict
        if result.note:
            if result.note not in notes:
                notes.append(result.note)
            verdict += f" [{notes.index(result.note) + 1}]"
        rows.append([result.what, result.database, _figure(result), _budget(result), verdict])
    header = ["what", "database", "figure", "budget", "verdict"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    out = [line(header), "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    out += [line(row) for row in rows]
    out += [f"[{number}] {note}" for number, note in enumerate(notes, 1)]
    return "\n".join(out)


def render_machine(machine: dict) -> str:
    memory = f"{machine['memory_gib']} GiB" if machine["memory_gib"] is not None else "unknown"
    text = (
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {memory} RAM; {machine['os']}\n"
        f"Python {machine['python']}, SQLite {machine['sqlite']}, PostgreSQL {machine['postgresql']}"
    )
    load = machine["load_before"]
    if load is not None and load > BUSY_LOAD * machine["cores"]:
        text += (
            f"\nWarning: the machine was already busy when the run started (load average {load:g} on "
            f"{machine['cores']} cores); other programs' work inflates the figures."
        )
    return text


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    databases = DATABASES if args.database == "both" else (args.database,)
    names = args.only or _harness.benchmark_names()
    # Stopped by a CI timeout: unwind like Ctrl-C, so servers are stopped and directories removed.
    signal.signal(signal.SIGTERM, _interrupt)
    load_before = _machine.load_average()
    ctx = Context(databases=databases, quick=args.quick)
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    results: list[Result] = []
    try:
        for name in names:
            ctx.log(f"== {name}")
            try:
                rows = _harness.load(name).run(ctx)
            except KeyboardInterrupt:
                raise
            except Exception as exc:  # one broken benchmark must not hide the others' figures
                traceback.print_exc()
                note = f"{exc.__class__.__name__}: {exc}"
                rows = [Result.error(name, ", ".join(databases), "", None, note)]
            for row in rows:
                row.benchmark = row.benchmark or name
            results += rows
    finally:
        ctx.close()
    machine = _machine.describe(ctx.postgres_version, ctx.postgres_problem, load_before)

    print()
    print(render_table(results))
    print()
    print(render_machine(machine))

    RESULTS_DIR.mkdir(exist_ok=True)
    report = {
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - clock, 1),
        "command": "python -m benchmarks " + " ".join(sys.argv[1:] if argv is None else argv),
        "quick": args.quick,
        "machine": machine,
        "results": [asdict(result) for result in results],
    }
    path = RESULTS_DIR / "latest.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Results written to {path.relative_to(_harness.REPO_DIR)}")

    failed = [r for r in results if r.verdict in (MISSED, ERROR)]
    if failed:
        print(f"{len(failed)} row(s) missed the budget or failed.", file=sys.stderr)
        return 1
    if all(r.verdict == NOT_RUN for r in results):
        print("Nothing could be measured on this machine.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
