import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from hypothesis import given
from hypothesis import strategies as st

from tansiq.core import audit
from tansiq.core.models import AuditEntry
from tests.helpers import ROLE_REFUSED, assert_refused


def test_secret_fields_never_reach_the_log(member):
    entry = audit.record(
        "update",
        by=member,
        obj=member,
        changes={"password": "hunter2", "display_name": "x", "nested": {"api_token": "t"}},
    )
    assert entry.changes == {"password": "[hidden]", "display_name": "x", "nested": {"api_token": "[hidden]"}}


def test_every_back_office_change_is_mirrored_with_field_names_only(secretariat, member):
    LogEntry.objects.log_actions(
        user_id=secretariat.pk,
        queryset=[member],
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Display name", "Password"]}}]',
        single_object=True,
    )
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.actor == secretariat
    assert entry.content_type == ContentType.objects.get_for_model(member)
    assert entry.object_id == str(member.pk)
    assert entry.changes == {"fields": ["Display name", "Password"]}


def test_changing_a_user_in_the_admin_is_audited(client, db):
    from tests.factories import UserFactory
    from tests.helpers import with_mfa

    admin = with_mfa(UserFactory(is_staff=True, is_superuser=True))
    target = UserFactory(display_name="قبل")
    client.force_login(admin)
    response = client.post(
        f"/en/admin/accounts/user/{target.pk}/change/",
        {
            "email": target.email,
            "display_name": "بعد",
            "language": "ar",
            "time_zone": "Asia/Riyadh",
            "show_hijri": "auto",
            "hijri_region": "",
            "digits": "auto",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="admin.change", object_id=str(target.pk))
    assert entry.actor == admin
    assert "Display name" in entry.changes["fields"]


def test_audit_log_page_is_for_the_secretariat_only(client, member, outsider, secretariat):
    assert_refused(client, None, ["/en/audit/", "/en/audit/?export=csv", "/api/v1/audit"], allowed=ROLE_REFUSED)
    assert_refused(client, member, ["/en/audit/", "/en/audit/?export=xlsx", "/api/v1/audit"], allowed=ROLE_REFUSED)
    client.force_login(secretariat)
    assert client.get("/en/audit/").status_code == 200


@pytest.fixture
def entries(secretariat, member):
    audit.record("transition", by=member, obj=member, from_state="draft", to_state="submitted", reason="=HYPERLINK(1)")
    audit.record("security", by=secretariat, obj=secretariat, changes={"event": "login"})
    return AuditEntry.objects.all()


def test_secretariat_filters_the_audit_log(client, secretariat, entries, django_assert_max_num_queries):
    client.force_login(secretariat)
    with django_assert_max_num_queries(10):
        response = client.get("/ar/audit/", {"action": "transition"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "submitted" in html
    assert response.context["page_obj"].paginator.count == 1


def test_an_impossible_filter_value_is_an_error_beside_the_field_not_a_crash(client, secretariat, entries):
    client.force_login(secretariat)
    response = client.get("/en/audit/", {"since": "not-a-date", "action": "nonsense"})
    assert response.status_code == 200
    form = response.context["filter_form"]
    assert "since" in form.errors and "action" in form.errors


def test_htmx_requests_get_only_the_rows(client, secretariat, entries):
    client.force_login(secretariat)
    response = client.get("/en/audit/", headers={"HX-Request": "true"})
    assert b"<html" not in response.content
    assert b"<table" in response.content


def test_audit_export_neutralises_formulas(client, secretariat, entries):
    client.force_login(secretariat)
    response = client.get("/en/audit/", {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    xlsx = client.get("/en/audit/", {"export": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_audit_api_for_the_secretariat(client, secretariat, entries):
    client.force_login(secretariat)
    data = client.get("/api/v1/audit", {"action": "transition"}).json()
    assert data["count"] == 1
    assert data["items"][0]["to_state"] == "submitted"


@given(st.text(max_size=40))
def test_neutralised_cells_never_start_a_formula(value):
    from tansiq.core.exports import neutralise

    result = neutralise(value)
    stripped = result.lstrip(" \t\r\n\u200e\u200f\u061c\ufeff")
    assert not (stripped[:1] in ("=", "+", "-", "@") and result == value and value.strip()[:1] in "=+-@")
