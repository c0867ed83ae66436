"""core.notify: the inbox keeps every message; e-mail follows the person's preference per kind."""

import pytest
from django.core import mail

from tansiq.core import email, notify
from tansiq.core.models import Notification
from tests.factories import UserFactory

KIND = "test.news"
SECURITY = "test.security"


@pytest.fixture(autouse=True)
def kinds():
    notify.register_kind(KIND, "News", templates=["core/email/test"])
    notify.register_kind(SECURITY, "Security", security=True, keep_body=False)
    yield
    for name in (KIND, SECURITY):
        notify._kinds.pop(name)
    notify._by_template.pop("core/email/test")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def sending(user, kind=KIND, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notify.notify(user, kind, template="core/email/test", context={"count": 3}, **kwargs)

    return sending


def test_a_notification_is_kept_and_emailed_at_once_by_default(member, send):
    notification = send(member, url="/en/somewhere/", obj=member)
    assert notification.user == member and notification.url == "/en/somewhere/"
    assert notification.content_type.model == "user" and notification.object_id == str(member.pk)
    assert notification.delivery == "immediate" and not notification.is_read
    assert [message.to for message in mail.outbox] == [[member.email]]


def test_it_is_written_in_the_recipients_language(member, outsider, send):
    member.language = "ar"
    send(member)
    send(outsider)
    arabic, english = Notification.objects.order_by("pk")
    assert "رسالة" in arabic.body and "test message" in english.body
    assert 'lang="ar"' in mail.outbox[0].alternatives[0][0]


def test_off_keeps_it_in_the_inbox_without_email(member, send):
    notify.set_preferences(member, {KIND: "off"})
    send(member)
    assert Notification.objects.filter(user=member, delivery="off").count() == 1
    assert mail.outbox == []


def test_security_messages_are_always_emailed_and_keep_no_body(member, send):
    notify.set_preferences(member, {SECURITY: "off", KIND: "off"})  # the first is refused
    assert notify.preferences_of(member)[SECURITY] == "immediate"
    notification = send(member, kind=SECURITY)
    assert notification.delivery == "immediate" and notification.body == "" and notification.subject
    assert len(mail.outbox) == 1


def test_an_unknown_preference_or_kind_is_ignored(member):
    notify.set_preferences(member, {KIND: "hourly", "nobody.registered": "off"})
    assert notify.preferences_of(member)[KIND] == "immediate"
    with pytest.raises(LookupError):
        notify.notify(member, "nobody.registered", template="core/email/test")


def test_a_template_belongs_to_one_kind():
    with pytest.raises(ValueError):
        notify.register_kind("test.other", "Other", templates=["core/email/test"])


def test_the_shared_email_helpers_route_a_registered_template_through_the_inbox(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email.send_to_user(member, "core/email/test", {"count": 1, "link": "/en/x/"})
        # An address with an account: kept for that person too.
        email.send_templated("core/email/test", {"count": 2}, to=member.email.upper(), language="en")
        # An address with no account: e-mail only.
        email.send_templated("core/email/test", {"count": 3}, to="nobody@example.org", language="en")
    assert Notification.objects.filter(user=member).count() == 2
    assert Notification.objects.filter(user=member, url="/en/x/").exists()
    assert len(mail.outbox) == 3


def test_nothing_is_kept_or_sent_when_the_transaction_rolls_back(member, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify.notify(member, KIND, template="core/email/test", context={"count": 1})
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Notification.objects.exists() and mail.outbox == []


def test_the_daily_digest_sends_one_email_per_person_once(member, outsider, send, django_capture_on_commit_callbacks):
    member.language = "ar"
    member.save()
    for person in (member, outsider):
        notify.set_preferences(person, {KIND: "digest"})
        send(person, url="/x/")
        send(person)
    send(UserFactory())  # immediate: not in anyone's digest
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send_digests() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([member.email, outsider.email])
    arabic = next(message for message in mail.outbox if message.to == [member.email])
    assert "رسالتان جديدتان" in arabic.subject  # Arabic has a dual: "two new messages", no digit
    assert 'lang="ar"' in arabic.alternatives[0][0] and arabic.body.count("- ") == 2
    # Idempotent: a second run (the job enqueued twice, or a retry) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send_digests() == 0
    assert len(mail.outbox) == 2
    # What comes next goes in the next digest, and only that.
    send(outsider)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.send_digests() == 1
    assert mail.outbox[0].to == [outsider.email] and mail.outbox[0].body.count("- ") == 1


def test_a_digest_claimed_by_another_run_is_not_sent_again(member, send, django_capture_on_commit_callbacks):
    notify.set_preferences(member, {KIND: "digest"})
    send(member)
    ids = list(Notification.objects.values_list("pk", flat=True))
    Notification.objects.update(digested_at="2026-01-01T00:00Z")  # the other run got there first
    with django_capture_on_commit_callbacks(execute=True):
        assert notify._send_digest(member, ids) is False
    assert mail.outbox[1:] == []


def test_the_digest_is_a_daily_job():
    from tansiq.core import schedule

    assert "core.notify-digest" in [job.name for job in schedule.jobs()]


def test_unread_count_is_cached_and_forgotten_when_it_changes(
    member, send, django_assert_num_queries, django_capture_on_commit_callbacks
):
    assert notify.unread_count(member) == 0
    with django_assert_num_queries(0):
        assert notify.unread_count(member) == 0
    send(member)
    send(member)
    assert notify.unread_count(member) == 2
    first = Notification.objects.filter(user=member).first()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify.mark_read(member, first) == 1
    assert notify.unread_count(member) == 1
    assert notify.mark_read(member, first) == 0


def test_mark_read_touches_only_the_persons_own_messages(member, outsider, send):
    send(member)
    theirs = send(outsider)
    assert notify.mark_read(member, theirs) == 0
    assert notify.mark_read(member) == 1
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_a_kind_switched_off_after_its_messages_came_is_left_out_of_the_digest(
    member, send, django_capture_on_commit_callbacks
):
    notify.register_kind("test.more", "More")
    try:
        notify.set_preferences(member, {KIND: "digest", "test.more": "digest"})
        send(member)
        with django_capture_on_commit_callbacks(execute=True):
            notify.notify(member, "test.more", template="core/email/test", context={"count": 2})
        notify.set_preferences(member, {KIND: "off"})
        with django_capture_on_commit_callbacks(execute=True):
            assert notify.send_digests() == 1
        assert mail.outbox[-1].body.count("- ") == 1
        notify.set_preferences(member, {"test.more": "off"})
        send(member)  # off now: kept, not pending for a digest
        with django_capture_on_commit_callbacks(execute=True):
            assert notify.send_digests() == 0
    finally:
        notify._kinds.pop("test.more")
