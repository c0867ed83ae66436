import pytest
from django.core import mail

from tansiq.accounts import services
from tansiq.accounts.models import PersonalAccessToken
from tests.factories import UserFactory
from tests.helpers import assert_refused


def test_account_pages_refuse_visitors(client, db, member):
    token, _raw = services.create_token(member, by=member, name="n", scope="read")
    assert_refused(
        client,
        None,
        ["/en/accounts/profile/", "/en/accounts/tokens/", ("post", f"/en/accounts/tokens/{token.uuid}/revoke/")],
    )


def test_nobody_can_revoke_another_persons_token(client, member, outsider):
    token, _raw = services.create_token(member, by=member, name="n", scope="read")
    assert_refused(client, outsider, [("post", f"/ar/accounts/tokens/{token.uuid}/revoke/")])
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(client, member):
    token, _raw = services.create_token(member, by=member, name="n", scope="read")
    client.force_login(member)
    assert client.get(f"/en/accounts/tokens/{token.uuid}/revoke/").status_code == 405


def test_member_creates_and_revokes_a_token(client, member):
    client.force_login(member)
    response = client.post("/en/accounts/tokens/", {"name": "تقرير شهري", "scope": "read", "expires_in_days": "30"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("tsq_")
    token = PersonalAccessToken.objects.get(user=member)
    assert token.expires_at is not None
    # Shown once: the list page does not show it again.
    assert raw.encode() not in client.get("/en/accounts/tokens/").content
    response = client.post(f"/en/accounts/tokens/{token.uuid}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_without_a_name_is_an_error_beside_the_field(client, member):
    client.force_login(member)
    response = client.post("/ar/accounts/tokens/", {"name": "", "scope": "read"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not PersonalAccessToken.objects.exists()


def test_profile_preferences_are_saved_and_the_next_page_is_in_the_new_language(client, member):
    client.force_login(member)
    response = client.post(
        "/ar/accounts/profile/",
        {
            "display_name": "Fatimah",
            "language": "ms",
            "time_zone": "Asia/Kuala_Lumpur",
            "show_hijri": "always",
            "hijri_region": "my",
            "digits": "latin",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/ms/")
    member.refresh_from_db()
    assert (member.language, member.hijri_region, member.time_zone) == ("ms", "MY", "Asia/Kuala_Lumpur")


def test_profile_rejects_an_impossible_region(client, member):
    client.force_login(member)
    response = client.post(
        "/en/accounts/profile/",
        {
            "display_name": "x",
            "language": "en",
            "time_zone": "Asia/Riyadh",
            "show_hijri": "auto",
            "hijri_region": "١٢",
            "digits": "auto",
        },
    )
    assert response.status_code == 200
    assert "hijri_region" in response.context["form"].errors


def test_root_redirects_to_the_signed_in_users_language(client, db):
    user = UserFactory(language="ms")
    client.force_login(user)
    response = client.get("/", headers={"Accept-Language": "ar"})
    assert response.status_code == 302 and response["Location"].startswith("/ms/")


def test_visitors_are_sent_to_their_browsers_language_then_the_last_one_chosen(client, db):
    assert client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})["Location"].startswith("/en/")
    client.get("/ms/")
    assert client.get("/", headers={"Accept-Language": "en"})["Location"].startswith("/ms/")


def test_language_switcher_keeps_the_reader_on_the_same_page(client, db):
    html = client.get("/ms/accounts/login/?next=/ms/audit/").content.decode()
    assert (
        'href="/ar/accounts/login/?next=/ms/audit/"' in html
        or 'href="/ar/accounts/login/?next=%2Fms%2Faudit%2F"' in html
    )
    assert 'hreflang="en"' in html


def test_staff_without_mfa_must_turn_it_on_first(client, db, settings):
    settings.TANSIQ_REQUIRE_STAFF_MFA = True
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.get("/en/")
    assert response.status_code == 302 and "/accounts/2fa/totp/activate" in response["Location"]
    # The back office too.
    assert "/accounts/2fa/totp/activate" in client.get("/en/admin/")["Location"]
    # Nothing that merely contains an exempt segment slips through, nor the API over the session.
    for path in ["/en/admin/accounts/user/", "/en/admin/accounts/personalaccesstoken/", "/en/accounts/tokens/"]:
        assert "/accounts/2fa/totp/activate" in client.get(path).get("Location", ""), path
    api = client.get("/api/v1/audit")
    assert api.status_code == 403 and api.json()["error"]["code"] == "mfa_required"
    # Setting up MFA itself stays reachable (allauth first asks for the password again).
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert response.status_code == 200 or "/accounts/reauthenticate/" in response["Location"]


def test_members_are_not_forced_into_mfa(client, member):
    client.force_login(member)
    assert client.get("/en/").status_code == 200


@pytest.mark.parametrize("language", ["ar", "en", "ms"])
def test_signup_sends_verification_in_the_signup_language(client, db, language, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/{language}/accounts/signup/",
            {
                "display_name": "Nurul Huda",
                "email": "nurul@example.org",
                "password1": "Kuala-Lumpur-2026",
                "password2": "Kuala-Lumpur-2026",
            },
        )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert len(mail.outbox) == 1
    from tansiq.accounts.models import User

    user = User.objects.get(email="nurul@example.org")
    assert user.language == language
    assert user.display_name == "Nurul Huda"
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_signup_twice_with_one_address_creates_one_account(client, db):
    data = {
        "display_name": "A",
        "email": "same@example.org",
        "password1": "Kuala-Lumpur-2026",
        "password2": "Kuala-Lumpur-2026",
    }
    client.post("/en/accounts/signup/", data)
    client.post("/en/accounts/signup/", data)
    from tansiq.accounts.models import User

    assert User.objects.filter(email="same@example.org").count() == 1


def test_unverified_users_cannot_sign_in(client, db):
    UserFactory(email="new@example.org", verified=False)
    response = client.post(
        "/en/accounts/login/", {"login": "new@example.org", "password": "correct-horse-battery-staple"}
    )
    assert "/accounts/confirm-email/" in response.get("Location", "")


def test_authenticator_secrets_are_stored_encrypted(member):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, hotp_value, yield_hotp_counters_from_time

    secret = "JBSWY3DPEHPK3PXPJBSWY3DP"
    TOTP.activate(member, secret)
    stored = Authenticator.objects.get(user=member, type="totp").data["secret"]
    assert secret not in stored
    code = f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"
    assert TOTP(Authenticator.objects.get(user=member, type="totp")).validate_code(code)


def test_account_e_mails_greet_from_the_network_not_a_host_name(client, db, django_capture_on_commit_callbacks):
    from tansiq.core.models import SiteIdentity

    SiteIdentity.objects.create(name_en="Union of NGOs", name_ar="اتحاد المنظمات", name_ms="Kesatuan NGO")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/accounts/signup/",
            {
                "display_name": "A",
                "email": "a@example.org",
                "password1": "Kuala-Lumpur-2026",
                "password2": "Kuala-Lumpur-2026",
            },
        )
    assert "Union of NGOs" in mail.outbox[0].body


def test_account_security_emails_are_kept_in_the_inbox_without_their_secrets(
    client, member, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tansiq.core import notify
    from tansiq.core.models import Notification

    notify.set_preferences(member, {"accounts.security": "off"})  # cannot be switched off
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    [message] = mail.outbox
    kept = Notification.objects.get(user=member)
    assert kept.kind == "accounts.security" and kept.delivery == "immediate"
    assert kept.subject and kept.body == "" and kept.url == ""
    assert "/password/reset/key/" in message.body
    # An address without an account hears by e-mail only.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert Notification.objects.count() == 1
