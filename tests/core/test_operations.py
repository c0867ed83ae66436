"""Faults of a running site, reproduced with real processes on a SQLite file: a worker killed
mid-task, a write lock held past the busy timeout, the scheduler's child, a read-only connection,
reindexing and backing up while others write."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process tests use /proc")


def environment(var: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANSIQ_", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tansiq.settings",
            "TANSIQ_VAR_DIR": str(var),
            "TANSIQ_TASKS": "database",
            "TANSIQ_LOG_LEVEL": "INFO",
            **extra,
        }
    )
    return env


def tansiq(var: Path, *args, check=True, **extra) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "tansiq.cli", *args],
        cwd=ROOT,
        env=environment(var, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def start(var: Path, *args, **extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tansiq.cli", *args],
        cwd=ROOT,
        env=environment(var, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def python(var: Path, code: str, **extra) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + textwrap.dedent(code)],
        cwd=ROOT,
        env=environment(var, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def wait_for(condition, timeout: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or condition}")


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.communicate()[0] or ""


def tasks(var: Path) -> list[tuple[str, list]]:
    with sqlite3.connect(var / "tansiq.sqlite3") as db:
        rows = db.execute("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at")
        return [(status, json.loads(ids)) for status, ids in rows]


def healthz(var: Path, **extra) -> dict:
    out = python(
        var,
        """
        import json
        from django.test import Client
        response = Client(HTTP_HOST="localhost").get("/healthz")
        print(json.dumps({"code": response.status_code, **response.json()}))
        """,
        **extra,
    )
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def site(tmp_path) -> Path:
    var = tmp_path / "var"
    tansiq(var, "migrate", "-v", "0")
    return var


def enqueue(var: Path, log: Path, first_wait: float) -> None:
    python(var, f"from tests.core.worker_tasks import note_and_wait\nnote_and_wait.enqueue({str(log)!r}, {first_wait})")


WORKER = ("worker", "--no-schedule", "--interval", "0.2", "--no-startup-delay")


def test_a_task_killed_mid_run_returns_to_the_queue_after_its_lease_and_finishes(site, tmp_path):
    log = tmp_path / "task.log"
    enqueue(site, log, first_wait=120)
    first = start(site, *WORKER, TANSIQ_TASK_LEASE="2")
    try:
        wait_for(lambda: log.exists(), what="the task to start")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    assert [status for status, _ in tasks(site)] == ["RUNNING"]
    time.sleep(2.5)  # the lease runs out
    report = healthz(site, TANSIQ_TASK_LEASE="2")
    assert report["code"] == 503
    assert report["checks"]["tasks"]["past_lease"] == 1
    assert report["checks"]["worker"]["ok"] is False

    second = start(site, *WORKER, TANSIQ_TASK_LEASE="2")
    try:
        wait_for(lambda: tasks(site)[0][0] == "SUCCESSFUL", what="the task to finish on the second worker")
        report = healthz(site, TANSIQ_TASK_LEASE="2")
        assert report["checks"]["tasks"]["past_lease"] == 0
        assert report["checks"]["worker"]["ok"] is True
        assert report["checks"]["tasks"]["ok"] is True
    finally:
        output = stop(second)
    status, workers = tasks(site)[0]
    assert status == "SUCCESSFUL"
    assert len(workers) == 2  # the attempt was counted
    assert log.read_text().splitlines() == ["start", "start", "done"]
    assert "lease expired" in output


def test_the_worker_survives_a_write_lock_held_past_the_busy_timeout(site, tmp_path):
    log = tmp_path / "task.log"
    worker = start(site, *WORKER, TANSIQ_SQLITE_BUSY_TIMEOUT="1")
    try:
        time.sleep(1.5)
        holder = sqlite3.connect(site / "tansiq.sqlite3", timeout=10)
        holder.execute("BEGIN EXCLUSIVE")
        report = healthz(site, TANSIQ_SQLITE_BUSY_TIMEOUT="1")
        assert report["code"] == 503
        assert report["checks"]["database"]["writable"] is False
        time.sleep(4)  # several claims fail with "database is locked"
        assert worker.poll() is None, "the worker died on a database error"
        holder.rollback()
        holder.close()
        enqueue(site, log, first_wait=0)
        wait_for(lambda: tasks(site) and tasks(site)[0][0] == "SUCCESSFUL", what="the task to run after the lock")
        assert worker.poll() is None
        report = healthz(site, TANSIQ_SQLITE_BUSY_TIMEOUT="1")
        assert report["checks"]["database"]["ok"] is True
        assert report["checks"]["worker"]["ok"] is True
    finally:
        output = stop(worker)
    assert "database error" in output
    assert worker.returncode == 0  # it stopped on the signal, not on the error


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_the_scheduler_does_not_outlive_a_killed_worker(site):
    worker = start(site, "worker", "--interval", "0.2", "--no-startup-delay")
    try:
        wait_for(lambda: children(worker.pid), what="the scheduler to start")
        (scheduler,) = children(worker.pid)
        time.sleep(1)
        assert alive(scheduler)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        wait_for(lambda: not alive(scheduler), timeout=10, what="the orphaned scheduler to stop")
    finally:
        stop(worker)


def test_a_connection_a_write_failed_on_is_dropped_when_the_request_ends(site):
    """A file system that was read-only: the connection opened then keeps failing on SQLite (which
    Django always finds usable) until it is dropped. ``query_only`` makes this connection read-only."""
    out = python(
        site,
        """
        from django.core.signals import request_finished
        from django.db import DatabaseError, connection
        from tansiq.core.models import HijriMonthStart
        import datetime as dt
        connection.cursor().execute("PRAGMA query_only = ON")
        try:
            HijriMonthStart.objects.create(region="ZZ", hijri_year=1440, hijri_month=1, starts_on=dt.date(2020, 1, 1))
        except DatabaseError as exc:
            print("FAILED", exc)
        request_finished.send(sender=None)
        HijriMonthStart.objects.create(region="ZZ", hijri_year=1440, hijri_month=2, starts_on=dt.date(2020, 2, 1))
        print("ROWS", HijriMonthStart.objects.count())
        """,
    )
    assert "FAILED attempt to write a readonly database" in out
    assert "ROWS 1" in out


WRITER = """
import sys, time, datetime as dt
from django.db import transaction
from tansiq.core.models import HijriMonthStart
n = 0
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    with transaction.atomic():
        HijriMonthStart.objects.create(region="W%d" % (n // 10000), hijri_year=1300 + n % 10000 // 12,
                                       hijri_month=n % 12 + 1, starts_on=dt.date(2000, 1, 1) + dt.timedelta(days=n))
    n += 1
print("WROTE", n)
"""


def writer(var: Path, seconds: float, **extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "import django; django.setup()\n" + WRITER, str(seconds)],
        cwd=ROOT,
        env=environment(var, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_reindex_works_while_others_write(site):
    env = {"DJANGO_SETTINGS_MODULE": "tests.settings", "TANSIQ_MODE": "development"}
    tansiq(site, "migrate", "--run-syncdb", "-v", "0", **env)
    python(
        site,
        """
        from tests.factories import UserFactory
        from tests.workflow_app.models import Petition
        owner = UserFactory()
        Petition.objects.bulk_create(Petition(title=f"Petition {n}", owner=owner) for n in range(3000))
        """,
        **env,
    )
    busy = writer(site, 8, **env)
    try:
        time.sleep(0.5)
        out = python(
            site,
            """
            from tansiq.core.search import register, services
            from tansiq.core.search.models import SearchDocument
            from tests.workflow_app.models import Petition
            register("petition", Petition, build=lambda p: {"title": p.title, "visibility": "public"},
                     queryset=lambda: Petition.objects.all(), label="Petitions")
            steps = []
            print("INDEXED", services.rebuild("petition", batch_size=100, progress=lambda d, t: steps.append(d)))
            print("STEPS", len(steps), "DOCUMENTS", SearchDocument.objects.filter(kind="petition").count())
            """,
            **env,
        )
    finally:
        written, errors = busy.communicate(timeout=60)
    assert "INDEXED 3000" in out
    assert "STEPS 31 DOCUMENTS 3000" in out
    assert busy.returncode == 0, errors
    assert int(written.split()[-1]) > 0


def test_backup_under_write_load_restores_every_row_and_file(site, tmp_path):
    media, private = site / "media", site / "private"
    (media / "logos").mkdir(parents=True)
    (media / "logos" / "a.png").write_bytes(b"\x89PNG logo")
    (private / "admission" / "7").mkdir(parents=True)
    (private / "admission" / "7" / "statute.pdf").write_bytes(b"%PDF-1.4 statute " * 1000)
    busy = writer(site, 4)
    try:
        time.sleep(0.5)
        done = tansiq(site, "backup", str(tmp_path / "backup"))
    finally:
        busy.communicate(timeout=60)
    assert busy.returncode == 0
    assert "private: 1 files" in done.stdout
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["stores"]["private"]["files"]["admission/7/statute.pdf"]["size"] == 17000
    rows = manifest["database"]["tables"]["core_hijrimonthstart"]
    assert rows > 0

    fresh = tmp_path / "fresh"
    restored = tansiq(fresh, "restore", str(tmp_path / "backup"))
    assert "as in the manifest" in restored.stdout
    with sqlite3.connect(fresh / "tansiq.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM core_hijrimonthstart").fetchone()[0] == rows
    assert (fresh / "private" / "admission" / "7" / "statute.pdf").read_bytes() == (
        private / "admission" / "7" / "statute.pdf"
    ).read_bytes()
    assert (fresh / "media" / "logos" / "a.png").read_bytes() == b"\x89PNG logo"
    assert healthz(fresh, TANSIQ_TASKS="immediate")["checks"]["database"]["ok"] is True

    # A damaged backup is refused before anything changes.
    (tmp_path / "backup" / "files" / "private" / "admission" / "7" / "statute.pdf").write_bytes(b"%PDF- damaged")
    refused = tansiq(fresh, "restore", str(tmp_path / "backup"), check=False)
    assert refused.returncode != 0
    assert "private/admission/7/statute.pdf is missing or damaged" in refused.stderr


FAULTS = """
import json, os, subprocess, sys
from django.db import connection
from django.test import Client

mount, filler = sys.argv[1], os.path.join(sys.argv[1], "filler")
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
seen = {}

def look(name):
    health = client.get("/healthz")
    api = client.get("/api/v1/hijri?date=2026-01-01")
    seen[name] = {"health": health.status_code, "checks": {k: v["ok"] for k, v in health.json()["checks"].items()},
                  "api": api.status_code, "api_type": api["Content-Type"], "page": client.get("/en/").status_code}

look("before")
# Disk full: a file takes every free block.
subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M"], capture_output=True)
look("full")
os.remove(filler)
look("after full")
# Read-only: connections opened now are read-only, and stay so unless dropped.
connection.close()
subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
look("read-only")
subprocess.run(["mount", "-o", "remount,rw", mount], check=True)
look("writable again")
print("SEEN", json.dumps(seen))
"""


def test_disk_full_and_read_only_file_system_turn_healthz_red_and_api_answers_json(tmp_path):
    """A small tmpfs (root only, as in CI): fill it, then make it read-only; /healthz is red in each
    fault and green after, the API never answers an HTML error page, pages recover at once."""
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        var = mount / "var"
        env = {"TANSIQ_TASKS": "immediate", "TANSIQ_HEALTH_MIN_FREE_MB": "1", "TANSIQ_SQLITE_BUSY_TIMEOUT": "1"}
        tansiq(var, "migrate", "-v", "0", **env)
        done = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + FAULTS, str(mount)],
            cwd=ROOT,
            env=environment(var, **env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        out = done.stdout
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mount)], capture_output=True)
        subprocess.run(["umount", str(mount)], capture_output=True)
    seen = json.loads(out.split("SEEN", 1)[1])
    for name, state in seen.items():
        assert state["api_type"].startswith("application/json"), (name, state)
        assert state["api"] in (200, 503), (name, state)
    for green in ("before", "after full", "writable again"):
        assert seen[green]["health"] == 200, (green, seen[green])
        assert seen[green]["page"] == 200, (green, seen[green])
    assert seen["full"]["health"] == 503 and not seen["full"]["checks"]["disk"]
    assert seen["read-only"]["health"] == 503 and not seen["read-only"]["checks"]["database"]
