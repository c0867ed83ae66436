import pytest

from tansiq.accounts import services
from tests.factories import UserFactory


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def read_token(member):
    return services.create_token(member, by=member, name="قراءة", scope="read")[1]


@pytest.fixture
def write_token(member):
    return services.create_token(member, by=member, name="كتابة", scope="write")[1]


def test_visitors_get_the_one_error_shape(client, db):
    response = client.get("/api/v1/me", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthenticated", "message": "Sign in or send a valid access token.", "fields": {}}
    }


def test_a_token_identifies_its_user_and_arabic_stays_unescaped(client, member, read_token):
    response = client.get("/api/v1/me", headers=bearer(read_token))
    assert response.status_code == 200
    assert response.json()["display_name"] == "فاطمة الزهراء"
    assert "فاطمة".encode() in response.content


def test_only_the_hash_of_a_token_is_stored(member, read_token):
    token = member.tokens.get()
    assert read_token not in (token.token_hash, token.hint)
    assert len(token.token_hash) == 64


def test_read_token_cannot_write(client, member, read_token):
    response = client.patch(
        "/api/v1/me", {"display_name": "x"}, content_type="application/json", headers=bearer(read_token)
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    member.refresh_from_db()
    assert member.display_name == "فاطمة الزهراء"


def test_write_token_changes_own_preferences_and_is_audited(client, member, write_token):
    from tansiq.core.models import AuditEntry

    response = client.patch(
        "/api/v1/me", {"language": "ms"}, content_type="application/json", headers=bearer(write_token)
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.language == "ms"
    assert AuditEntry.objects.for_object(member).filter(action="update").exists()


def test_invalid_values_are_field_errors(client, member, write_token):
    response = client.patch(
        "/api/v1/me",
        {"language": "fr"},
        content_type="application/json",
        headers={**bearer(write_token), "Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["language"] == ["Choose one of: ar, en, ms."]
    response = client.patch(
        "/api/v1/me", {"time_zone": "Mars/Olympus"}, content_type="application/json", headers=bearer(write_token)
    )
    assert response.status_code == 422  # the profile form's refusal, as for every invalid value
    assert "time_zone" in response.json()["error"]["fields"]


def test_revoked_and_garbage_tokens_are_refused(client, member, read_token):
    services.revoke_token(member.tokens.get(), by=member)
    assert client.get("/api/v1/me", headers=bearer(read_token)).status_code == 401
    for junk in ["tsq_", "x" * 5000, "tsq_' OR 1=1 --", "\x00"]:
        assert client.get("/api/v1/me", headers=bearer(junk)).status_code == 401


def test_session_writes_need_the_csrf_token(member):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.patch("/api/v1/me", {"language": "en"}, content_type="application/json")
    assert response.status_code in (401, 403)
    member.refresh_from_db()
    assert member.language == "ar"


def test_error_messages_follow_the_request_language(client, db):
    response = client.get("/api/v1/me", headers={"Accept-Language": "ar"})
    message = response.json()["error"]["message"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in message), message


def test_rate_limit_answers_429_with_retry_after(client, db, settings):
    settings.TANSIQ_API_RATE_ANON = "2/min"
    # A spoofed X-Forwarded-For does not buy a fresh allowance.
    responses = [
        client.get("/api/v1/hijri", {"date": "2026-11-23"}, headers={"X-Forwarded-For": f"10.0.0.{n}"})
        for n in range(3)
    ]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[-1].json()["error"]["code"] == "rate_limited"
    assert 1 <= int(responses[-1]["Retry-After"]) <= 60


def test_rate_limits_are_keyed_by_the_user_whatever_they_authenticate_with(client, member, db, settings):
    settings.TANSIQ_API_RATE_ANON = "2/min"
    settings.TANSIQ_API_RATE_USER = "4/min"
    raw = services.create_token(member, by=member, name="script", scope="read")[1]
    # Visitors get the anonymous budget on reads that accept visitors.
    visitor = [client.get("/api/v1/networks").status_code for _ in range(3)]
    assert visitor == [200, 200, 429]
    # A token's holder has their own (larger) budget, not the address's spent one, shared with
    # their session.
    with_token = [client.get("/api/v1/networks", headers=bearer(raw)).status_code for _ in range(3)]
    client.force_login(member)
    with_session = [client.get("/api/v1/networks").status_code for _ in range(2)]
    assert with_token + with_session == [200, 200, 200, 200, 429]


def test_openapi_document_is_served(client, db):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Tansiq API"
    assert client.get("/api/v1/docs").status_code == 200


def test_token_limit(member):
    from tansiq.core.errors import TansiqError

    for n in range(services.MAX_ACTIVE_TOKENS):
        services.create_token(member, by=member, name=f"t{n}", scope="read")
    with pytest.raises(TansiqError):
        services.create_token(member, by=member, name="one too many", scope="read")


def test_nobody_creates_tokens_for_someone_else(member):
    from tansiq.core.errors import TansiqError

    with pytest.raises(TansiqError):
        services.create_token(UserFactory(), by=member, name="x", scope="write")


def test_public_hijri_conversion_follows_announced_month_starts(client, db):
    import datetime as dt

    from tansiq.core.models import HijriMonthStart

    HijriMonthStart.objects.create(region="MY", hijri_year=1447, hijri_month=9, starts_on=dt.date(2026, 2, 19))
    saudi = client.get("/api/v1/hijri", {"date": "2026-02-18"}, headers={"Accept-Language": "ms"}).json()
    malaysia = client.get(
        "/api/v1/hijri", {"date": "2026-02-18", "region": "my"}, headers={"Accept-Language": "ms"}
    ).json()
    assert (saudi["month"], saudi["day"]) == (9, 1)
    assert (malaysia["month"], malaysia["day"]) == (8, 30)
    assert malaysia["month_name"] == "Syaaban"
    bad = client.get("/api/v1/hijri", {"date": "2026-02-31"})
    assert bad.status_code == 422 and "date" in bad.json()["error"]["fields"]
