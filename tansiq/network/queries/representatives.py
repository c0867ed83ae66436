"""Reads behind the contacts and representatives pages, scoped to the user.

Each helper returns the object or raises 404 when the user may not manage it: a page never
reveals that an organisation or contact exists to someone who may not act on it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from tansiq.network.models import Contact, Membership, NetworkMembership, Organisation
from tansiq.network.queries import directory as queries
from tansiq.network.rules import allowed, remember_role


def organisation_with_contacts_of(user, slug: str) -> Organisation:
    """An organisation whose contacts the user keeps, or 404."""
    organisation, _editable = queries.organisation_for(user, slug)
    if not allowed(user, "network.manage_contacts", organisation):
        raise Http404
    return organisation


def contacts_of(organisation: Organisation) -> QuerySet[Contact]:
    return organisation.contacts.order_by("name", "pk")


def contact_of(organisation: Organisation, uuid) -> Contact:
    try:
        return organisation.contacts.select_related("organisation").get(uuid=uuid)
    except (Contact.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def organisation_represented_by(user, slug: str) -> tuple[Organisation, list[NetworkMembership]]:
    """The organisation and the memberships the user names representatives for; 404 if none.

    One query: the memberships come with their organisation and the user's role in it. Whoever may
    name a membership's representatives (the organisation's owners and admins, the secretariat, the
    admins of the membership's unit) may see the organisation, so no separate visibility check is
    needed to keep it hidden from anyone else: they get the same 404 as for an unknown address.
    """
    if not getattr(user, "is_authenticated", False):
        raise Http404
    mine = Membership.objects.filter(user=user, organisation=OuterRef("organisation")).values("role")[:1]
    memberships = list(
        NetworkMembership.objects.filter(organisation__slug=slug, status__in=NetworkMembership.REPRESENTED_STATUSES)
        .select_related("network", "unit", "representative", "alternate", "organisation")
        .annotate(my_role=Subquery(mine))
        .order_by("network__position", "network__pk")
    )
    if not memberships:
        raise Http404
    organisation = memberships[0].organisation
    remember_role(user, organisation, memberships[0].my_role)
    for membership in memberships:
        membership.organisation = organisation  # one object for the page and every rule asked
    memberships = [item for item in memberships if allowed(user, "network.name_representatives", item)]
    if not memberships:
        raise Http404
    return organisation, memberships


def membership_to_represent(memberships: list[NetworkMembership], uuid) -> NetworkMembership:
    for membership in memberships:
        if str(membership.uuid) == str(uuid):
            return membership
    raise Http404


def people_who_may_represent(organisation: Organisation) -> QuerySet:

    return (
        get_user_model()
        .objects.filter(pk__in=Membership.objects.filter(organisation=organisation).values("user_id"))
        .order_by("display_name", "email")
    )


def seats_of(membership: NetworkMembership):
    return (
        membership.organisation.committee_seats.filter(committee__network=membership.network_id)
        .select_related("committee", "representative")
        .order_by("committee__position", "committee__slug")
    )


def seats_by_network(organisation: Organisation, memberships: list[NetworkMembership]) -> dict[int, list]:
    """The organisation's committee seats in each of these networks, in one query for all of them."""
    found: dict[int, list] = {membership.network_id: [] for membership in memberships}
    seats = (
        organisation.committee_seats.filter(committee__network__in=list(found))
        .select_related("committee", "representative")
        .order_by("committee__position", "committee__slug")
    )
    for seat in seats:
        found[seat.committee.network_id].append(seat)
    return found
