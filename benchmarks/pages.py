"""Pages: p95 server time and queries of public pages under 20 concurrent clients.

Budget (docs/performance.md): any list or detail page, demo data at ``--scale large``: p95 ≤ 50 ms server
time, ≤ 10 queries. For each database: a fresh site, ``migrate``, ``load_demo --scale large``,
``collectstatic``, then ``tansiq serve`` (gunicorn, production settings, one worker per core).
After a warm-up, 20 client threads request one page at a time, 2 000 responses per page (300 with
``--quick``). The server time and query count come from each response's ``Server-Timing`` header.
"""

from __future__ import annotations

from benchmarks._harness import BenchmarkError, Context, Metric, Result, percentile
from benchmarks._load import run_clients
from benchmarks._site import TemporarySite

NAME = "pages"
CLIENTS = 20
BUDGET_MS = 50.0
BUDGET_QUERIES = 10
PAGES = [
    ("home", "/ar/", "ar"),
    ("home", "/en/", "en"),
    ("sign-in", "/ar/accounts/login/", "ar"),
    # The public registry: the union at `--scale large` has 10 000 member organisations from 65 countries.
    ("network home", "/ar/networks/uniw/", "ar"),
    ("members directory", "/ar/networks/uniw/members/", "ar"),
    # Searched (the search index, ranked) and filtered. Both queries find about 1 000 of the 10 000:
    # "health" in English names, and "رعايه الايتام" typed without hamza and with haa for taa
    # marbuta, which finds "رعاية الأيتام" (orphan care).
    ("members directory, search", "/ar/networks/uniw/members/?q=health", "ar"),
    (
        "members directory, search",
        "/ar/networks/uniw/members/?q=%D8%B1%D8%B9%D8%A7%D9%8A%D9%87%20%D8%A7%D9%84%D8%A7%D9%8A%D8%AA%D8%A7%D9%85",
        "ar",
    ),
    ("members directory, filter", "/ar/networks/uniw/members/?country=MY&type=ngo", "ar"),
    ("members directory, deep page", "/ar/networks/uniw/members/?page=200", "ar"),
    ("organisation profile", "/ar/organisations/health-association-of-istanbul/", "ar"),
]


def _metrics(label: str, path: str) -> list[Metric]:
    return [
        Metric(f"{label} {path}: p95 server time", "ms", BUDGET_MS),
        Metric(f"{label} {path}: queries per request (max)", "queries", BUDGET_QUERIES),
    ]


def run(ctx: Context) -> list[Result]:
    metrics = [metric for label, path, _language in PAGES for metric in _metrics(label, path)]
    return ctx.per_database(NAME, metrics, lambda database, url: _measure(ctx, database, url))


def _measure(ctx: Context, database: str, url: str | None) -> list[Result]:
    requests, max_seconds, warmup = (300, 20.0, 60) if ctx.quick else (2000, 120.0, 200)
    results = []
    with TemporarySite(ctx, database, url, label=NAME) as site:
        site.prepare(scale="large")
        with site.serve() as base_url:
            for label, path, language in PAGES:
                ctx.log(f"{NAME}/{database}: {path} warm-up ({warmup}), then {requests} requests")
                options = {"clients": CLIENTS, "language": language}
                try:
                    run_clients(base_url, path, requests=warmup, max_seconds=60, **options)
                    cpu_before = site.server_cpu_seconds()
                    load = run_clients(base_url, path, requests=requests, max_seconds=max_seconds, **options)
                    cpu_after = site.server_cpu_seconds()
                    cpu_ms = None
                    if cpu_before is not None and cpu_after is not None and load.samples:
                        cpu_ms = round((cpu_after - cpu_before) * 1000 / len(load.samples), 1)
                    results += _summarise(site, database, label, path, load, cpu_ms)
                except BenchmarkError as exc:  # this page failed; the other pages still count
                    ctx.log(f"{NAME}/{database}: {path} failed: {exc}")
                    note = str(exc).splitlines()[0]
                    results += [Result.error(m.what, database, m.unit, m.budget, note) for m in _metrics(label, path)]
        for result in results:
            result.details["setup_seconds"] = site.timings
    return results


def _summarise(site: TemporarySite, database: str, label: str, path: str, load, cpu_ms: float | None) -> list[Result]:
    ok = load.ok
    bad = [s.status for s in load.samples if s.status != 200]
    if not ok or bad or load.failures:
        summary = f"{len(ok)} × 200"
        if bad:
            summary += f", {len(bad)} other (first: HTTP {bad[0]})"
        if load.failures:
            summary += f", {len(load.failures)} failed ({load.failures[0]})"
        raise BenchmarkError(f"{path}: {summary}\n{site.server_log_tail()}")
    server = [s.server_ms for s in ok if s.server_ms is not None]
    queries = [s.queries for s in ok if s.queries is not None]
    if len(server) != len(ok) or len(queries) != len(ok):
        raise BenchmarkError(f"{path}: responses without a Server-Timing header")
    client = [s.client_ms for s in ok]
    details = {
        "path": path,
        "requests": len(ok),
        "clients": CLIENTS,
        "seconds": round(load.seconds, 2),
        "requests_per_second": round(len(ok) / load.seconds, 1),
        "server_ms": {p: round(percentile(server, p), 1) for p in (50, 90, 95, 99, 100)},
        "client_ms": {p: round(percentile(client, p), 1) for p in (50, 95, 99)},
        "queries": {"min": min(queries), "max": max(queries)},
        "bytes": round(sum(s.size for s in ok) / len(ok)),
        "server_cpu_ms_per_request": cpu_ms,
    }
    p50, p95 = details["server_ms"][50], details["server_ms"][95]
    time_row = Result.measured(f"{label} {path}: p95 server time", database, p95, "ms", BUDGET_MS, **details)
    time_row.extra = f"p50 {p50:g} ms" + (f", CPU {cpu_ms:g} ms/req" if cpu_ms is not None else "")
    query_row = Result.measured(
        f"{label} {path}: queries per request (max)",
        database,
        max(queries),
        "queries",
        BUDGET_QUERIES,
        path=path,
        queries=details["queries"],
    )
    return [time_row, query_row]
