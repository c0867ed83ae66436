"""Inviting people, roles, and the last owner."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.network.models import Invitation, Membership
from tansiq.network.services import people as services
from tests.factories import UserFactory
from tests.network.factories import MembershipFactory


def test_invitation_is_sent_in_the_invitees_language_and_only_its_hash_is_kept(
    client_for, owner, org, django_capture_on_commit_callbacks
):
    client = client_for(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/organisations/ours/people/", {"email": "New@Example.org", "role": "editor", "language": "ms"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert "/ms/invitations/" in message.body
    token = message.body.split("/ms/invitations/")[1].split("/")[0]
    assert invitation.token_hash != token and token not in invitation.token_hash


def test_invitation_accepted_once(client_for, owner, org):
    _invitation, raw = services.invite_person(org, by=owner, email="a@example.org", role="editor", language="en")
    invitee = UserFactory(email="a@example.org")
    client = client_for(invitee)
    assert client.get(f"/en/invitations/{raw}/").status_code == 200
    assert client.post(f"/en/invitations/{raw}/").status_code == 302
    assert Membership.objects.get(user=invitee).role == "editor"
    second = UserFactory()
    with pytest.raises(Conflict):
        services.accept_invitation(raw, by=second)
    response = client_for(second).post(f"/en/invitations/{raw}/")
    assert response.status_code == 409
    assert "already been used" in response.content.decode()


def test_expired_invitation_is_refused_with_a_translated_message(client_for, owner, org):
    invitation, raw = services.invite_person(org, by=owner, email="b@example.org", role="viewer", language="ar")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(TansiqError):
        services.accept_invitation(raw, by=UserFactory())
    response = client_for(UserFactory()).get(f"/en/invitations/{raw}/")
    assert response.status_code == 400
    assert "This invitation has expired. Ask for a new invitation." in response.content.decode()


def test_unknown_invitation_token_is_refused(client, db):
    assert client.get("/en/invitations/not-a-token/").status_code == 400


def test_last_owner_can_be_neither_demoted_nor_removed(owner, org):
    membership = Membership.objects.get(user=owner)
    with pytest.raises(Conflict):
        services.change_role(membership, by=owner, role="admin")
    with pytest.raises(Conflict):
        services.remove_person(membership, by=owner)
    assert Membership.objects.get(user=owner).role == "owner"


def test_an_owner_can_step_down_once_there_is_another(owner, org):
    second = UserFactory()
    MembershipFactory(user=second, organisation=org, role="owner")
    services.change_role(Membership.objects.get(user=owner), by=owner, role="editor")
    assert Membership.objects.get(user=owner).role == "editor"


def test_admins_cannot_make_owners_or_touch_owners(owner, org):
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=org, role="admin")
    with pytest.raises(Forbidden):
        services.invite_person(org, by=admin, email="c@example.org", role="owner", language="en")
    with pytest.raises(Forbidden):
        services.remove_person(Membership.objects.get(user=owner), by=admin)
    editor = UserFactory()
    person = MembershipFactory(user=editor, organisation=org, role="editor")
    services.change_role(person, by=admin, role="viewer")
    assert Membership.objects.get(pk=person.pk).role == "viewer"


def test_people_page_refuses_the_last_owner_removal_with_a_message(client_for, owner, org):
    person = Membership.objects.get(user=owner)
    response = client_for(owner).post(f"/en/organisations/ours/people/{person.uuid}/remove/", follow=True)
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.filter(pk=person.pk).exists()


def test_changes_to_people_are_audited(owner, org):
    from tansiq.core.models import AuditEntry

    person = MembershipFactory(user=UserFactory(), organisation=org, role="viewer")
    services.change_role(person, by=owner, role="editor")
    services.remove_person(person, by=owner)
    assert list(AuditEntry.objects.for_object(person).values_list("action", flat=True).order_by("pk")) == [
        "update",
        "delete",
    ]


def test_an_invitation_is_accepted_only_by_the_address_it_was_sent_to(client_for, owner, org):
    from allauth.account.models import EmailAddress

    _invitation, raw = services.invite_person(org, by=owner, email="c@example.org", role="admin", language="en")
    holder = UserFactory(email="someone.else@example.org")
    with pytest.raises(Forbidden):
        services.accept_invitation(raw, by=holder)
    response = client_for(holder).post(f"/en/invitations/{raw}/")
    assert response.status_code == 403
    assert "This invitation was sent to c@example.org" in response.content.decode()
    assert not Membership.objects.filter(user=holder).exists()
    # An address added but not confirmed is not enough; confirmed, it is.
    address = EmailAddress.objects.create(user=holder, email="C@example.org", verified=False)
    with pytest.raises(Forbidden):
        services.accept_invitation(raw, by=holder)
    address.verified = True
    address.save()
    services.accept_invitation(raw, by=holder)
    assert Membership.objects.get(user=holder).role == "admin"
