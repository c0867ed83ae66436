"""What every benchmark shares: the result row, the run context, percentiles, module discovery."""

from __future__ import annotations

import contextlib
import importlib
import itertools
import math
import pkgutil
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
DATABASES = ("sqlite", "postgres")

OK = "ok"
MISSED = "MISSED"
NOT_RUN = "not run"
ERROR = "ERROR"


class DatabaseUnavailable(RuntimeError):
    """The database cannot be used on this machine (e.g. no PostgreSQL server binaries)."""


class BenchmarkError(RuntimeError):
    """A benchmark could not produce its figure (a command failed, the server did not start …)."""


@dataclass
class Result:
    """One row of the table: a figure compared with its budget (figure ≤ budget passes; with
    ``at_least``, a floor such as a throughput ratio, figure ≥ budget passes)."""

    what: str
    database: str
    figure: float | None
    unit: str
    budget: float | None
    verdict: str
    benchmark: str = ""
    extra: str = ""  # shown after the figure, e.g. "p50 6.1 ms"
    note: str = ""  # why a row was not run or failed; printed under the table
    details: dict = field(default_factory=dict)  # further figures, kept in the JSON
    at_least: bool = False

    @classmethod
    def measured(
        cls, what: str, database: str, figure: float, unit: str, budget: float | None, *, at_least=False, **details
    ) -> Result:
        within = budget is None or (figure >= budget if at_least else figure <= budget)
        return cls(what, database, figure, unit, budget, OK if within else MISSED, details=details, at_least=at_least)

    @classmethod
    def not_run(cls, what: str, database: str, unit: str, budget: float | None, note: str, at_least=False) -> Result:
        return cls(what, database, None, unit, budget, NOT_RUN, note=note, at_least=at_least)

    @classmethod
    def error(cls, what: str, database: str, unit: str, budget: float | None, note: str, at_least=False) -> Result:
        return cls(what, database, None, unit, budget, ERROR, note=note, at_least=at_least)


@dataclass(frozen=True)
class Metric:
    """A figure a benchmark promises to report, so that a failure still produces its rows."""

    what: str
    unit: str
    budget: float | None
    at_least: bool = False


class Context:
    """Options of this run and the databases benchmarks measure on.

    ``database(name)`` yields a URL for a fresh, empty database (``None`` for SQLite: the site's own
    file in its temporary directory). One PostgreSQL server is started on first use and shared by
    every benchmark of the run; each benchmark gets its own database on it.
    """

    def __init__(self, *, databases: Sequence[str], quick: bool, log: Callable[[str], None] | None = None):
        self.databases = tuple(databases)
        self.quick = quick
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self.postgres_version: str | None = None
        self.postgres_problem: str | None = None
        self._stack = contextlib.ExitStack()
        self._postgres_url: str | None = None
        self._serial = itertools.count(1)

    def close(self) -> None:
        self._stack.close()

    # -- databases ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def database(self, name: str) -> Iterator[str | None]:
        if name == "sqlite":
            yield None
            return
        if name != "postgres":
            raise ValueError(f"unknown database {name!r}")
        server = self._postgres_server()
        import psycopg

        database = f"bench_{next(self._serial)}"
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        parts = urlsplit(server)
        try:
            yield urlunsplit(parts._replace(path=f"/{database}"))
        finally:
            with psycopg.connect(server, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def _postgres_server(self) -> str:
        if self._postgres_url:
            return self._postgres_url
        if self.postgres_problem:
            raise DatabaseUnavailable(self.postgres_problem)
        try:
            try:
                from tests.postgres_server import PostgresUnavailable, running_postgres
            except ImportError as exc:
                raise DatabaseUnavailable(f"no temporary PostgreSQL server helper ({exc})") from exc
            self.log("postgres: starting a temporary PostgreSQL server")
            try:
                url = self._stack.enter_context(running_postgres())
            except PostgresUnavailable as exc:
                raise DatabaseUnavailable(str(exc).splitlines()[0]) from exc
        except DatabaseUnavailable as exc:
            self.postgres_problem = str(exc)
            raise
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            self.postgres_version = connection.execute("SHOW server_version").fetchone()[0]
        self._postgres_url = url
        return url

    def per_database(
        self, benchmark: str, metrics: Sequence[Metric], measure: Callable[[str, str | None], list[Result]]
    ) -> list[Result]:
        """Call ``measure(database, url)`` for each database of the run; a database that cannot be used
        or a measurement that fails gives 'not run' or 'ERROR' rows for ``metrics`` instead."""
        results: list[Result] = []
        for name in self.databases:
            try:
                with self.database(name) as url:
                    results += measure(name, url)
            except DatabaseUnavailable as exc:
                results += [Result.not_run(m.what, name, m.unit, m.budget, str(exc), m.at_least) for m in metrics]
            except (BenchmarkError, OSError) as exc:
                self.log(f"{benchmark}/{name}: failed: {exc}")
                note = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
                results += [Result.error(m.what, name, m.unit, m.budget, note, m.at_least) for m in metrics]
        return results


# -- statistics -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100): the smallest value with at least p % at or below it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


# -- discovery --------------------------------------------------------------------------------------


def benchmark_names() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(PACKAGE_DIR)])
        if not info.name.startswith("_") and not info.ispkg
    )


def load(name: str):
    module = importlib.import_module(f"benchmarks.{name}")
    if not callable(getattr(module, "run", None)):
        raise BenchmarkError(f"benchmarks/{name}.py has no run(ctx) function")
    return module


def run_worker(module: str, args: Sequence[str], *, url: str | None, what: str, timeout: float, **env_extra) -> dict:
    """Run ``python -m <module> --worker <args>`` with Django set up for one database (``url``, or
    SQLite in a temporary directory) and return the JSON report it prints last on its output.

    For benchmarks that measure in process rather than over HTTP (search, importing); the worker's
    progress goes to standard error, straight to the run's log.
    """
    import json
    import os
    import shutil
    import subprocess
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="tansiq-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANSIQ_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        TANSIQ_MODE="development",
        TANSIQ_VAR_DIR=str(directory),
        TANSIQ_DEBUG="false",
        TANSIQ_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="tansiq.settings",
        **env_extra,
    )
    if url:
        env["TANSIQ_DATABASE_URL"] = url
    try:
        try:
            done = subprocess.run(
                [sys.executable, "-m", module, "--worker", *args],
                cwd=REPO_DIR,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise BenchmarkError(f"the {what} worker did not finish in {exc.timeout:.0f} s") from exc
        if done.returncode != 0:
            raise BenchmarkError(f"the {what} worker failed (exit {done.returncode}); see the log above")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(directory, ignore_errors=True)
