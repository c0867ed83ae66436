"""A throw-away PostgreSQL server for the test suite and the benchmarks.

As a pytest plugin (``pytest -p tests.postgres_server``, which ``make test-postgres`` does) it starts
a private PostgreSQL server in a fresh temporary directory before Django reads its settings, points
``TANSIQ_DATABASE_URL`` at it, and removes it when the run ends. With pytest-xdist the controller
starts the one server and the workers inherit its address through the environment; pytest-django
creates a test database per worker on it.

As a library, ``running_postgres()`` does the same for any program::

    from tests.postgres_server import running_postgres

    with running_postgres() as url:
        ...  # postgres://postgres@127.0.0.1:PORT/tansiq

It uses the server binaries of Debian's ``postgresql`` package (``/usr/lib/postgresql/N/bin``,
version 15 preferred), runs no system service, asks for no password (``trust`` on 127.0.0.1 only)
and trades durability for speed (``fsync=off`` …): the data lives only as long as the run.
See docs/decisions/0004-tests-on-sqlite-and-postgresql.md.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PREFERRED_MAJOR = 15
DEBIAN_PACKAGE = "postgresql"
SUPERUSER = "postgres"
URL_VARIABLE = "TANSIQ_DATABASE_URL"

# Settings for a server whose data may be lost at any moment: speed over durability. Autovacuum
# stays on so that benchmarks on large tables get the query plans a real server would.
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "'1GB'",
    "checkpoint_timeout": "'30min'",
    "jit": "off",
    "max_connections": "100",
    "shared_buffers": "'128MB'",
    "log_min_messages": "warning",
    "logging_collector": "off",
    "timezone": "'UTC'",
}


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be found or started."""


def find_bin_dir() -> Path:
    """The directory holding initdb, pg_ctl and createdb: Debian's layout, version 15 preferred."""
    candidates = {
        int(initdb.parents[1].name): initdb.parent
        for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb")
        if initdb.parents[1].name.isdigit() and os.access(initdb, os.X_OK)
    }
    if PREFERRED_MAJOR in candidates:
        return candidates[PREFERRED_MAJOR]
    if candidates:
        return candidates[max(candidates)]
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb, no initdb on PATH). "
        f"Install the Debian package '{DEBIAN_PACKAGE}': "
        f"apt-get install --no-install-recommends {DEBIAN_PACKAGE}"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _unprivileged_user() -> str | None:
    """The account the server runs as when we are root (initdb and postgres refuse to run as root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise PostgresUnavailable("Running as root, but neither a 'postgres' nor a 'nobody' account exists")


def _as_user(user: str | None, command: list[str]) -> list[str]:
    if user is None:
        return command
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--", *command]
    if shutil.which("setpriv"):
        gid = pwd.getpwnam(user).pw_gid
        return ["setpriv", f"--reuid={user}", f"--regid={gid}", "--init-groups", *command]
    raise PostgresUnavailable("Running as root needs runuser or setpriv (Debian package util-linux)")


def _call(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)


def _run(command: list[str], what: str, cwd: Path) -> None:
    result = _call(command, cwd)
    if result.returncode != 0:
        output = f"{result.stdout}{result.stderr}"
        raise PostgresUnavailable(f"{what} failed (exit {result.returncode}):\n{output}")


def _initdb(bin_dir: Path, data: Path, user: str | None, cwd: Path) -> None:
    # C.UTF-8 sorts by code point like C, but knows the case of Arabic, Malay and accented letters.
    last_error = None
    for locale in ("C.UTF-8", "C"):
        if data.exists():
            shutil.rmtree(data)
        command = [
            str(bin_dir / "initdb"),
            f"--pgdata={data}",
            f"--username={SUPERUSER}",
            "--auth=trust",
            "--encoding=UTF8",
            f"--locale={locale}",
            "--no-sync",
            "--no-instructions",
        ]
        try:
            _run(_as_user(user, command), "initdb", cwd)
            return
        except PostgresUnavailable as error:
            last_error = error
    raise last_error  # type: ignore[misc]


def _log_tail(log: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    return ""


@contextlib.contextmanager
def running_postgres(database: str = "tansiq", settings: Mapping[str, str] | None = None) -> Iterator[str]:
    """Start a private PostgreSQL server, yield ``postgres://postgres@127.0.0.1:PORT/<database>``.

    ``settings`` override or add server settings, written as in postgresql.conf (strings quoted):
    ``running_postgres(settings={"fsync": "on", "work_mem": "'64MB'"})``.

    The server is stopped and its directory removed when the block ends, or at the latest when the
    interpreter exits.
    """
    bin_dir = find_bin_dir()
    user = _unprivileged_user()
    root = Path(tempfile.mkdtemp(prefix="tansiq-postgres-"))
    data = root / "data"
    log = root / "server.log"
    started = False

    def pg_ctl(*args: str) -> list[str]:
        return _as_user(user, [str(bin_dir / "pg_ctl"), *args, f"--pgdata={data}"])

    def stop() -> None:
        nonlocal started
        if started:
            started = False
            _call(pg_ctl("stop", "--mode=immediate", "--wait"), root)
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(stop)  # backstop if the block is never left normally
    try:
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        _initdb(bin_dir, data, user, root)
        for attempt in range(5):
            port = _free_port()
            conf = {**SERVER_SETTINGS, **(settings or {})}
            conf.update(port=str(port), unix_socket_directories=f"'{root}'")
            with (data / "postgresql.conf").open("a") as file:  # later lines win over earlier ones
                file.write("".join(f"{key} = {value}\n" for key, value in conf.items()))
            result = _call(pg_ctl("start", f"--log={log}", "--wait", "--timeout=60"), root)
            if result.returncode == 0:
                started = True
                break
            if attempt == 4 or "could not bind" not in _log_tail(log):  # another process took the port
                raise PostgresUnavailable(
                    f"PostgreSQL did not start (pg_ctl exit {result.returncode}):\n"
                    f"{result.stdout}{result.stderr}\n{_log_tail(log)}"
                )
            time.sleep(0.2)
        address = ["--host=127.0.0.1", f"--port={port}", f"--username={SUPERUSER}"]
        _run([str(bin_dir / "createdb"), *address, database], "createdb", root)
        yield f"postgres://{SUPERUSER}@127.0.0.1:{port}/{database}"
    finally:
        stop()
        atexit.unregister(stop)


# --- pytest plugin ---------------------------------------------------------------------------------

_session = contextlib.ExitStack()


def _sigterm_as_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # A wrapper runs before every plain implementation, in particular pytest-django's, which reads
    # the settings (and so TANSIQ_DATABASE_URL) in this same hook.
    asks_for_help = any(arg in ("-h", "--help", "--version", "-V") for arg in args)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # An xdist worker: the controller started the server and passed its address on.
        if not os.environ.get(URL_VARIABLE, "").startswith("postgres"):
            raise pytest.UsageError(f"{URL_VARIABLE} does not name the controller's PostgreSQL server")
    elif not asks_for_help:
        try:
            url = _session.enter_context(running_postgres())
        except PostgresUnavailable as error:
            raise pytest.UsageError(str(error)) from None
        os.environ[URL_VARIABLE] = url
        os.environ["TANSIQ_TEST_DATABASE"] = "postgres"
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            # Killed by a CI timeout: unwind like Ctrl-C so the server is stopped and removed.
            signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
        atexit.register(_session.close)
    return (yield)


def pytest_report_header(config):
    url = os.environ.get(URL_VARIABLE, "")
    if url.startswith("postgres") and not os.environ.get("PYTEST_XDIST_WORKER"):
        return f"database: temporary PostgreSQL server at {url} ({find_bin_dir()})"
    return None


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    _session.close()
