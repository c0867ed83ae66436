import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.helpers import with_mfa


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
def test_not_found_page_is_in_the_readers_language(client, db, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert "404" in html or "٤٠٤" in html


def test_server_error_page_is_rendered_by_our_handler(db, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from tansiq.core.views import error_500

    request = rf.get("/ar/")
    request.user = AnonymousUser()
    with translation.override("ar"):
        response = error_500(request)
    assert response.status_code == 500
    assert 'dir="rtl"' in response.content.decode()


def test_expired_form_gets_a_friendly_page(db):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/en/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert b"Form expired" in response.content or b"expired" in response.content


def test_back_office_is_right_to_left_in_arabic_and_for_staff_only(client, db, member):
    admin = with_mfa(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(member)
    assert client.get("/ar/admin/").status_code == 302
    client.force_login(admin)
    response = client.get("/ar/admin/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()
    # Background tasks are visible to staff in the back office.
    assert client.get("/en/admin/django_tasks_database/dbtaskresult/").status_code == 200


def test_repeated_wrong_passwords_are_rate_limited(client, db):
    UserFactory(email="target@example.org")
    for _ in range(6):
        response = client.post("/en/accounts/login/", {"login": "target@example.org", "password": "wrong-password"})
    assert "Too many failed login attempts" in str(response.context["form"].errors)
    # The right password is refused too while the limit lasts.
    response = client.post(
        "/en/accounts/login/", {"login": "target@example.org", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_print_stylesheet_is_linked(client, db):
    assert 'media="print"' in client.get("/en/").content.decode()


def test_arabic_pages_use_the_rtl_bootstrap_build_and_the_arabic_font(client, db):
    import re
    from pathlib import Path

    html = client.get("/ar/").content.decode()
    assert "bootstrap.rtl.min.css" in html
    css = (Path(__file__).resolve().parents[2] / "tansiq/core/static/tansiq/app.css").read_text()
    assert "Noto Sans Arabic" in css
    assert re.search(r"\[dir=\"rtl\"\] \.flip-rtl", css)
    assert "bootstrap.rtl.min.css" not in client.get("/en/").content.decode()


def test_secretariat_keeps_the_calendar_in_the_back_office(client, secretariat, member):
    client.force_login(secretariat)
    assert client.get("/en/admin/core/hijrimonthstart/add/").status_code == 200
    response = client.post(
        "/en/admin/core/hijrimonthstart/add/",
        {"region": "my", "hijri_year": "1448", "hijri_month": "9", "starts_on": "2027-02-08", "note": "Ramadan"},
    )
    assert response.status_code == 302
    from tansiq.core.models import AuditEntry, HijriMonthStart

    assert HijriMonthStart.objects.get().region == "MY"
    assert AuditEntry.objects.filter(action="admin.add", actor=secretariat).exists()
    # Viewing people is allowed, changing their roles is not.
    assert client.get("/en/admin/accounts/user/").status_code == 200
    assert client.get(f"/en/admin/accounts/user/{member.pk}/change/").status_code in (200, 403)
    response = client.post(f"/en/admin/accounts/user/{secretariat.pk}/change/", {"is_superuser": "on"})
    assert response.status_code == 403
    secretariat.refresh_from_db()
    assert not secretariat.is_superuser


def test_other_platform_roles_have_no_back_office(client, db):
    from django.contrib.auth.models import Group

    analyst = with_mfa(UserFactory(is_staff=True))
    analyst.groups.add(Group.objects.get_or_create(name="analyst")[0])
    client.force_login(analyst)
    assert client.get("/en/admin/core/hijrimonthstart/add/").status_code == 403
    assert client.get("/en/admin/core/auditentry/").status_code == 403
