"""The API's writes validate like the pages, no input gets a 500, a token is its holder everywhere."""

import pytest

from tansiq.accounts import services as account_services
from tests.factories import UserFactory
from tests.helpers import with_mfa
from tests.network.factories import FocusAreaFactory

JSON = "application/json"


def bearer(user, scope="write"):
    _token, raw = account_services.create_token(user, by=user, name="script", scope=scope)
    return {"Authorization": f"Bearer {raw}", "Accept-Language": "en"}


def patch(client, headers, values, slug="ours"):
    return client.patch(f"/api/v1/organisations/{slug}", values, content_type=JSON, headers=headers)


# --- 2. PATCH /organisations/{slug} validates through the profile page's form ---------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "data:text/html,<script>alert(1)</script>"}, "website"),
        ({"name_en": "x" * 100_000}, "name_en"),
        ({"acronym": "A" * 1000}, "acronym"),
        ({"city": "Ipoh\x00"}, "city"),
        ({"name_ar": "", "name_en": "", "name_ms": ""}, "name_ar"),
        ({"staff_count": -1}, "staff_count"),
        ({"staff_count": 2**63}, "staff_count"),
        ({"focus_areas": ["no-such-area"]}, "focus_areas"),
    ],
)
def test_the_api_refuses_what_the_profile_form_refuses(client, editor, org, values, field):
    FocusAreaFactory(slug="education")
    org.focus_areas.set([FocusAreaFactory(slug="health")])
    before = (org.name_en, org.website, org.city, org.acronym, org.staff_count, org.version)
    response = patch(client, bearer(editor), {"version": org.version, **values})
    assert response.status_code == 422, response.content
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert field in body["fields"], body
    org.refresh_from_db()
    assert (org.name_en, org.website, org.city, org.acronym, org.staff_count, org.version) == before
    assert [area.slug for area in org.focus_areas.all()] == ["health"]


def test_field_errors_come_in_the_callers_language(client, editor, org):
    headers = {**bearer(editor), "Accept-Language": "ar"}
    response = patch(client, headers, {"version": org.version, "website": "javascript:alert(1)"})
    assert response.status_code == 422
    message = response.json()["error"]["fields"]["website"][0]
    assert any("\u0600" <= char <= "\u06ff" for char in message), message


def test_a_valid_patch_changes_only_what_it_sends(client, editor, org):
    FocusAreaFactory(slug="education")
    name_ar = org.name_ar
    response = patch(
        client,
        bearer(editor),
        {"version": org.version, "city": "Ipoh", "website": "https://example.org", "focus_areas": ["education"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["focus_areas"] == ["education"]
    org.refresh_from_db()
    assert (org.city, org.website, org.name_ar, org.version) == ("Ipoh", "https://example.org", name_ar, 2)


# --- 4. Lone surrogates and NUL in any JSON string: 422 at the parser -----------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/api/v1/organisations/ours", '{"version": 1, "city": "\\ud800"}'),
        ("patch", "/api/v1/me", '{"display_name": "\\ud800"}'),
        ("patch", "/api/v1/me", '{"display_name": "a\\u0000b"}'),
        ("post", "/api/v1/organisations/ours/contacts", '{"name": "\\udfff x"}'),
        ("post", "/api/v1/organisations/ours/contacts", '{"name": "ok", "\\ud800": 1}'),
    ],
)
def test_text_no_database_stores_is_refused_with_422(client, editor, org, method, path, body):
    response = getattr(client, method)(path, body, content_type=JSON, headers=bearer(editor))
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid"


def test_nul_in_a_query_string_is_read_as_a_replacement_character(client, org):
    for name in ("country", "type", "focus", "committee", "network", "q"):
        response = client.get("/api/v1/organisations", {name: "a\x00b"})
        # Read, then found or not, or refused by the filter's own form (422): never a 500.
        assert response.status_code in (200, 404, 422), (name, response.status_code)


# --- 3. Huge page numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["9223372036854775807", "9" * 30, "0", "-1"])
def test_out_of_range_pages_are_refused_not_500(client, secretariat, owner, unit_admin, unit, org, page):
    client.force_login(secretariat)
    for path in (
        "/api/v1/organisations",
        "/api/v1/organisations/ours/representatives/people",
        f"/api/v1/networks/uniw/units/{unit.slug}/members",
        "/api/v1/audit",
    ):
        response = client.get(path, {"page": page})
        assert response.status_code == 422, (path, response.status_code)
        assert "page" in response.json()["error"]["fields"]


@pytest.mark.parametrize("page", ["9223372036854775807", "9" * 30])
def test_out_of_range_pages_on_list_pages_show_the_last_page(client, secretariat, org, page):
    client.force_login(secretariat)
    for path in ("/en/networks/uniw/members/", "/en/audit/", "/en/search/"):
        response = client.get(path, {"page": page, "q": "our"})
        assert response.status_code == 200, (path, response.status_code)


# --- 5. Every public read recognises a token --------------------------------------------------------


def test_a_token_is_its_holder_on_public_reads(client, applicant, secretariat, org):
    owner = UserFactory()
    from tests.network.factories import MembershipFactory

    MembershipFactory(user=owner, organisation=applicant, role="owner")
    assert client.get("/api/v1/organisations/pending").status_code == 404  # a visitor
    assert client.get("/api/v1/organisations/pending", headers=bearer(owner, "read")).status_code == 200
    org.network_memberships.update(status="suspended")
    assert client.get("/api/v1/organisations/ours").status_code == 404
    assert client.get("/api/v1/organisations/ours", headers=bearer(secretariat, "read")).status_code == 200


def test_a_token_that_is_not_valid_is_401_on_public_reads_too(client, org):
    response = client.get("/api/v1/organisations/ours", headers={"Authorization": "Bearer tsq_nope"})
    assert response.status_code == 401


# --- 1. Tokens obey the staff MFA rule --------------------------------------------------------------


def test_staff_without_mfa_are_refused_with_a_token_too(client, secretariat, network):
    headers = bearer(secretariat)
    assert client.get("/api/v1/audit", headers=headers).status_code == 200
    secretariat.authenticator_set.all().delete()
    response = client.get("/api/v1/audit", headers=headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"
    created = client.post(
        "/api/v1/networks/uniw/units", {"slug": "x", "name_ar": "س"}, content_type=JSON, headers=headers
    )
    assert created.status_code == 403
    assert created.json()["error"]["code"] == "mfa_required"
    assert not network.units.filter(slug="x").exists()


def test_staff_need_mfa_to_get_a_token(secretariat):
    from tansiq.core.errors import TansiqError

    secretariat.authenticator_set.all().delete()
    with pytest.raises(TansiqError) as refused:
        account_services.create_token(secretariat, by=secretariat, name="script", scope="read")
    assert refused.value.code == "mfa_required"
    with_mfa(secretariat)
    assert account_services.create_token(secretariat, by=secretariat, name="script", scope="read")


# --- 6. A unit admin of one network is nobody in another's unit tree -------------------------------


def test_a_unit_admin_of_another_network_does_not_see_this_networks_tree(client, network, unit, org):
    from tests.network.factories import NetworkFactory, UnitFactory

    elsewhere = UnitFactory(network=NetworkFactory(slug="elsewhere"))
    admin = UserFactory()
    elsewhere.admins.add(admin)
    UnitFactory(network=network, parent=unit, archived_at="2025-01-01T00:00:00Z")
    client.force_login(admin)
    rows = client.get("/api/v1/networks/uniw/units", {"archived": "true"}).json()["items"]
    assert [row["slug"] for row in rows] == [unit.slug]  # the top units, as a visitor sees them
    assert all(row["members"] is None and row["admins"] is None for row in rows), rows
    assert client.get("/en/networks/uniw/units/").status_code == 404
    # Their own network's tree is theirs.
    assert client.get("/en/networks/elsewhere/units/").status_code == 200
    own = client.get("/api/v1/networks/elsewhere/units").json()["items"]
    assert own[0]["admins"] is not None


def test_patch_me_validates_through_the_profile_form(client, editor):
    headers = bearer(editor)
    refused = client.patch("/api/v1/me", {"hijri_region": "1X"}, content_type=JSON, headers=headers)
    assert refused.status_code == 422
    assert "hijri_region" in refused.json()["error"]["fields"]
    editor.refresh_from_db()
    assert editor.hijri_region == ""
    # The page's form writes the region in capitals; so does the API.
    saved = client.patch("/api/v1/me", {"hijri_region": "my"}, content_type=JSON, headers=headers)
    assert saved.status_code == 200, saved.content
    assert saved.json()["hijri_region"] == "MY"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"representative_name": "r" * 5000}, "representative_name"),
        ({"representative_name": ""}, "representative_name"),
        ({"representative_name": "A", "category": "nonsense"}, "category"),
    ],
)
def test_an_application_is_checked_by_the_application_form_and_leaves_nothing(
    client, candidate_owner, network, org, values, field
):
    from tansiq.network.models import Application

    payload = {"organisation": "candidate", "network": "uniw", **values}
    response = client.post("/api/v1/applications", payload, content_type=JSON, headers=bearer(candidate_owner))
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert not Application.objects.exists()
