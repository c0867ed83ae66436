"""Pages: p95 server time and queries of public and management pages under 20 concurrent clients.

Budget (docs/performance.md): any list or detail page, demo data at ``--scale large``: p95 ≤ 50 ms server
time, ≤ 10 queries. For each database: a fresh site, ``migrate``, ``load_demo --scale large``,
``collectstatic``, then ``tansiq serve`` (gunicorn, production settings, one worker per core).
After a warm-up, 20 client threads request one page at a time, 2 000 responses per page (300 with
``--quick``). The server time and query count come from each response's ``Server-Timing`` header.
"""

from __future__ import annotations

import json

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
# Management pages, each read by the person who keeps it (signed in; the secretariat with its second
# factor on, as the platform requires). At `--scale large` the union has about 200 units
# (tansiq.demo.keeping); the Malaysian member its owner keeps has 200 contacts, 40 people acting for
# it and a membership in both networks; the Türkiye representation has about 800 member organisations.
KEEPER_ORGANISATION = "/ar/organisations/culture-association-of-kuala-lumpur"
SIGNED_IN_PAGES = [
    ("contacts", f"{KEEPER_ORGANISATION}/contacts/", "ar", "ahmad.kamal@demo.tansiq.org"),
    ("representatives", f"{KEEPER_ORGANISATION}/representatives/", "ar", "ahmad.kamal@demo.tansiq.org"),
    ("units tree", "/ar/networks/uniw/units/", "ar", "secretariat@demo.tansiq.org"),
    ("units tree, unit admin", "/ar/networks/uniw/units/", "ar", "aylin.demir@demo.tansiq.org"),
    ("one unit", "/ar/networks/uniw/units/tr/", "ar", "secretariat@demo.tansiq.org"),
    # A member's search is not kept like a visitor's (a member may see more): ranked on each request.
    ("members directory, search, member", "/ar/networks/uniw/members/?q=health", "ar", "ahmad.kamal@demo.tansiq.org"),
]
# Run inside the site (`tansiq shell`): a session for each keeper, printed as JSON.
SIGN_IN = """
import json
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from tansiq.accounts.models import User
sessions = {}
for email in EMAILS:
    user = User.objects.get(email=email)
    if user.is_platform_staff and not is_mfa_enabled(user):
        TOTP.activate(user, generate_totp_secret())
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(path for path in settings.AUTHENTICATION_BACKENDS if "ModelBackend" in path)
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions[email] = {settings.SESSION_COOKIE_NAME: session.session_key}
print(json.dumps(sessions))
"""


def _metrics(label: str, path: str) -> list[Metric]:
    return [
        Metric(f"{label} {path}: p95 server time", "ms", BUDGET_MS),
        Metric(f"{label} {path}: queries per request (max)", "queries", BUDGET_QUERIES),
    ]


def _pages() -> list[tuple[str, str, str, str | None]]:
    return [(label, path, language, None) for label, path, language in PAGES] + SIGNED_IN_PAGES


def _sign_in(site: TemporarySite) -> dict[str, dict[str, str]]:
    emails = sorted({email for *_page, email in SIGNED_IN_PAGES})
    output = site.manage("shell", "-c", f"EMAILS = {emails!r}\n{SIGN_IN}")
    return json.loads(output.strip().splitlines()[-1])


def run(ctx: Context) -> list[Result]:
    metrics = [metric for label, path, _language, _email in _pages() for metric in _metrics(label, path)]
    return ctx.per_database(NAME, metrics, lambda database, url: _measure(ctx, database, url))


def _measure(ctx: Context, database: str, url: str | None) -> list[Result]:
    requests, max_seconds, warmup = (300, 20.0, 60) if ctx.quick else (2000, 120.0, 200)
    results = []
    with TemporarySite(ctx, database, url, label=NAME) as site:
        site.prepare(scale="large")
        sessions = _sign_in(site)
        with site.serve() as base_url:
            for label, path, language, email in _pages():
                ctx.log(f"{NAME}/{database}: {path} warm-up ({warmup}), then {requests} requests")
                options = {"clients": CLIENTS, "language": language, "cookies": sessions.get(email)}
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
