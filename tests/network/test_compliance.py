"""Compliance reminders: 30 and 7 days before the annual return and the licence fall due, once each."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from tansiq.network.models import ComplianceReminder
from tansiq.network.services.compliance import lead_time, remind_of_compliance_dates, send_compliance_reminders
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory, OrganisationFactory

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def due_org(db):
    # AGM on 2 Jan: annual return due 3 Mar (2 days away); licence expires in 30 days.
    organisation = OrganisationFactory(
        slug="due", name_en="Due Society", agm_date=dt.date(2026, 1, 2), licence_expiry=dt.date(2026, 3, 31)
    )
    return organisation


def _run(today, callbacks):
    with callbacks(execute=True):
        return send_compliance_reminders(today=today)


@pytest.mark.parametrize(("days_left", "lead"), [(-1, None), (0, 7), (7, 7), (8, 30), (30, 30), (31, None)])
def test_the_nearest_window_decides_which_reminder_is_due(days_left, lead):
    assert lead_time(TODAY + dt.timedelta(days=days_left), TODAY) == lead


def test_owners_and_admins_are_reminded_in_their_own_language(due_org, django_capture_on_commit_callbacks):
    owner = UserFactory(email="owner@example.org", language="ar")
    admin = UserFactory(email="admin@example.org", language="ms")
    editor = UserFactory(email="editor@example.org", language="en")
    for user, role in ((owner, "owner"), (admin, "admin"), (editor, "editor")):
        MembershipFactory(user=user, organisation=due_org, role=role)

    assert _run(TODAY, django_capture_on_commit_callbacks) == 2

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["admin@example.org"] * 2 + ["owner@example.org"] * 2
    to_owner = [message for message in mail.outbox if message.to == ["owner@example.org"]]
    assert all("/ar/organisations/due/" in message.body for message in to_owner)
    to_admin = [message for message in mail.outbox if message.to == ["admin@example.org"]]
    assert all("/ms/organisations/due/" in message.body for message in to_admin)
    assert set(ComplianceReminder.objects.values_list("kind", "days_before")) == {("annual_return", 7), ("licence", 30)}


def test_a_reminder_is_never_sent_twice_for_the_same_due_date(due_org, django_capture_on_commit_callbacks):
    MembershipFactory(user=UserFactory(email="owner@example.org"), organisation=due_org, role="owner")
    _run(TODAY, django_capture_on_commit_callbacks)
    first = len(mail.outbox)
    assert _run(TODAY, django_capture_on_commit_callbacks) == 0
    assert _run(TODAY + dt.timedelta(days=1), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == first
    # 23 days later the licence enters the 7-day window: one more reminder, for it alone.
    assert _run(TODAY + dt.timedelta(days=23), django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == first + 1


def test_a_new_due_date_is_announced_again(due_org, django_capture_on_commit_callbacks):
    MembershipFactory(user=UserFactory(), organisation=due_org, role="owner")
    _run(TODAY, django_capture_on_commit_callbacks)
    due_org.licence_expiry = dt.date(2027, 3, 31)
    due_org.save()
    assert _run(dt.date(2027, 3, 1), django_capture_on_commit_callbacks) == 1


def test_nobody_to_tell_records_nothing(due_org, django_capture_on_commit_callbacks):
    assert _run(TODAY, django_capture_on_commit_callbacks) == 0
    assert not ComplianceReminder.objects.exists() and not mail.outbox


def test_the_command_and_the_task_do_the_same_work(due_org, django_capture_on_commit_callbacks):
    MembershipFactory(user=UserFactory(), organisation=due_org, role="owner")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_compliance_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert "2 due date(s)" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        remind_of_compliance_dates.enqueue(TODAY.isoformat())
    assert ComplianceReminder.objects.count() == 2
