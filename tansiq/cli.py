"""The ``tansiq`` command: ``demo``, ``serve``, ``worker`` and every Django management command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tansiq.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tansiq", *argv])


def demo(argv: list[str]) -> int:
    """Migrate, load the demo network, print the administrator's credentials, serve with a worker."""
    os.environ.setdefault("TANSIQ_MODE", "development")
    # Demo visitors should be able to sign in as the printed administrator without an authenticator app.
    os.environ.setdefault("TANSIQ_REQUIRE_STAFF_MFA", "false")
    import argparse

    parser = argparse.ArgumentParser(prog="tansiq demo", description=demo.__doc__)
    parser.add_argument("--scale", choices=["small", "large"], default="small", help="large: thousands of people")
    parser.add_argument("--address", default="127.0.0.1:8000", help="host:port to serve on")
    parser.add_argument("--no-serve", action="store_true", help="prepare the database and stop")
    options = parser.parse_args(argv)
    address, scale, setup_only = options.address, options.scale, options.no_serve
    python = sys.executable
    manage = [python, "-m", "tansiq.cli"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True)
    subprocess.run([*manage, "load_demo", "--scale", scale], check=True)
    if setup_only:
        return 0
    print(f"  Open http://{address}/ar/ (or /en/, /ms/). Ctrl-C stops the server and the task worker.", flush=True)
    # The database queue is polled every second here; RQ's worker is woken by Redis itself.
    polling = [] if os.environ.get("TANSIQ_TASKS_URL") else ["--interval", "1"]
    worker = subprocess.Popen([*manage, "worker", *polling])
    try:
        server = subprocess.run([*manage, "runserver", address, "--noreload", "--skip-checks"], check=False)
        return server.returncode
    except KeyboardInterrupt:
        return 0
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def serve(argv: list[str]) -> int:
    """Production: gunicorn on TANSIQ_BIND (default 127.0.0.1:8000), behind a reverse proxy."""
    os.environ.setdefault("TANSIQ_MODE", "production")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tansiq.settings")
    import django

    django.setup()  # fails here, before binding a port, on unsafe settings
    bind = os.environ.get("TANSIQ_BIND", "127.0.0.1:8000")
    workers = os.environ.get("TANSIQ_WEB_WORKERS", str(2 * (os.cpu_count() or 1) + 1))
    os.execvp(  # noqa: S606 - replace this process with gunicorn, arguments are ours
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tansiq.wsgi:application",
            "--bind",
            bind,
            "--workers",
            workers,
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("TANSIQ_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            *argv,
        ],
    )
    return 0


def _die_with_parent():
    """For the scheduler child, run between fork and exec: the kernel sends it SIGTERM when the
    worker dies, even by ``kill -9`` (Linux's PR_SET_PDEATHSIG; elsewhere, and should the worker
    die before this runs, the scheduler notices its parent is gone: ``--parent``)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork, not in the child
    pr_set_pdeathsig = 1
    return lambda: prctl(pr_set_pdeathsig, signal.SIGTERM)


def worker(argv: list[str]) -> int:
    """Run background tasks, with the daily-job scheduler beside them (``--no-schedule``: without)."""
    scheduler = None
    if "--no-schedule" in argv:
        argv = [arg for arg in argv if arg != "--no-schedule"]
    else:
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "tansiq.cli", "schedule", "--loop", "--parent", str(os.getpid())],
            preexec_fn=_die_with_parent(),  # one prctl call, before any thread starts
        )
    try:
        _django([*_worker_command(), *argv])
    except KeyboardInterrupt:
        pass
    finally:
        if scheduler is not None:
            scheduler.send_signal(signal.SIGTERM)
            try:
                scheduler.wait(timeout=10)
            except subprocess.TimeoutExpired:
                scheduler.kill()
    return 0


def _worker_command() -> list[str]:
    """The database queue's worker, or RQ's when tasks are on Redis (``TANSIQ_TASKS_URL``): with
    RQ's scheduler, which enqueues delayed retries when they fall due."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tansiq.settings")
    import django
    from django.conf import settings

    django.setup()
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
        # A worker's registration lapses two minutes after it dies (RQ's default: eight), which
        # /healthz reports.
        return ["rqworker", "--with-scheduler", "--worker-ttl", "60", *settings.TASKS["default"]["QUEUES"]]
    return ["run_worker"]


COMMANDS = {"demo": demo, "serve": serve, "worker": worker}

USAGE = """Tansiq commands:
  tansiq demo [--scale small|large] [--address HOST:PORT] [--no-serve]
                    migrate, load the demo network, serve with a task worker (development)
  tansiq serve [gunicorn options]
                    serve in production with gunicorn (TANSIQ_BIND, TANSIQ_WEB_WORKERS)
  tansiq worker [--no-schedule] [run_worker or rqworker options]
                    run background tasks (e-mail, notifications, reports) and enqueue the
                    daily jobs (compliance reminders …) when they fall due
  tansiq backup DIR / tansiq restore DIR [--check]
                    copy the database and every file store (with a manifest) while the site
                    runs / put a backup back after checking it
  tansiq schedule [--loop] [--list]
                    enqueue the daily jobs that are due (for cron, or with --no-schedule)
  tansiq <django command> …
                    any Django management command, e.g. migrate, createsuperuser, check --deploy
"""


def main(argv: list[str] | None = None) -> int:
    from django.core.exceptions import ImproperlyConfigured

    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command in ("help", "-h", "--help") and len(argv) <= 1:
        print(USAGE)
    try:
        if command in COMMANDS:
            return COMMANDS[command](argv[1:])
        _django(argv)
    except ImproperlyConfigured as error:
        # A configuration mistake is the operator's to fix: say what, without a traceback.
        print(f"tansiq: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
