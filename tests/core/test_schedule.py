import datetime as dt
import logging
import zoneinfo

import pytest
from django.core.management import call_command
from django_tasks import task

from tansiq import cli
from tansiq.core import schedule
from tansiq.core.models import ScheduledRun

pytestmark = pytest.mark.django_db

runs: list[str] = []
RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")


@task()
def morning_job() -> None:
    runs.append("morning")


@task()
def evening_job() -> None:
    runs.append("evening")


class BrokenTask:
    """A task whose queue refuses it (the database is briefly unwritable, say)."""

    def enqueue(self):
        raise RuntimeError("queue unavailable")


@pytest.fixture(autouse=True)
def jobs(settings):
    settings.TIME_ZONE = "Asia/Riyadh"
    saved = dict(schedule._jobs)
    schedule._jobs.clear()
    runs.clear()
    schedule.daily("test.morning", morning_job, at=dt.time(6, 0))
    schedule.daily("test.evening", evening_job, at=dt.time(19, 30))
    yield
    schedule._jobs.clear()
    schedule._jobs.update(saved)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=RIYADH)


def test_a_job_runs_once_a_day_at_or_after_its_time_in_the_deployments_time_zone():
    assert schedule.enqueue_due(at(23, 5, 59)) == []
    assert schedule.enqueue_due(at(23, 6, 0)) == ["test.morning"]
    assert schedule.enqueue_due(at(23, 6, 1)) == []  # the same day: already queued
    assert schedule.enqueue_due(at(23, 20)) == ["test.evening"]
    assert schedule.enqueue_due(at(23, 23, 59)) == []
    assert schedule.enqueue_due(at(24, 8)) == ["test.morning"]
    assert runs == ["morning", "evening", "morning"]
    assert list(ScheduledRun.objects.order_by("day", "job").values_list("job", "day")) == [
        ("test.evening", dt.date(2026, 11, 23)),
        ("test.morning", dt.date(2026, 11, 23)),
        ("test.morning", dt.date(2026, 11, 24)),
    ]


def test_the_day_is_the_local_day_not_utc():
    # 02:00 in Riyadh on the 24th is 23:00 UTC on the 23rd: the job belongs to the 24th.
    morning_after = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)
    schedule.enqueue_due(dt.datetime(2026, 11, 23, 7, 0, tzinfo=RIYADH))
    assert schedule.enqueue_due(morning_after) == []  # 02:00 local: before 06:00
    assert schedule.enqueue_due(morning_after + dt.timedelta(hours=4)) == ["test.morning"]


def test_a_day_claimed_by_another_scheduler_is_not_queued_again():
    ScheduledRun.objects.create(job="test.morning", day=dt.date(2026, 11, 23))
    assert schedule.enqueue_due(at(23, 9)) == []
    assert runs == []


def test_a_job_that_cannot_be_queued_is_retried_on_the_next_pass_and_does_not_stop_the_others(caplog):
    schedule.daily("test.broken", BrokenTask(), at=dt.time(5, 0))
    with caplog.at_level(logging.ERROR, logger="tansiq.tasks"):
        assert schedule.enqueue_due(at(23, 7)) == ["test.morning"]
    assert "test.broken" in caplog.text
    assert not ScheduledRun.objects.filter(job="test.broken").exists()  # the claim was rolled back
    schedule._jobs["test.broken"] = schedule.Daily("test.broken", morning_job, dt.time(5, 0))
    assert schedule.enqueue_due(at(23, 7, 1)) == ["test.broken"]


def test_one_name_cannot_be_given_to_two_jobs():
    schedule.daily("test.morning", morning_job, at=dt.time(6, 0))  # registering again is harmless
    with pytest.raises(ValueError, match="already registered"):
        schedule.daily("test.morning", evening_job)


def test_the_command_queues_what_is_due_and_lists_the_jobs(capsys, monkeypatch):
    monkeypatch.setattr(schedule.timezone, "now", lambda: at(23, 12))
    call_command("schedule")
    assert "Enqueued test.morning." in capsys.readouterr().out
    call_command("schedule", "--list")
    listing = capsys.readouterr().out
    assert "06:00  test.morning  last enqueued: 2026-11-23" in listing
    assert "19:30  test.evening  last enqueued: never" in listing


def test_the_compliance_reminders_are_a_daily_job():
    schedule._jobs.clear()
    from django.apps import apps

    from tansiq.network.apps import NetworkConfig

    NetworkConfig.ready(apps.get_app_config("network"))
    assert "network.compliance-reminders" in {job.name for job in schedule.jobs()}


def test_the_worker_starts_the_scheduler_beside_it_unless_told_not_to(monkeypatch):
    started, ran = [], []

    class Process:
        def __init__(self, args, **options):
            started.append(args)

        def send_signal(self, signum):
            pass

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(cli.subprocess, "Popen", Process)
    monkeypatch.setattr(cli, "_django", lambda argv: ran.append(argv))
    cli.worker(["--interval", "1"])
    assert started[0][-4:-1] == ["schedule", "--loop", "--parent"]
    assert ran == [["run_worker", "--interval", "1"]]
    started.clear()
    ran.clear()
    cli.worker(["--no-schedule", "--batch"])
    assert started == []
    assert ran == [["run_worker", "--batch"]]
