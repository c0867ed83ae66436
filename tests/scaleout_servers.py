"""Throw-away Redis and S3 servers for the scale-out tests (``make test-scaleout``).

``running_redis()`` starts Debian's ``redis-server`` in a fresh temporary directory, listening on a
unix socket there only (no TCP port, so no clash with anything else on the machine), without
persistence, and yields ``unix:///…/redis.sock``. ``running_s3()`` starts moto's S3 emulator in
server mode (``moto[server]``, a development dependency) on a free loopback port and yields its
``http://127.0.0.1:PORT`` endpoint. Both stop and clean up when the block ends, or at the latest
when the interpreter exits. Like tests/postgres_server.py, they run no system service.

The fixtures below (imported by tests/conftest.py) start each server once per run. When a server
cannot be had, tests that use it skip, saying why, on a developer's machine; in CI (``CI`` set) they
fail instead, so that the Redis and S3 paths can never pass by not running.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REDIS_PACKAGE = "redis-server"


class ServerUnavailable(RuntimeError):
    """The server's program is missing or would not start."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(ready, process: subprocess.Popen, log: Path, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerUnavailable(f"{what} exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        if ready():
            return
        time.sleep(0.05)
    raise ServerUnavailable(f"{what} did not answer within {timeout:.0f} s:\n{log.read_text(errors='replace')}")


@contextlib.contextmanager
def _process(command: list[str], root: Path, log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=root, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(stop)
    try:
        yield process
    finally:
        stop()
        atexit.unregister(stop)


def redis_server_binary() -> str:
    # Debian installs it in /usr/bin, which a minimal PATH may still lack.
    found = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/bin:/usr/sbin")
    if not found:
        raise ServerUnavailable(
            f"redis-server not found: install the Debian package '{REDIS_PACKAGE}' "
            f"(apt-get install --no-install-recommends {REDIS_PACKAGE})"
        )
    return found


@contextlib.contextmanager
def running_redis() -> Iterator[str]:
    """Start a private Redis server; yield its address, ``unix:///tmp/…/redis.sock``."""
    binary = redis_server_binary()
    root = Path(tempfile.mkdtemp(prefix="tansiq-redis-"))
    sock = root / "redis.sock"
    log = root / "server.log"
    command = [
        binary,
        "--port",
        "0",  # no TCP listener
        "--unixsocket",
        str(sock),
        "--unixsocketperm",
        "700",
        "--dir",
        str(root),
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
    ]

    def ready() -> bool:
        if not sock.exists():
            return False
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            try:
                client.connect(str(sock))
                client.sendall(b"PING\r\n")
                return client.recv(16).startswith(b"+PONG")
            except OSError:
                return False

    with _process(command, root, log) as process:
        _wait(ready, process, log, "redis-server")
        yield f"unix://{sock}"


@contextlib.contextmanager
def running_s3() -> Iterator[str]:
    """Start moto's S3 emulator on loopback; yield its endpoint, ``http://127.0.0.1:PORT``."""
    try:
        import moto.server  # noqa: F401 (only to say clearly when it is missing)
    except ImportError as error:
        raise ServerUnavailable(f"moto[server] is not installed ({error}): run `make install`") from None
    root = Path(tempfile.mkdtemp(prefix="tansiq-s3-"))
    log = root / "server.log"
    port = _free_port()
    command = [sys.executable, "-m", "moto.server", "--host", "127.0.0.1", "--port", str(port)]

    def ready() -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            return client.connect_ex(("127.0.0.1", port)) == 0

    with _process(command, root, log) as process:
        _wait(ready, process, log, "moto S3 server", timeout=60)
        yield f"http://127.0.0.1:{port}"


# --- pytest fixtures -------------------------------------------------------------------------------


def _unavailable(error: ServerUnavailable) -> None:
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must run the scale-out tests: {error}", pytrace=False)
    pytest.skip(str(error))


@pytest.fixture(scope="session")
def redis_address():
    try:
        with running_redis() as address:
            yield address
    except ServerUnavailable as error:
        _unavailable(error)


@pytest.fixture(scope="session")
def s3_endpoint():
    try:
        with running_s3() as endpoint:
            yield endpoint
    except ServerUnavailable as error:
        _unavailable(error)


@pytest.fixture
def redis_client(redis_address):
    import redis

    client = redis.Redis.from_url(redis_address)
    client.flushall()
    yield client
    client.flushall()
    client.close()


@pytest.fixture
def redis_cache(settings, redis_client, redis_address):
    """The default cache on the Redis server, as with ``TANSIQ_CACHE_URL=unix://…``."""
    settings.CACHE_URL = redis_address
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_address,
            "KEY_PREFIX": "tansiq",
        }
    }
    from django.core.cache import caches

    yield caches["default"]
    caches["default"].close()


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def other_machine(tmp_path):
    """Run Python code in a separate process configured like another machine of the deployment
    (its own memory, the shared services of ``env``): ``other_machine(code, TANSIQ_CACHE_URL=…)``
    returns what the code printed."""

    def run(code: str, **env: str) -> str:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "TANSIQ_MODE": "test",
            "TANSIQ_VAR_DIR": str(tmp_path / "other-machine"),
            "PYTHONPATH": str(ROOT),
            **env,
        }
        script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        done = subprocess.run(
            [sys.executable, "-c", script], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    return run
