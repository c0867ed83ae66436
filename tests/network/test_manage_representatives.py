"""Each member names a representative and an alternate per network; committee seats follow."""

import pytest
from django.core import mail

from tansiq.core.errors import Forbidden, TansiqError
from tansiq.core.models import AuditEntry
from tansiq.network.models import CommitteeSeat, Invitation, NetworkMembership
from tansiq.network.services import committees as committees_services
from tansiq.network.services import people as services
from tansiq.network.services import representatives as manage
from tests.factories import UserFactory
from tests.helpers import assert_refused
from tests.network.factories import CommitteeFactory, MembershipFactory, UnitFactory

URL = "/en/organisations/ours/representatives/"


def _post(membership, **values):
    prefix = f"m{membership.pk}-"
    data = {"expected_representative": "", "expected_alternate": ""}
    data.update(values)
    return {prefix + name: ("" if value is None else value) for name, value in data.items()}


def test_owner_names_representative_and_alternate_with_an_audit_entry(client_for, owner, membership, amina, yusuf):
    client = client_for(owner)
    assert "Amina Representative" in client.get(URL).content.decode()
    response = client.post(f"{URL}{membership.uuid}/", _post(membership, representative=amina.pk, alternate=yusuf.pk))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.representative, membership.alternate) == (amina, yusuf)
    entry = AuditEntry.objects.for_object(membership).get()
    assert entry.actor == owner and entry.changes["fields"] == ["alternate", "representative"]
    assert entry.changes["representative"] == {"from": "", "to": "Amina Representative"}


def test_the_alternate_must_be_someone_else(client_for, owner, membership, amina):
    response = client_for(owner).post(
        f"{URL}{membership.uuid}/", _post(membership, representative=amina.pk, alternate=amina.pk)
    )
    assert response.status_code == 400
    assert f'id="id_m{membership.pk}-alternate_error"' in response.content.decode()
    membership.refresh_from_db()
    assert membership.representative is None


def test_only_people_of_the_organisation_can_be_named(client_for, owner, membership, outsider):
    response = client_for(owner).post(f"{URL}{membership.uuid}/", _post(membership, representative=outsider.pk))
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.representative is None
    with pytest.raises(TansiqError) as refused:
        manage.name_representatives(
            membership, by=owner, representative=outsider, alternate=None, expected=(None, None)
        )
    assert refused.value.field == "representative"


def test_a_change_made_on_what_someone_else_just_changed_is_refused(client_for, owner, membership, amina, yusuf):
    other_admin = UserFactory()
    MembershipFactory(user=other_admin, organisation=membership.organisation, role="admin")
    manage.name_representatives(membership, by=other_admin, representative=yusuf, alternate=None, expected=(None, None))
    response = client_for(owner).post(f"{URL}{membership.uuid}/", _post(membership, representative=amina.pk))
    assert response.status_code == 400
    assert "Someone else changed the representatives" in response.content.decode()
    membership.refresh_from_db()
    assert membership.representative == yusuf


def test_committee_seats_follow_the_new_representative(owner, membership, network, amina, yusuf):
    committee = CommitteeFactory(network=network)
    other_network_committee = CommitteeFactory()
    manage.name_representatives(membership, by=owner, representative=amina, alternate=None, expected=(None, None))
    seat = committees_services.add_committee_seat(
        committee, by=UserFactory(is_superuser=True), organisation=membership.organisation, representative=amina
    )
    elsewhere = CommitteeSeat.objects.create(
        committee=other_network_committee, organisation=membership.organisation, representative=amina
    )
    manage.name_representatives(membership, by=owner, representative=yusuf, alternate=amina, expected=(amina.pk, None))
    seat.refresh_from_db()
    elsewhere.refresh_from_db()
    assert seat.representative == yusuf
    # A seat in another network's committee is that network's business.
    assert elsewhere.representative == amina
    # Still one seat, so one representative, per member organisation per committee.
    assert CommitteeSeat.objects.filter(committee=committee, organisation=membership.organisation).count() == 1
    assert AuditEntry.objects.for_object(seat).filter(changes__fields=["representative"]).exists()


def test_inviting_a_representative_by_email_names_them_when_they_accept(
    client_for, owner, membership, django_capture_on_commit_callbacks
):
    prefix = f"i{membership.pk}-"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            f"{URL}{membership.uuid}/invite/",
            {
                prefix + "email": "Delegate@Example.org",
                prefix + "seat": "representative",
                prefix + "role": "viewer",
                prefix + "language": "ar",
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.represents, invitation.represents_as) == (membership, "representative")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["delegate@example.org"]
    raw = mail.outbox[0].body.split("/ar/invitations/")[1].split("/")[0]
    delegate = UserFactory(email="delegate@example.org", display_name="Delegate")
    services.accept_invitation(raw, by=delegate)
    membership.refresh_from_db()
    assert membership.representative == delegate
    assert AuditEntry.objects.for_object(membership).filter(changes__invitation=True).exists()


def test_an_invitation_with_an_invalid_address_is_refused_beside_the_field(client_for, owner, membership):
    prefix = f"i{membership.pk}-"
    response = client_for(owner).post(
        f"{URL}{membership.uuid}/invite/",
        {
            prefix + "email": "not mail",
            prefix + "seat": "alternate",
            prefix + "role": "viewer",
            prefix + "language": "en",
        },
    )
    assert response.status_code == 400
    assert f'id="id_i{membership.pk}-email_error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_someone_who_already_acts_for_the_organisation_says_to_choose_them(
    client_for, owner, membership, amina
):
    prefix = f"i{membership.pk}-"
    response = client_for(owner).post(
        f"{URL}{membership.uuid}/invite/",
        {
            prefix + "email": amina.email,
            prefix + "seat": "alternate",
            prefix + "role": "viewer",
            prefix + "language": "en",
        },
    )
    assert response.status_code == 400
    assert "already acts for the organisation" in response.content.decode()


def test_unit_admin_of_the_members_unit_and_the_secretariat_may_name(client_for, unit_admin, secretariat, membership):
    assert client_for(unit_admin).get(URL).status_code == 200
    assert client_for(secretariat).get(URL).status_code == 200


def test_representative_pages_are_refused_to_those_the_rules_leave_out(
    client, org, membership, editor, other_owner, network, member, amina
):
    foreign_unit_admin = UserFactory()
    UnitFactory(network=network).admins.add(foreign_unit_admin)
    requests = [
        URL,
        ("post", f"{URL}{membership.uuid}/"),
        ("post", f"{URL}{membership.uuid}/invite/"),
    ]
    for user in (editor, other_owner, foreign_unit_admin, member):
        assert_refused(client, user, requests, allowed=(404,))
    assert_refused(client, None, requests)
    with pytest.raises(Forbidden):
        manage.name_representatives(membership, by=editor, representative=amina, alternate=None, expected=(None, None))
    membership.refresh_from_db()
    assert membership.representative is None


def test_another_members_membership_is_not_reachable_through_ours(client_for, owner, org, other_org):
    theirs = other_org.network_memberships.get()
    assert client_for(owner).post(f"{URL}{theirs.uuid}/", {}).status_code == 404


def test_applicants_name_no_representative_here(client_for, applicant):
    owner = UserFactory()
    MembershipFactory(user=owner, organisation=applicant, role="owner")
    assert client_for(owner).get("/en/organisations/pending/representatives/").status_code == 404
    with pytest.raises(TansiqError):
        manage.name_representatives(
            NetworkMembership.objects.get(organisation=applicant),
            by=owner,
            representative=None,
            alternate=None,
            expected=(None, None),
        )


def test_a_seat_invitation_accepted_after_the_membership_ended_names_nobody(owner, membership):
    invitation = services.invite_representative(
        membership, by=owner, email="late@example.org", seat="alternate", role="viewer", language="en"
    )
    NetworkMembership.objects.filter(pk=membership.pk).update(status="withdrawn")
    late = UserFactory(email="late@example.org")
    manage.take_seat_from_invitation(invitation, by=late)
    membership.refresh_from_db()
    assert membership.alternate is None
