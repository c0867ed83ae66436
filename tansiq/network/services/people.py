"""Every write to the registry: one keyword-only function per use case, checked, atomic and audited."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tansiq.accounts.queries import has_verified_email
from tansiq.core import audit
from tansiq.core.email import send_templated
from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.rules import require
from tansiq.network.models import (
    Invitation,
    Membership,
    NetworkMembership,
    Organisation,
    hash_invitation_token,
)
from tansiq.network.services.representatives import (
    ALTERNATE,
    REPRESENTATIVE,
    REPRESENTED_STATUSES,
    stop_representing,
    take_seat_from_invitation,
)

INVITATION_DAYS = 14
Role = Membership.Role


def invite_person(
    organisation: Organisation, *, by, email: str, role: str, language: str, base_url: str = ""
) -> tuple[Invitation, str]:
    """Invite someone by e-mail to act for the organisation; the e-mail goes in the invitee's language.

    Returns the invitation and its raw token (sent in the e-mail, never stored). ``base_url`` is the
    site's address (``https://host``) the link in the e-mail starts with.
    """
    require(by, "network.manage_people", organisation)
    if role not in Role.values:
        raise TansiqError(_("Choose a role."), field="role")
    if role == Role.OWNER:
        require(by, "network.manage_owners", organisation)
    email = email.strip().lower()
    if language not in dict(settings.LANGUAGES):
        raise TansiqError(_("Choose a language."), field="language")
    if organisation.people.filter(user__email__iexact=email).exists():
        raise Conflict(_("This person already acts for the organisation."), field="email")
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            language=language,
            token_hash=hash_invitation_token(raw),
            invited_by=by,
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
        )
        audit.record("create", by=by, obj=invitation, changes={"role": role})
        send_templated(
            "network/email/invitation",
            {
                "organisation": organisation,
                "role": invitation.get_role_display,
                "inviter": by,
                "accept_url": base_url.rstrip("/") + _accept_path(raw, language),
                "expires_at": invitation.expires_at,
                "days": INVITATION_DAYS,
            },
            to=email,
            language=language,
        )
    return invitation, raw


def _accept_path(raw: str, language: str) -> str:

    with translation.override(language):
        return reverse("network:accept_invitation", args=[raw])


def invitation_by_token(raw: str) -> Invitation:
    """The invitation for a raw token, with a clear message when it is unknown, used or expired."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=hash_invitation_token(raw or "")).first()
    )
    if invitation is None:
        raise TansiqError(_("This invitation link is not valid. Ask for a new invitation."), code="invalid_invitation")
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation has already been used."), code="invitation_used")
    if invitation.expires_at <= timezone.now():
        raise TansiqError(_("This invitation has expired. Ask for a new invitation."), code="invitation_expired")
    return invitation


def accept_invitation(raw: str, *, by) -> Membership:
    """The signed-in invitee accepts: they act for the organisation with the invited role. Single use."""
    if not getattr(by, "is_authenticated", False):
        raise Forbidden(_("Sign in to accept the invitation."))
    with transaction.atomic():
        invitation = invitation_by_token(raw)
        # Compare-and-set: two clicks on the same link make one membership.
        used = Invitation.objects.filter(pk=invitation.pk, accepted_at=None).update(
            accepted_at=timezone.now(), accepted_by=by
        )
        if not used:
            raise Conflict(_("This invitation has already been used."), code="invitation_used")
        # The link is bound to the address it was sent to: whoever else holds it (a forwarded
        # e-mail, a shared screen) cannot use it. Raised inside the transaction, so it stays unused.
        if not has_verified_email(by, invitation.email):
            raise Forbidden(
                _(
                    "This invitation was sent to %(email)s. Sign in with that address, or add it to your "
                    "account and confirm it, to accept the invitation."
                )
                % {"email": invitation.email},
                code="invitation_other_address",
            )
        membership, created = Membership.objects.get_or_create(
            user=by, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        if not created and _rank(invitation.role) < _rank(membership.role):
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        audit.record("create", by=by, obj=membership, changes={"role": membership.role, "invitation": True})
        if invitation.represents_id:
            take_seat_from_invitation(invitation, by=by)
    return membership


_RANKS = {Role.OWNER: 0, Role.ADMIN: 1, Role.EDITOR: 2, Role.VIEWER: 3}


def _rank(role: str) -> int:
    return _RANKS.get(role, 9)


def _refuse_losing_last_owner(membership: Membership) -> None:
    owners = Membership.objects.select_for_update().filter(organisation=membership.organisation_id, role=Role.OWNER)
    if membership.role == Role.OWNER and owners.count() <= 1:
        raise Conflict(_("An organisation needs at least one owner. Make someone else an owner first."), field="role")


def change_role(membership: Membership, *, by, role: str) -> Membership:
    """Change what a person may do for the organisation. Nobody can demote the last owner."""
    organisation = membership.organisation
    require(by, "network.manage_people", organisation)
    if role not in Role.values:
        raise TansiqError(_("Choose a role."), field="role")
    if Role.OWNER in (role, membership.role):
        require(by, "network.manage_owners", organisation)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == role:
            return membership
        if role != Role.OWNER:
            _refuse_losing_last_owner(membership)
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record("update", by=by, obj=membership, changes={"role": {"from": previous, "to": role}})
    return membership


def remove_person(membership: Membership, *, by) -> None:
    """Someone stops acting for the organisation (or leaves it). Nobody can remove the last owner.
    They stop representing it too (``representatives.stop_representing``)."""
    organisation = membership.organisation
    leaving = by.pk == membership.user_id
    if not leaving:
        require(by, "network.manage_people", organisation)
        if membership.role == Role.OWNER:
            require(by, "network.manage_owners", organisation)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _refuse_losing_last_owner(membership)
        audit.record("delete", by=by, obj=membership, changes={"role": membership.role})
        membership.delete()
        # Nobody represents a member they no longer act for (seats, offices: decision 0018).

        stop_representing(organisation, membership.user, by=by)


def invite_representative(
    membership: NetworkMembership, *, by, email: str, seat: str, role: str, language: str, base_url: str = ""
) -> Invitation:
    """Invite someone by e-mail to act for the organisation and, on accepting, take the seat
    (``seat``: "representative" or "alternate") in the network. Uses the people invitation; the seat is taken by
    ``representatives.take_seat_from_invitation`` when it is accepted."""
    require(by, "network.name_representatives", membership)
    if membership.status not in REPRESENTED_STATUSES:
        raise TansiqError(_("Only members of the network name representatives."))
    if seat not in (REPRESENTATIVE, ALTERNATE):
        raise TansiqError(_("Choose whether they will be the representative or the alternate."), field="seat")
    # The page's form checks the address too; the API sends it as it came.
    try:
        validate_email((email or "").strip())
    except ValidationError:
        raise TansiqError(_("Enter a valid e-mail address."), field="email") from None
    with transaction.atomic():
        invitation, _raw = invite_person(
            membership.organisation, by=by, email=email, role=role, language=language, base_url=base_url
        )
        invitation.represents = membership
        invitation.represents_as = seat
        invitation.save(update_fields=["represents", "represents_as"])
        audit.record("update", by=by, obj=membership, changes={"invited": seat, "invitation": str(invitation.uuid)})
    return invitation
