"""A throw-away Tansiq site: its own directory and database, demo data, a production server.

    with TemporarySite(ctx, "sqlite", url) as site:
        site.prepare(scale="large")          # migrate, load_demo, collectstatic
        with site.serve() as base_url:       # gunicorn via `tansiq serve`, production settings
            ...

Everything runs in subprocesses with the same interpreter (``python -m tansiq.cli``), so the code
measured is exactly what ``tansiq serve`` runs. The server is stopped and the directory removed
however the block ends.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks._harness import REPO_DIR, BenchmarkError, Context
from benchmarks._machine import usable_cores

HOST = "127.0.0.1"
WORKER_CHECKS = {"worker", "tasks", "scheduler"}  # components of `tansiq worker`, which is not started


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 25) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


class TemporarySite:
    def __init__(self, ctx: Context, database: str, database_url: str | None, *, label: str = "bench"):
        self.ctx = ctx
        self.database = database
        self.database_url = database_url
        self.label = label
        self.dir: Path | None = None
        self.env: dict[str, str] = {}
        self.timings: dict[str, float] = {}
        self.server_pid: int | None = None

    def __enter__(self) -> TemporarySite:
        self.dir = Path(tempfile.mkdtemp(prefix=f"tansiq-{self.label}-"))
        alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
        # The caller's own TANSIQ_* settings must not leak into the measurement.
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("TANSIQ_") and key != "DJANGO_SETTINGS_MODULE"
        }
        env.update(
            TANSIQ_MODE="production",
            TANSIQ_VAR_DIR=str(self.dir),
            TANSIQ_SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
            TANSIQ_ALLOWED_HOSTS=HOST,
            TANSIQ_SSL_REDIRECT="false",
            TANSIQ_BEHIND_PROXY="false",
            TANSIQ_HSTS_SECONDS="0",
            TANSIQ_EMAIL_URL="console://",
            PYTHONUNBUFFERED="1",
        )
        if self.database_url:
            env["TANSIQ_DATABASE_URL"] = self.database_url
        self.env = env
        return self

    def __exit__(self, *exc_info) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    # -- commands -------------------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 1800, mode: str = "production") -> str:
        """Run ``tansiq <args>`` in this site; return its output, raise BenchmarkError on failure."""
        started = time.perf_counter()
        env = {**self.env, "TANSIQ_MODE": mode}
        try:
            result = subprocess.run(
                [sys.executable, "-m", "tansiq.cli", *args],
                cwd=REPO_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise BenchmarkError(f"`tansiq {' '.join(args)}` took more than {timeout:.0f} s") from exc
        self.timings[" ".join(args)] = round(time.perf_counter() - started, 2)
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip().splitlines()
            last = next((line for line in reversed(output) if line.strip()), "")
            command = " ".join(args)
            raise BenchmarkError(
                f"`tansiq {command}` failed (exit {result.returncode}): {last}\n" + "\n".join(output[-25:])
            )
        return result.stdout

    def prepare(self, *, scale: str = "large") -> None:
        name = f"{self.label}/{self.database}"
        self.ctx.log(f"{name}: migrate")
        self.manage("migrate", "--noinput", "-v", "0")
        self.ctx.log(f"{name}: load_demo --scale {scale}")
        # load_demo refuses production mode: it creates an administrator with a published password.
        # This site is throw-away and only listens on 127.0.0.1, so the data is loaded in development
        # mode and then served, from the same database, in production mode.
        self.manage("load_demo", "--scale", scale, mode="development")
        self.ctx.log(f"{name}: collectstatic")
        self.manage("collectstatic", "--noinput", "-v", "0")
        if self.database_url and self.database_url.startswith("postgres"):
            # A production server's autovacuum would have analysed the freshly loaded tables by now;
            # the throw-away server runs without it, so gather the planner's statistics here.
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as connection:
                connection.execute("ANALYZE")

    # -- server ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def serve(
        self, *, workers: int | None = None, ready_timeout: float = 90, settings: str | None = None
    ) -> Iterator[str]:
        """Start ``tansiq serve`` (gunicorn) on a free port; yield its base URL once /healthz answers.

        ``settings`` serves another settings module (and so another URLconf) the same way, e.g. the
        plain-Django floor of ``benchmarks/_floor.py``.
        """
        assert self.dir is not None, "use TemporarySite as a context manager"
        workers = workers or usable_cores()
        port = free_port()
        log_path = self.dir / "server.log"
        env = {**self.env, "TANSIQ_BIND": f"{HOST}:{port}", "TANSIQ_WEB_WORKERS": str(workers)}
        if settings:
            env["DJANGO_SETTINGS_MODULE"] = settings
        self.ctx.log(f"{self.label}/{self.database}: tansiq serve on {HOST}:{port} with {workers} workers")
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "tansiq.cli", "serve"],
                cwd=REPO_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.server_pid = process.pid
        try:
            self._wait_ready(process, port, log_path, ready_timeout)
            yield f"http://{HOST}:{port}"
        finally:
            self.server_pid = None
            _stop(process)

    def server_cpu_seconds(self) -> float | None:
        """CPU time (user + system) used so far by the server's worker processes, from /proc.

        Unlike the wall-clock time in Server-Timing it does not grow when other programs compete
        for the processors. It counts Django's work and SQLite's (in-process), not a PostgreSQL
        server's, which runs in processes of its own.
        """
        if not self.server_pid:
            return None
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        found = False
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
            if int(fields[1]) == self.server_pid:  # ppid: a worker of this server
                total += int(fields[11]) + int(fields[12])  # utime + stime
                found = True
        return total / ticks if found else None

    def _wait_ready(self, process: subprocess.Popen, port: int, log_path: Path, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise BenchmarkError(f"`tansiq serve` exited with {process.returncode}:\n{_tail(log_path)}")
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            try:
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                body = response.read()
                if response.status == 200 or _serving_without_worker(response.status, body):
                    return
                last = f"HTTP {response.status}: {body[:200]!r}"
            except OSError as exc:
                last = exc.__class__.__name__
            finally:
                connection.close()
            time.sleep(0.2)
        raise BenchmarkError(f"`tansiq serve` not ready after {timeout:.0f} s ({last}):\n{_tail(log_path)}")

    def server_log_tail(self, lines: int = 25) -> str:
        return _tail(self.dir / "server.log", lines) if self.dir else ""


def _serving_without_worker(status: int, body: bytes) -> bool:
    """/healthz answers 503 when no task worker beats (a benchmark site runs none); the web server
    itself is ready when the only red components are the worker's."""
    if status != 503:
        return False
    try:
        checks = json.loads(body)["checks"]
    except (ValueError, KeyError, TypeError):
        return False
    return checks.get("database", {}).get("ok") is True and all(
        check.get("ok") for name, check in checks.items() if name not in WORKER_CHECKS
    )


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's arbiter (a graceful stop of its workers); SIGKILL to its group if it hangs."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        # Not yet reaped, so its id is still its own. It started its own session: its process group
        # holds the arbiter and its workers and nothing else.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
