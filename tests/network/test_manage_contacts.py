"""An organisation's contacts, kept from its pages and the API by the people the rules name."""

import pytest

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.models import AuditEntry
from tansiq.network.models import Contact
from tansiq.network.services import contacts as manage
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, UnitFactory

URL = "/en/organisations/ours/contacts/"


@pytest.fixture
def treasurer(org):
    return org.contacts.get(name="Treasurer Private")


@pytest.fixture
def other_editor(other_org):
    user = UserFactory(display_name="Editor elsewhere")
    MembershipFactory(user=user, organisation=other_org, role="editor")
    return user


@pytest.fixture
def foreign_unit_admin(network):
    user = UserFactory(display_name="Admin of another unit")
    UnitFactory(network=network).admins.add(user)
    return user


def test_editor_lists_every_contact_and_adds_one(client_for, editor, org):
    client = client_for(editor)
    html = client.get(URL).content.decode()
    assert "Public Desk" in html and "Treasurer Private" in html
    response = client.post(
        URL,
        {
            "name": "Press Office",
            "role": "Media",
            "email": "Press@Example.org",
            "phone": "+60 3-1234 5678",
            "visibility": "members",
        },
    )
    assert response.status_code == 302
    contact = org.contacts.get(name="Press Office")
    assert contact.email == "press@example.org" and contact.visibility == "members"
    entry = AuditEntry.objects.for_object(contact).get()
    assert entry.action == "create" and entry.actor == editor
    # Field names only: the contact's details are not copied into the log.
    assert "press@example.org" not in str(entry.changes)


def test_edit_page_is_reachable_from_the_profile_editor(client_for, editor, org):
    html = client_for(editor).get("/en/organisations/ours/edit/").content.decode()
    assert 'href="/en/organisations/ours/contacts/"' in html


def test_added_contact_shows_on_the_profile_to_whom_it_is_meant(client, client_for, editor, org, other_owner):
    manage.add_contact(org, by=editor, name="Members Line", email="line@example.org", visibility="members")
    assert "Members Line" not in client.get("/en/organisations/ours/").content.decode()
    assert "Members Line" in client_for(other_owner).get("/en/organisations/ours/").content.decode()


def test_an_invalid_email_is_refused_beside_the_field_and_nothing_is_saved(client_for, editor, org):
    response = client_for(editor).post(URL, {"name": "Bad Mail", "email": "not-an-address", "visibility": "public"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_email_error"' in html and "valid email address" in html
    # What the person typed is still in the form.
    assert 'value="Bad Mail"' in html
    assert not org.contacts.filter(name="Bad Mail").exists()
    with pytest.raises(TansiqError) as refused:
        manage.add_contact(org, by=editor, name="Bad Mail", email="a@b@c", visibility="public")
    assert refused.value.field == "email"


def test_a_bad_phone_number_and_a_missing_name_are_refused(client_for, editor, org):
    response = client_for(editor).post(URL, {"name": "", "phone": "call me maybe", "visibility": "public"})
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    with pytest.raises(TansiqError) as refused:
        manage.add_contact(org, by=editor, name="Phone", phone="call me maybe")
    assert refused.value.field == "phone"
    # Arabic-Indic digits are digits.
    assert manage.add_contact(org, by=editor, name="Arabic digits", phone="+٩٧٤ ٤٤٤٤ ٥٥٥٥").phone


def test_a_double_submission_adds_the_contact_once(client_for, editor, org):
    client = client_for(editor)
    data = {"name": "Help Desk", "email": "help@example.org", "visibility": "public"}
    assert client.post(URL, data).status_code == 302
    second = client.post(URL, data)
    assert second.status_code == 400
    assert "already listed" in second.content.decode()
    assert org.contacts.filter(name="Help Desk").count() == 1


def test_an_edit_made_on_an_older_version_is_refused_and_loses_nothing(client_for, editor, owner, org, treasurer):
    edit = f"/en/organisations/ours/contacts/{treasurer.uuid}/"
    stale = {
        "name": "Treasurer Private",
        "role": "Treasurer",
        "email": "t@example.org",
        "visibility": "admins",
        "version": treasurer.version,
    }
    assert client_for(owner).post(edit, {**stale, "role": "Chief treasurer"}).status_code == 302
    response = client_for(editor).post(edit, {**stale, "role": "Deputy"})
    assert response.status_code == 400
    assert "Someone else saved this contact" in response.content.decode()
    treasurer.refresh_from_db()
    assert treasurer.role == "Chief treasurer" and treasurer.version == 2


def test_deleting_a_contact_is_audited_and_a_second_click_finds_nothing(client_for, editor, org, treasurer):
    client = client_for(editor)
    delete = f"/en/organisations/ours/contacts/{treasurer.uuid}/delete/"
    response = client.post(delete, {"version": treasurer.version}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.content == b""
    assert not Contact.objects.filter(pk=treasurer.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(treasurer.pk)).exists()
    assert client.post(delete).status_code == 404


def test_deleting_a_contact_changed_meanwhile_is_refused(client_for, editor, owner, org, treasurer):
    manage.update_contact(treasurer, by=owner, version=treasurer.version, role="Changed")
    response = client_for(editor).post(
        f"/en/organisations/ours/contacts/{treasurer.uuid}/delete/", {"version": 1}, headers={"HX-Request": "true"}
    )
    assert "Someone else changed this contact" in response.content.decode()
    assert Contact.objects.filter(pk=treasurer.pk).exists()


def test_filters_and_htmx_render_only_the_rows(client_for, editor, org):
    client = client_for(editor)
    html = client.get(URL + "?visibility=public", headers={"HX-Request": "true"}).content.decode()
    assert "Public Desk" in html and "Treasurer Private" not in html
    assert "<html" not in html
    empty = client.get(URL + "?q=nobody").content.decode()
    assert "No contacts match." in empty


def test_contacts_export_is_for_those_who_keep_them(client, client_for, editor, org, outsider):
    body = client_for(editor).get(URL + "?export=csv").content.decode()
    assert "treasurer@example.org" in body
    assert_refused(client, outsider, [URL + "?export=csv"], allowed=(404,))


def test_unit_admin_of_the_unit_and_the_secretariat_keep_contacts(client_for, unit_admin, secretariat, org):
    assert client_for(unit_admin).get(URL).status_code == 200
    manage.add_contact(org, by=unit_admin, name="Unit Line")
    assert client_for(secretariat).get(URL).status_code == 200


def test_contact_pages_are_refused_to_those_the_rules_leave_out(
    client, org, treasurer, other_editor, foreign_unit_admin, member
):
    viewer = UserFactory()
    MembershipFactory(user=viewer, organisation=org, role="viewer")
    edit = f"/en/organisations/ours/contacts/{treasurer.uuid}/"
    requests = [URL, ("post", URL), edit, ("post", edit), ("post", edit + "delete/"), URL + "?export=csv"]
    for user in (other_editor, foreign_unit_admin, member, viewer):
        assert_refused(client, user, requests, allowed=(404,))
    assert_refused(client, None, requests)
    assert Contact.objects.filter(pk=treasurer.pk).exists()
    with pytest.raises(Forbidden):
        manage.add_contact(org, by=other_editor, name="Intruder")
    with pytest.raises(Forbidden):
        manage.delete_contact(treasurer, by=foreign_unit_admin)


def test_a_contact_of_another_organisation_is_not_found_through_ours(client_for, editor, org, other_org):
    theirs = Contact.objects.create(organisation=other_org, name="Their Desk")
    client = client_for(editor)
    assert client.get(f"/en/organisations/ours/contacts/{theirs.uuid}/").status_code == 404
    assert client.post(f"/en/organisations/ours/contacts/{theirs.uuid}/delete/").status_code == 404
    assert Contact.objects.filter(pk=theirs.pk).exists()


def test_contacts_page_keeps_its_query_budget(client_for, editor, org, django_assert_max_num_queries):
    for number in range(30):
        Contact.objects.create(organisation=org, name=f"Contact {number}")
    client = client_for(editor)
    client.get(URL)
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200


# --- API ----------------------------------------------------------------------------------------

API = "/api/v1/organisations/ours/contacts"


def test_api_adds_changes_and_deletes_ones_own_contacts(client_for, editor, org):
    client = client_for(editor)
    created = client.post(
        API, {"name": "API Desk", "email": "api@example.org", "visibility": "public"}, content_type="application/json"
    )
    assert created.status_code == 201
    data = created.json()
    assert data["visibility"] == "public" and data["version"] == 1
    changed = client.patch(f"{API}/{data['uuid']}", {"version": 1, "role": "Helpdesk"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["role"] == "Helpdesk" and changed.json()["version"] == 2
    stale = client.patch(f"{API}/{data['uuid']}", {"version": 1, "role": "Old"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert client.delete(f"{API}/{data['uuid']}?version=1").status_code == 409
    assert client.delete(f"{API}/{data['uuid']}?version=2").status_code == 204
    assert not org.contacts.filter(name="API Desk").exists()


def test_api_refuses_an_invalid_email_with_the_field(client_for, editor, org):
    response = client_for(editor).post(
        API, {"name": "X", "email": "nope", "visibility": "public"}, content_type="application/json"
    )
    assert response.status_code == 422  # the contacts page's form refuses it
    assert "email" in response.json()["error"]["fields"]
    assert not org.contacts.filter(name="X").exists()


def test_api_lists_contacts_as_the_profile_shows_them(client, client_for, editor, org):
    names = {row["name"] for row in client.get(API).json()}
    assert names == {"Public Desk"}
    names = {row["name"] for row in client_for(editor).get(API).json()}
    assert names == {"Public Desk", "Treasurer Private"}


def test_api_refuses_other_organisations_editors_and_visitors(client, org, treasurer, other_editor, member):
    for user in (other_editor, member):
        client.force_login(user)
        assert client.post(API, {"name": "X"}, content_type="application/json").status_code == 404
        assert (
            client.patch(
                f"{API}/{treasurer.uuid}", {"version": 1, "name": "X"}, content_type="application/json"
            ).status_code
            == 404
        )
        assert client.delete(f"{API}/{treasurer.uuid}").status_code == 404
    client.logout()
    assert client.post(API, {"name": "X"}, content_type="application/json").status_code == 401
    assert client.delete(f"{API}/{treasurer.uuid}").status_code == 401
    treasurer.refresh_from_db()
    assert treasurer.name == "Treasurer Private"


def test_api_contacts_are_documented(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/organisations/{slug}/contacts"])
    assert {"patch", "delete"} <= set(paths["/api/v1/organisations/{slug}/contacts/{uuid}"])


def test_update_of_a_deleted_contact_is_a_conflict(editor, org, treasurer):
    Contact.objects.filter(pk=treasurer.pk).delete()
    with pytest.raises(Conflict):
        manage.update_contact(treasurer, by=editor, version=1, role="x")


def test_a_contact_typed_with_arabic_digits_and_bidi_controls_is_stored_clean(client_for, editor, org):
    response = client_for(editor).post(
        URL,
        {"name": "\u202eمكتب الإعلام", "role": "", "email": "", "phone": "+٦٠ ٣-١٢٣٤ ٥٦٧٨", "visibility": "members"},
    )
    assert response.status_code == 302
    contact = org.contacts.get(phone="+60 3-1234 5678")
    assert contact.name == "مكتب الإعلام"
    html = client_for(editor).get(URL).content.decode()
    assert '<bdi dir="ltr">+60 3-1234 5678</bdi>' in html
