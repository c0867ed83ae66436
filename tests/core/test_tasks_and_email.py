import logging
import socket

import pytest
from django.core import mail

from tansiq.core import email, tasks

calls: list[int] = []


@tasks.background(max_attempts=3)
def flaky(succeed_on: int) -> str:
    calls.append(1)
    if len(calls) < succeed_on:
        raise RuntimeError("not yet")
    return "done"


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()


def test_a_failing_task_is_retried_until_it_succeeds():
    flaky.enqueue(succeed_on=3)
    assert len(calls) == 3


def test_a_task_that_keeps_failing_gives_up_and_reports(caplog):
    with caplog.at_level(logging.WARNING, logger="tansiq.tasks"):
        result = flaky.enqueue(succeed_on=99)
    assert len(calls) == 3
    assert result.status == "FAILED"
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "tansiq.tasks"]
    assert len(errors) == 1 and "after 3 attempts" in errors[0].getMessage()


def test_retry_delay_grows():
    assert [tasks.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 120, 480]


def test_email_is_rendered_in_the_recipients_language_not_the_senders(member, django_capture_on_commit_callbacks):
    from django.utils import translation

    member.language = "ar"
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        email.send_to_user(member, "core/email/test", {"count": 3})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    html = message.alternatives[0][0]
    assert 'dir="rtl"' in html and 'lang="ar"' in html


def test_nothing_is_sent_when_the_transaction_rolls_back(member, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                email.send_to_user(member, "core/email/test", {"count": 1})
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert mail.outbox == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_mail_goes_through_a_real_smtp_server(member, settings, django_capture_on_commit_callbacks):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = _free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        with django_capture_on_commit_callbacks(execute=True):
            email.send_to_user(member, "core/email/test", {"count": 2})
    finally:
        controller.stop()
    assert len(received) == 1
    assert received[0]["To"] == member.email
    assert received[0].is_multipart()
