"""Throughput: the directory and an organisation page beside a plain-Django floor, same server, same run.

Budget (docs/performance.md): each page serves at least 50 % of the requests per second that a
one-file plain-Django page rendering 25 organisations as a right-to-left table serves (the floor,
``benchmarks/_floor.py``: Tansiq's settings and middleware, one query, one small template).

SQLite only (the floor reads the same file). One fresh site at ``--scale large``; then, three times
over, the floor and then Tansiq are each started with ``tansiq serve`` (gunicorn in production mode,
2 workers), warmed up, and loaded by ``wrk`` on loopback (2 threads, 8 connections, 10 s a page,
3 s with ``--quick``). The ratio of a round is page / floor of that round; the table gives the
median of the rounds, so that other work on a shared machine, which slows both alike, cancels out.
Needs ``wrk`` (Debian package ``wrk``).
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import urllib.request

from benchmarks._harness import BenchmarkError, Context, Metric, Result
from benchmarks._site import TemporarySite

NAME = "throughput"
WORKERS = 2
THREADS, CONNECTIONS = 2, 8
ROUNDS = 3
BUDGET_PERCENT = 50.0
FLOOR = "/ar/floor/"  # benchmarks/_floor.py, served with its own settings (never imported here)
PAGES = [
    ("members directory", "/ar/networks/uniw/members/"),
    ("organisation profile", "/ar/organisations/health-association-of-istanbul/"),
]
_RATE = re.compile(r"^Requests/sec:\s+([0-9.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
_BAD = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)|Socket errors:.*", re.MULTILINE)
_QUERIES = re.compile(r'\bdb;desc="(\d+) queries"')


def _metrics() -> list[Metric]:
    rows = [Metric(f"floor {FLOOR}: throughput", "req/s", None)]
    for label, path in PAGES:
        rows.append(Metric(f"{label} {path}: throughput", "req/s", None))
        rows.append(Metric(f"{label} {path}: share of the floor's throughput", "%", BUDGET_PERCENT, at_least=True))
    return rows


def run(ctx: Context) -> list[Result]:
    metrics = _metrics()
    if "sqlite" not in ctx.databases:
        return [Result.not_run(m.what, "sqlite", m.unit, m.budget, "SQLite only", m.at_least) for m in metrics]
    if not shutil.which("wrk"):
        note = "wrk is not installed (Debian package wrk)"
        return [Result.not_run(m.what, "sqlite", m.unit, m.budget, note, m.at_least) for m in metrics]
    sqlite_only = Context(databases=("sqlite",), quick=ctx.quick, log=ctx.log)
    return sqlite_only.per_database(NAME, metrics, lambda database, url: _measure(ctx, database, url))


def _check(base_url: str, path: str) -> int:
    """One request: the page answers 200 (not a redirect wrk would count as success); its query count."""
    request = urllib.request.Request(base_url + path, headers={"Accept-Language": "ar"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200 or response.url != base_url + path:
                raise BenchmarkError(f"{path}: HTTP {response.status} at {response.url}")
            match = _QUERIES.search(response.headers.get("Server-Timing", ""))
            return int(match.group(1)) if match else -1
    except OSError as exc:
        raise BenchmarkError(f"{path}: {exc}") from exc


def wrk(base_url: str, path: str, seconds: int) -> tuple[float, int]:
    """Requests per second and number of requests of a bounded wrk run; every response must be 2xx/3xx."""
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-H",
        "Accept-Language: ar",
        base_url + path,
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"wrk on {path} did not stop") from exc
    if done.returncode != 0:
        raise BenchmarkError(f"wrk on {path} failed: {(done.stdout + done.stderr).strip()[-300:]}")
    return parse_wrk(done.stdout, path)


def parse_wrk(output: str, path: str) -> tuple[float, int]:
    """Requests per second and number of requests from wrk's report; an error if any response was
    not 2xx/3xx or a connection failed."""
    rate, total = _RATE.search(output), _TOTAL.search(output)
    if not rate or not total:
        raise BenchmarkError(f"wrk on {path}: no figures in {output.strip()[-300:]!r}")
    bad = _BAD.search(output)
    if bad:
        raise BenchmarkError(f"wrk on {path}: {bad.group(0).strip()}")
    return float(rate.group(1)), int(total.group(1))


def _load(ctx: Context, site: TemporarySite, base_url: str, path: str, seconds: int) -> dict:
    queries = _check(base_url, path)
    wrk(base_url, path, 1)  # warm-up: templates compiled, caches filled, connections opened
    cpu_before = site.server_cpu_seconds()
    rate, total = wrk(base_url, path, seconds)
    cpu_after = site.server_cpu_seconds()
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None and total:
        cpu_ms = round((cpu_after - cpu_before) * 1000 / total, 2)
    ctx.log(f"{NAME}: {path}: {rate:.0f} req/s, CPU {cpu_ms} ms/req, {queries} queries")
    return {"requests_per_second": rate, "requests": total, "cpu_ms_per_request": cpu_ms, "queries": queries}


def _measure(ctx: Context, database: str, url: str | None) -> list[Result]:
    seconds = 3 if ctx.quick else 10
    rounds: list[dict] = []
    with TemporarySite(ctx, database, url, label=NAME) as site:
        site.prepare(scale="large")
        for number in range(1, ROUNDS + 1):
            ctx.log(f"{NAME}: round {number} of {ROUNDS}")
            measured = {}
            with site.serve(workers=WORKERS, settings="benchmarks._floor") as base_url:
                measured[FLOOR] = _load(ctx, site, base_url, FLOOR, seconds)
            with site.serve(workers=WORKERS) as base_url:
                for _label, path in PAGES:
                    measured[path] = _load(ctx, site, base_url, path, seconds)
            rounds.append(measured)
        setup = site.timings
    return _summarise(rounds, database, setup)


def _summarise(rounds: list[dict], database: str, setup: dict) -> list[Result]:
    def median(path: str, key: str) -> float | None:
        values = [measured[path][key] for measured in rounds if measured[path][key] is not None]
        return round(statistics.median(values), 2) if values else None

    common = {"rounds": rounds, "setup_seconds": setup, "wrk": {"threads": THREADS, "connections": CONNECTIONS}}
    floor_rate = median(FLOOR, "requests_per_second")
    floor = Result.measured(f"floor {FLOOR}: throughput", database, floor_rate, "req/s", None, **common)
    floor.extra = f"median of {len(rounds)}, CPU {median(FLOOR, 'cpu_ms_per_request')} ms/req"
    results = [floor]
    for label, path in PAGES:
        rate = median(path, "requests_per_second")
        page = Result.measured(f"{label} {path}: throughput", database, rate, "req/s", None, path=path)
        page.extra = f"CPU {median(path, 'cpu_ms_per_request')} ms/req, {rounds[-1][path]['queries']} queries"
        ratios = [
            100 * measured[path]["requests_per_second"] / measured[FLOOR]["requests_per_second"] for measured in rounds
        ]
        share = Result.measured(
            f"{label} {path}: share of the floor's throughput",
            database,
            round(statistics.median(ratios), 1),
            "%",
            BUDGET_PERCENT,
            at_least=True,
            path=path,
            ratios=[round(ratio, 1) for ratio in ratios],
        )
        share.extra = "rounds: " + ", ".join(f"{ratio:.0f}" for ratio in ratios)
        floor_cpu, page_cpu = median(FLOOR, "cpu_ms_per_request"), median(path, "cpu_ms_per_request")
        if floor_cpu and page_cpu:
            # The same comparison in CPU time, which other programs on the machine do not inflate.
            share.details["cpu_share_percent"] = round(100 * floor_cpu / page_cpu, 1)
            share.extra += f"; by CPU time {share.details['cpu_share_percent']:g} %"
        results += [page, share]
    return results
