"""Who may see and change what: pages, API and exports ask the same predicates."""

import datetime as dt

import pytest

from tansiq.core.errors import Forbidden
from tansiq.network.models import Membership
from tansiq.network.services import registry as services
from tests.helpers import assert_refused
from tests.network.factories import MembershipFactory, NetworkMembershipFactory, OrganisationFactory


def test_visitors_see_public_fields_only_on_the_profile(client, org, owner):
    html = client.get("/en/organisations/ours/").content.decode()
    assert "Our Association" in html
    assert "Public Desk" in html
    assert "Treasurer Private" not in html
    assert "PPM-SECRET-001" not in html
    assert "Edit the profile" not in html


def test_owner_sees_private_fields_and_every_contact(client_for, org, owner):
    html = client_for(owner).get("/en/organisations/ours/").content.decode()
    assert "Treasurer Private" in html
    assert "PPM-SECRET-001" in html
    assert "Edit the profile" in html


def test_applicants_are_invisible_to_visitors_and_outsiders(client, outsider, applicant, org):
    assert client.get("/en/organisations/pending/").status_code == 404
    assert "Pending Applicant" not in client.get("/en/networks/uniw/members/").content.decode()
    assert client.get("/api/v1/organisations/pending").status_code == 404
    assert "pending" not in str(client.get("/api/v1/organisations").json())
    client.force_login(outsider)
    assert client.get("/en/organisations/pending/").status_code == 404


def test_secretariat_sees_applicants_and_filters_by_status(client_for, secretariat, applicant, org):
    client = client_for(secretariat)
    html = client.get("/en/networks/uniw/members/?status=applicant").content.decode()
    assert "Pending Applicant" in html
    assert "Our Association" not in html


def test_status_filter_is_ignored_for_visitors(client, applicant, org):
    html = client.get("/en/networks/uniw/members/?status=applicant").content.decode()
    assert "Pending Applicant" not in html


def test_editor_of_one_organisation_cannot_change_another(client, editor, other_org, org):
    assert_refused(
        client,
        editor,
        [
            "/en/organisations/theirs/edit/",
            ("post", "/en/organisations/theirs/edit/"),
            "/en/organisations/theirs/people/",
            ("post", "/en/organisations/theirs/people/"),
        ],
    )
    response = client.patch(
        "/api/v1/organisations/theirs", {"version": 1, "city": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    with pytest.raises(Forbidden):
        services.update_organisation(other_org, by=editor, version=1, city="x")


def test_outsider_is_refused_every_object_page_of_another_organisation(client, outsider, org, owner):
    person = Membership.objects.get(user=owner)
    membership = org.network_memberships.get()
    assert_refused(
        client,
        outsider,
        [
            "/en/organisations/ours/edit/",
            ("post", "/en/organisations/ours/edit/"),
            "/en/organisations/ours/people/",
            ("post", f"/en/organisations/ours/people/{person.uuid}/role/"),
            ("post", f"/en/organisations/ours/people/{person.uuid}/remove/"),
            ("post", f"/en/memberships/{membership.uuid}/status/"),
        ],
        allowed=(404,),
    )
    assert (
        client.patch("/api/v1/organisations/ours", {"version": 1}, content_type="application/json").status_code == 404
    )


def test_visitors_are_sent_to_sign_in_for_edit_pages(client, org):
    assert_refused(client, None, ["/en/organisations/ours/edit/", "/en/organisations/ours/people/"])


def test_unit_admin_acts_inside_the_unit_only(client_for, unit_admin, org, other_org):
    client = client_for(unit_admin)
    assert client.get("/en/organisations/ours/edit/").status_code == 200
    assert client.get("/en/organisations/theirs/edit/").status_code == 404
    outside = other_org.network_memberships.get()
    with pytest.raises(Forbidden):
        services.change_membership_status(outside, to="suspended", by=unit_admin, reason="dues")
    inside = org.network_memberships.get()
    services.change_membership_status(inside, to="suspended", by=unit_admin, reason="dues", on=dt.date(2026, 1, 1))
    inside.refresh_from_db()
    assert inside.status == "suspended" and inside.status_reason == "dues"


def test_unit_admin_sees_applicants_of_the_unit_only(client_for, unit_admin, unit, network, applicant):
    in_unit = OrganisationFactory(slug="unit-applicant", name_en="Unit Applicant")
    NetworkMembershipFactory(network=network, organisation=in_unit, unit=unit, status="applicant")
    html = client_for(unit_admin).get("/en/networks/uniw/members/?status=applicant").content.decode()
    assert "Unit Applicant" in html
    assert "Pending Applicant" not in html


def test_members_only_contacts_are_shown_to_fellow_members(client_for, org, other_owner):
    from tests.network.factories import ContactFactory

    ContactFactory(organisation=org, name="Members Desk", visibility="members")
    html = client_for(other_owner).get("/en/organisations/ours/").content.decode()
    assert "Members Desk" in html
    assert "Treasurer Private" not in html


def test_exports_carry_public_fields_only(client, secretariat, org, applicant):
    for fmt in ("csv", "hxl"):
        body = client.get(f"/en/networks/uniw/members/?export={fmt}").content.decode()
        assert "Our Association" in body
        assert "PPM-SECRET-001" not in body and "treasurer@" not in body and "Pending Applicant" not in body


def test_api_hides_private_fields(client, org, owner):
    data = client.get("/api/v1/organisations/ours").json()
    assert data["name_en"] == "Our Association"
    assert "registration_number" not in data and "contacts" not in data and "agm_date" not in data


def test_withdrawal_is_for_owners_not_editors(org, owner, editor):
    membership = org.network_memberships.get()
    with pytest.raises(Forbidden):
        services.change_membership_status(membership, to="withdrawn", by=editor, reason="we leave")
    services.change_membership_status(membership, to="withdrawn", by=owner, reason="we leave")
    membership.refresh_from_db()
    assert membership.status == "withdrawn"


def test_membership_transitions_are_audited_and_need_a_reason(secretariat, org):
    from tansiq.core.errors import TansiqError
    from tansiq.core.models import AuditEntry

    membership = org.network_memberships.get()
    with pytest.raises(TansiqError):
        services.change_membership_status(membership, to="suspended", by=secretariat, reason=" ")
    services.change_membership_status(membership, to="suspended", by=secretariat, reason="statute art. 9")
    services.change_membership_status(membership, to="admitted", by=secretariat, reason="dues paid")
    entries = AuditEntry.objects.for_object(membership).order_by("at", "pk")
    assert [(e.from_state, e.to_state) for e in entries] == [("admitted", "suspended"), ("suspended", "admitted")]


def test_secretariat_changes_status_from_the_profile_page(client_for, secretariat, org):
    membership = org.network_memberships.get()
    client = client_for(secretariat)
    response = client.post(
        f"/en/memberships/{membership.uuid}/status/", {"to": "expelled", "on": "2026-01-02", "reason": "Art. 12"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "expelled" and membership.status_changed_on == dt.date(2026, 1, 2)


def test_viewer_cannot_manage_people(client, org):
    from tests.factories import UserFactory

    viewer = UserFactory()
    MembershipFactory(user=viewer, organisation=org, role="viewer")
    assert_refused(client, viewer, ["/en/organisations/ours/people/", "/en/organisations/ours/edit/"])
