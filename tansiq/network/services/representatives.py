"""Writes of who represents a member organisation in its network: naming the representative and
the alternate, inviting someone to take the seat, stepping down. Checked by the ``rules``
predicates, atomic and audited, like every service of the registry.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.network.models import (
    Committee,
    CommitteeSeat,
    Invitation,
    Membership,
    NetworkMembership,
    Organisation,
)
from tansiq.network.services import committees

# Members name representatives; applicants name theirs in the application (board resolution).
REPRESENTED_STATUSES = NetworkMembership.REPRESENTED_STATUSES


REPRESENTATIVE, ALTERNATE = "representative", "alternate"


def _label(user) -> str:
    return audit.actor_label(user) if user is not None else ""


def _check_person(membership: NetworkMembership, user, field: str) -> None:
    if user is not None and not Membership.objects.filter(organisation=membership.organisation_id, user=user).exists():
        raise TansiqError(_("Choose one of the people who act for the organisation."), field=field)


def name_representatives(
    membership: NetworkMembership,
    *,
    by,
    representative,
    alternate,
    expected: tuple[int | None, int | None],
    via_invitation: bool = False,
    because: str = "",
) -> NetworkMembership:
    """The member's owners or admins name its representative and alternate in the network.

    ``expected`` is the (representative id, alternate id) the form was filled in against: if someone
    else changed them meanwhile, the change is refused (compare-and-set). Committee seats held by the
    outgoing representative pass to the new one, so each committee still has one representative of
    the member (statute); a committee office the outgoing one held becomes vacant unless they still
    represent another member on that committee (``committees.vacate_offices``).

    ``because`` names a change the platform makes itself, already allowed by the step that causes
    it (``"person_left"``: see ``stop_representing``); it is recorded in the audit entry.
    """
    if not (via_invitation or because):
        require(by, "network.name_representatives", membership)
    if membership.status not in REPRESENTED_STATUSES:
        raise TansiqError(_("Only members of the network name representatives."))
    if representative is not None and alternate is not None and representative.pk == alternate.pk:
        raise TansiqError(_("The alternate must be someone other than the representative."), field="alternate")
    _check_person(membership, representative, "representative")
    _check_person(membership, alternate, "alternate")
    with transaction.atomic():
        current = (
            NetworkMembership.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=membership.pk)
        )
        if (current.representative_id, current.alternate_id) != tuple(expected):
            raise Conflict(
                _(
                    "Someone else changed the representatives while you were editing. "
                    "Reload the page to see who is named now, then make your change again."
                )
            )
        before = {REPRESENTATIVE: current.representative, ALTERNATE: current.alternate}
        after = {REPRESENTATIVE: representative, ALTERNATE: alternate}
        changes = {
            role: {"from": _label(before[role]), "to": _label(after[role])}
            for role in (REPRESENTATIVE, ALTERNATE)
            if getattr(before[role], "pk", None) != getattr(after[role], "pk", None)
        }
        if not changes:
            return current
        current.representative = representative
        current.alternate = alternate
        current.save(update_fields=["representative", "alternate"])
        audit.record(
            "update",
            by=by,
            obj=current,
            changes={
                "fields": sorted(changes),
                **changes,
                **({"invitation": True} if via_invitation else {}),
                **({"because": because} if because else {}),
            },
        )
        if REPRESENTATIVE in changes:
            _hand_over_seats(current, by=by, outgoing=before[REPRESENTATIVE], incoming=representative)
            if before[REPRESENTATIVE] is not None:
                # The seat passes on; an office its holder was elected to does not (decision 0018).
                committees.vacate_offices(
                    Committee.objects.filter(network=current.network_id),
                    people=[before[REPRESENTATIVE].pk],
                    by=by,
                    cause=committees.REPRESENTATIVE_CHANGED,
                )
    return current


PERSON_LEFT = "person_left"


def stop_representing(organisation: Organisation, user, *, by) -> None:
    """``user`` no longer acts for ``organisation`` (``services.remove_person``, inside its
    transaction): they are its representative or alternate in no network any more, its committee
    seats they sat on pass to nobody until the member names someone, and an office they held
    through it falls vacant (decision 0018)."""
    named = NetworkMembership.objects.filter(organisation=organisation).filter(
        Q(representative=user) | Q(alternate=user)
    )
    for membership in named.order_by("pk"):
        representative = None if membership.representative_id == user.pk else membership.representative
        alternate = None if membership.alternate_id == user.pk else membership.alternate
        if membership.status in REPRESENTED_STATUSES:
            name_representatives(
                membership,
                by=by,
                representative=representative,
                alternate=alternate,
                expected=(membership.representative_id, membership.alternate_id),
                because=PERSON_LEFT,
            )
        else:  # a former member or an applicant: nothing to hand over, the names just go
            NetworkMembership.objects.filter(pk=membership.pk).update(
                representative=representative, alternate=alternate
            )
            audit.record(
                "update",
                by=by,
                obj=membership,
                changes={"fields": ["representative", "alternate"], "because": PERSON_LEFT},
            )
    # Seats they still hold for it (named on a seat in the back office, not as the representative).
    seats = CommitteeSeat.objects.select_for_update(of=("self",)).filter(organisation=organisation, representative=user)
    committee_ids = set()
    for seat in seats.select_related("committee", "organisation"):
        seat.representative = None
        seat.save(update_fields=["representative"])
        committee_ids.add(seat.committee_id)
        audit.record(
            "update",
            by=by,
            obj=seat,
            changes={
                "fields": ["representative"],
                "representative": {"from": _label(user), "to": ""},
                "because": PERSON_LEFT,
            },
        )
    if committee_ids:
        committees.vacate_offices(
            Committee.objects.filter(pk__in=committee_ids), people=[user.pk], by=by, cause=committees.SEAT_CHANGED
        )


def _hand_over_seats(membership: NetworkMembership, *, by, outgoing, incoming) -> None:
    """Committee seats the outgoing representative held for the member pass to the incoming one."""
    seats = CommitteeSeat.objects.select_for_update(of=("self",)).filter(
        organisation=membership.organisation_id, committee__network=membership.network_id
    )
    seats = seats.filter(representative=outgoing) if outgoing is not None else seats.filter(representative=None)
    for seat in seats.select_related("committee", "organisation"):
        seat.representative = incoming
        seat.save(update_fields=["representative"])
        audit.record(
            "update",
            by=by,
            obj=seat,
            changes={
                "fields": ["representative"],
                "representative": {"from": _label(outgoing), "to": _label(incoming)},
            },
        )


def take_seat_from_invitation(invitation: Invitation, *, by) -> None:
    """The invitee has accepted: they become the representative or alternate the invitation named.

    Called from ``services.accept_invitation`` inside its transaction. A membership that has ended
    meanwhile takes nobody.
    """
    if invitation.represents_id is None or invitation.represents_as not in (REPRESENTATIVE, ALTERNATE):
        return
    membership = NetworkMembership.objects.filter(pk=invitation.represents_id).first()
    if membership is None or membership.status not in REPRESENTED_STATUSES:
        return
    representative, alternate = membership.representative, membership.alternate
    if invitation.represents_as == REPRESENTATIVE:
        representative = by
        if alternate is not None and alternate.pk == by.pk:
            alternate = None
    else:
        alternate = by
        if representative is not None and representative.pk == by.pk:
            return
    name_representatives(
        membership,
        by=by,
        representative=representative,
        alternate=alternate,
        expected=(membership.representative_id, membership.alternate_id),
        via_invitation=True,
    )
