"""Every write to the registry: one keyword-only function per use case, checked, atomic and audited."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tansiq.accounts.queries import has_verified_email
from tansiq.core import audit
from tansiq.core.email import send_templated
from tansiq.core.errors import Conflict, Forbidden, TansiqError
from tansiq.core.permissions import require
from tansiq.core.workflow import transition
from tansiq.network import committees
from tansiq.network.models import (
    Committee,
    CommitteeSeat,
    Invitation,
    Membership,
    NetworkMembership,
    Organisation,
    hash_invitation_token,
)

INVITATION_DAYS = 14
Role = Membership.Role

# What an editor may change on the profile; the legal identity behind it (slug, parent) stays with
# the secretariat's back office.
PROFILE_FIELDS = (
    "legal_name",
    "name_ar",
    "name_en",
    "name_ms",
    "acronym",
    "type",
    "country",
    "region",
    "city",
    "address",
    "latitude",
    "longitude",
    "registry",
    "registration_number",
    "year_founded",
    "website",
    "social_links",
    "working_languages",
    "logo",
    "description_ar",
    "description_en",
    "description_ms",
    "staff_count",
    "volunteer_count",
    "agm_date",
    "licence_expiry",
)


def update_organisation(organisation: Organisation, *, by, version: int, focus_areas=None, **values) -> Organisation:
    """An editor (or the secretariat) changes the profile. An edit made on an older version is refused."""
    require(by, "network.change_organisation_profile", organisation)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TansiqError(_("Unknown field."), field=sorted(unknown)[0])
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if current.version != version:
            raise Conflict(
                _(
                    "Someone else saved this profile while you were editing it. "
                    "Reload the page to see their changes, then make yours again."
                )
            )
        changed = sorted(name for name, value in values.items() if getattr(current, name) != value)
        for name in changed:
            setattr(current, name, values[name])
        focus_changed = False
        if focus_areas is not None:
            wanted = {area.pk for area in focus_areas}
            focus_changed = wanted != set(current.focus_areas.values_list("pk", flat=True))
            if focus_changed:
                current.focus_areas.set(wanted)
                changed.append("focus_areas")
        if not changed:
            return current
        current.version = F("version") + 1
        current.updated_at = timezone.now()
        current.save()
        current.refresh_from_db(fields=["version"])
        # Field names only: the log outlives the profile.
        audit.record("update", by=by, obj=current, changes={"fields": changed})
    return current


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
    from django.urls import reverse
    from django.utils import translation

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
            from tansiq.network.manage import take_seat_from_invitation

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
    They stop representing it too (``manage.stop_representing``)."""
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
        from tansiq.network.manage import stop_representing

        stop_representing(organisation, membership.user, by=by)


def change_membership_status(
    membership: NetworkMembership, *, to: str, by, reason: str, on: dt.date | None = None
) -> NetworkMembership:
    """Suspend, reinstate, withdraw or expel an admitted member, with the reason and the date (statute).

    A member that withdraws or is expelled is represented no more: a committee office held by one
    of its seats' representatives becomes vacant (``committees.vacate_offices``); a suspended
    member keeps them.
    """
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise TansiqError(_("The date cannot be in the future."), field="on")
    membership.status_reason = reason.strip()
    membership.status_changed_on = on
    with transaction.atomic():
        transition(
            membership,
            to=to,
            by=by,
            reason=reason,
            require_reason=True,
            extra_fields=["status_reason", "status_changed_on"],
            changes={"on": on.isoformat()},
        )
        if membership.status not in NetworkMembership.REPRESENTED_STATUSES:
            seats = CommitteeSeat.objects.filter(
                organisation=membership.organisation_id, committee__network=membership.network_id
            )
            at_stake, people = committees.offices_at_stake(seats)
            committees.vacate_offices(at_stake, people=people, by=by, cause=committees.MEMBERSHIP_ENDED)
    return membership


def add_committee_seat(committee: Committee, *, by, organisation: Organisation, representative=None) -> CommitteeSeat:
    """Give a member organisation a seat on a committee, with its one representative there."""
    require(by, "network.manage_committee", committee)
    if (
        not NetworkMembership.objects.admitted()
        .filter(network=committee.network_id, organisation=organisation)
        .exists()
    ):
        raise TansiqError(_("Only admitted members of the network can sit on its committees."), field="organisation")
    if representative is not None and not organisation.people.filter(user=representative).exists():
        raise TansiqError(_("The representative must be one of the organisation's people."), field="representative")
    try:
        with transaction.atomic():
            seat = CommitteeSeat.objects.create(
                committee=committee, organisation=organisation, representative=representative
            )
            audit.record("create", by=by, obj=seat, changes={"committee": committee.slug})
    except IntegrityError:
        raise Conflict(
            _("This organisation already has a seat on the committee: it has one representative there."),
            field="organisation",
        ) from None
    return seat
