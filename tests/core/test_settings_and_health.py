import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAFE = {
    "TANSIQ_MODE": "production",
    "TANSIQ_EMAIL_URL": "smtp://mail.example.org:587",
    "TANSIQ_SECRET_KEY": "k" * 20 + "-production-secret-for-tests-only-" + "z" * 20,
    "TANSIQ_ALLOWED_HOSTS": "tansiq.example.org",
}


def run_django(args, extra_env, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANSIQ_", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "tansiq.settings", "TANSIQ_VAR_DIR": str(tmp_path), **extra_env})
    return subprocess.run(
        [sys.executable, "-m", "tansiq.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"TANSIQ_SECRET_KEY": ""}, "TANSIQ_SECRET_KEY"),
        ({"TANSIQ_ALLOWED_HOSTS": ""}, "TANSIQ_ALLOWED_HOSTS"),
        ({"TANSIQ_ALLOWED_HOSTS": "*"}, "TANSIQ_ALLOWED_HOSTS must not be '*'"),
        ({"TANSIQ_ALLOWED_HOSTS": "tansiq.example.org,*"}, "TANSIQ_ALLOWED_HOSTS must not be '*'"),
        ({"TANSIQ_DEBUG": "true"}, "TANSIQ_DEBUG"),
        ({"TANSIQ_EMAIL_URL": ""}, "TANSIQ_EMAIL_URL"),
        ({"TANSIQ_EMAIL_URL": "carrier-pigeon://loft"}, "TANSIQ_EMAIL_URL"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, missing, message):
    result = run_django(["check"], {**SAFE, **missing}, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_malformed_variable_is_named_in_the_error(tmp_path):
    result = run_django(["check"], {"TANSIQ_DEBUG": "perhaps"}, tmp_path)
    assert result.returncode != 0
    assert "TANSIQ_DEBUG must be true or false" in result.stderr


def test_an_empty_boolean_means_its_default_not_off(tmp_path):
    result = run_django(
        ["shell", "-c", "from django.conf import settings; print(settings.TANSIQ_REQUIRE_STAFF_MFA)"],
        {"TANSIQ_REQUIRE_STAFF_MFA": ""},
        tmp_path,
    )
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


def test_the_demo_is_refused_in_production(tmp_path):
    result = run_django(["load_demo"], SAFE, tmp_path)
    assert result.returncode != 0
    assert "refused in production" in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(SAFE["TANSIQ_SECRET_KEY"] + "\n")
    env = {**SAFE, "TANSIQ_SECRET_KEY": "", "TANSIQ_SECRET_KEY_FILE": str(secret)}
    result = run_django(["check"], env, tmp_path)
    assert result.returncode == 0, result.stderr


def test_production_passes_the_deployment_checklist_without_warnings(tmp_path):
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], SAFE, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_no_model_change_lacks_a_migration(tmp_path):
    result = run_django(["makemigrations", "--check", "--dry-run"], {}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_healthz_reports_database_and_tasks(client, db):
    response = client.get("/healthz")
    data = response.json()
    assert response.status_code == 200
    assert data["status"] == "ok"
    assert data["checks"]["database"]["ok"] is True
    assert data["checks"]["tasks"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_reports_a_stuck_task_queue(client, db, settings):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    row = DBTaskResult.objects.create(
        task_path="tansiq.core.tasks.deliver_email",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=timezone.now() - dt.timedelta(hours=1))
    from tansiq.core.worker import beat

    beat("worker:alive", "worker")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["tasks"]["oldest_ready_seconds"] >= 3600
    assert response.json()["checks"]["worker"]["ok"] is True
    row.delete()
    assert client.get("/healthz").status_code == 200


def test_security_headers(client, db):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "app;dur=" in response["Server-Timing"]


def test_pages_carry_no_inline_scripts_or_styles(client, db):
    import re

    html = client.get("/ar/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html


SQLITE_WRITERS = textwrap.dedent(
    """
    import os, sys, threading
    import django
    django.setup()
    from django.db import transaction, connection
    from tansiq.core.models import HijriMonthStart
    errors = []
    def writer(offset):
        import datetime as dt
        try:
            for n in range(40):
                with transaction.atomic():
                    # Read first, then write: the pattern that fails with "database is locked"
                    # on a deferred transaction when two connections upgrade at once.
                    HijriMonthStart.objects.filter(region="ZZ").count()
                    HijriMonthStart.objects.create(region="%s%d" % (sys.argv[1], offset), hijri_year=1400 + n // 12,
                        hijri_month=n % 12 + 1, starts_on=dt.date(2000 + offset, 1, 1) + dt.timedelta(days=n))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print("ERRORS", errors)
    print("ROWS", HijriMonthStart.objects.count())
    """
)


def test_concurrent_sqlite_writers_never_see_database_is_locked(tmp_path):
    assert run_django(["migrate", "-v", "0"], {}, tmp_path).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANSIQ_", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "tansiq.settings", "TANSIQ_VAR_DIR": str(tmp_path)})
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SQLITE_WRITERS, str(proc)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for proc in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in processes]
    for output in outputs:
        assert "ERRORS []" in output, output
    assert any("ROWS 320" in output for output in outputs), outputs


def test_healthz_reports_a_stopped_scheduler(client, db):
    import datetime as dt

    from django.utils import timezone

    from tansiq.core.models import ScheduledRun

    ScheduledRun.objects.create(job="network.compliance-reminders", day=timezone.localdate() - dt.timedelta(days=1))
    data = client.get("/healthz").json()
    assert data["status"] == "ok"
    assert data["checks"]["scheduler"]["late"] == []
    ScheduledRun.objects.all().update(day=timezone.localdate() - dt.timedelta(days=3))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["scheduler"]["late"] == ["network.compliance-reminders"]


def test_the_commands_the_deployment_guide_names_are_shipped():
    """docs/deployment.md runs every command through ``tansiq-admin``: the checkout ships it."""
    guide = (ROOT / "docs" / "deployment.md").read_text()
    assert "tansiq-admin migrate" in guide and "scripts/tansiq-admin" in guide
    wrapper = ROOT / "scripts" / "tansiq-admin"
    assert wrapper.is_file() and os.access(wrapper, os.X_OK)
    assert subprocess.run(["sh", "-n", str(wrapper)], check=False).returncode == 0
    assert ".venv/bin/tansiq" in wrapper.read_text()
