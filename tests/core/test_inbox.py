"""The inbox page, the header's unread count, the preferences page and the inbox API."""

import pytest

from tansiq.core import notify
from tansiq.core.models import Notification
from tests.helpers import assert_refused

KIND = "test.inbox"


@pytest.fixture(autouse=True)
def kind():
    notify.register_kind(KIND, "Inbox test", templates=["core/email/test"])
    notify.register_kind("test.lock", "Locks", security=True)
    yield
    notify._kinds.pop(KIND)
    notify._kinds.pop("test.lock")
    notify._by_template.pop("core/email/test")


def message(user, *, url="/en/somewhere/", read=False):
    notification = notify.notify(user, KIND, template="core/email/test", context={"count": 1}, url=url)
    if read:
        notify.mark_read(user, notification)
    return notification


def test_the_inbox_lists_only_the_persons_own_messages(client, member, outsider):
    mine = message(member)
    theirs = message(outsider)
    client.force_login(member)
    html = client.get("/en/inbox/").content.decode()
    assert str(mine.uuid) in html and str(theirs.uuid) not in html
    assert 'href="/en/somewhere/"' in html


def test_another_persons_message_cannot_be_marked_read(client, member, outsider):
    theirs = message(outsider)
    assert_refused(
        client,
        member,
        [
            ("post", f"/en/inbox/{theirs.uuid}/read/"),
            ("post", f"/api/v1/notifications/{theirs.uuid}/read", {}),
            ("post", "/api/v1/notifications/not-a-uuid/read", {}),
        ],
        allowed=(404,),
    )
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_visitors_are_sent_to_sign_in(client, member):
    mine = message(member)
    assert_refused(
        client, None, ["/en/inbox/", ("post", f"/en/inbox/{mine.uuid}/read/"), "/en/accounts/notifications/"]
    )
    assert client.get("/api/v1/notifications").status_code == 401


def test_mark_one_and_all_read_and_the_unread_count_in_the_header(client, member, django_capture_on_commit_callbacks):
    first, second, third = message(member), message(member), message(member)
    client.force_login(member)
    html = client.get("/en/inbox/").content.decode()
    assert '<span class="badge rounded-pill text-bg-danger">3' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/inbox/{first.uuid}/read/", {"next": "/en/inbox/?status=unread"})
    assert response.status_code == 302 and response["Location"] == "/en/inbox/?status=unread"
    html = client.get("/en/inbox/?status=unread").content.decode()
    assert '<span class="badge rounded-pill text-bg-danger">2' in html
    assert str(first.uuid) not in html and str(second.uuid) in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/inbox/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/en/inbox/"
    html = client.get("/en/inbox/").content.decode()
    assert "text-bg-danger" not in html
    assert not Notification.objects.filter(user=member, read_at=None).exists()
    assert third.uuid


def test_filters_by_status_and_kind_and_the_empty_state(client, member):
    unread, read = message(member), message(member, read=True)
    client.force_login(member)
    html = client.get("/en/inbox/?status=read").content.decode()
    assert str(read.uuid) in html and str(unread.uuid) not in html
    html = client.get("/en/inbox/?kind=test.lock").content.decode()
    assert "No messages here." in html
    assert "Clear the filters" in html


def test_the_inbox_paginates(client, member):
    for _n in range(30):
        message(member)
    client.force_login(member)
    first = client.get("/en/inbox/")
    assert len(first.context["page_obj"].object_list) == 25
    assert len(client.get("/en/inbox/?page=2").context["page_obj"].object_list) == 5


def test_the_inbox_stays_within_the_query_budget(client, member, django_assert_max_num_queries):
    for _n in range(40):
        message(member)
    client.force_login(member)
    for url in ["/ar/inbox/", "/ar/inbox/?page=2&status=unread", "/ar/accounts/notifications/"]:
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_preferences_page_lists_the_kinds_and_saves_choices(client, member):
    client.force_login(member)
    html = client.get("/en/accounts/notifications/").content.decode()
    assert "Inbox test" in html and "Locks" in html and "cannot be switched off" in html
    response = client.post("/en/accounts/notifications/", {KIND: "digest", "test.lock": "off"})
    assert response.status_code == 302
    assert notify.preferences_of(member)[KIND] == "digest"
    assert notify.preferences_of(member)["test.lock"] == "immediate"


def test_the_api_lists_and_marks_only_your_own(client, member, outsider, django_capture_on_commit_callbacks):
    mine, theirs = message(member), message(outsider)
    client.force_login(member)
    body = client.get("/api/v1/notifications").json()
    assert [item["id"] for item in body["items"]] == [str(mine.uuid)]
    assert body["items"][0]["url"] == "/en/somewhere/" and body["items"][0]["read_at"] is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/notifications/{mine.uuid}/read", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["read_at"]
    assert client.get("/api/v1/notifications?unread=true").json()["items"] == []
    assert client.get("/api/v1/notifications?unread=false").json()["count"] == 1
    message(member)
    assert client.post("/api/v1/notifications/read", {}, content_type="application/json").json() == {"unread": 0}
    assert not Notification.objects.filter(user=member, read_at=None).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_signing_in_prepares_the_unread_count_so_pages_do_not_count(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    message(member)
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/en/accounts/profile/").content.decode()
    assert '<span class="badge rounded-pill text-bg-danger">1' in html
    assert not [query for query in queries.captured_queries if "core_notification" in query["sql"]]
