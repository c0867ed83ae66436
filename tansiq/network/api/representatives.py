"""An organisation's contacts and its representatives in the API: the same predicates, reads and
services as the contacts and representatives pages.

Mounted on the registry's router (``api/registry.py``), so the paths sit under ``/organisations``.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tansiq.core.apitools import Pages, signed_in_or_visitor
from tansiq.core.errors import valid, validated
from tansiq.network.forms.representatives import ContactForm, RepresentativeInvitationForm, RepresentativesForm
from tansiq.network.queries import directory as queries
from tansiq.network.queries import representatives as found
from tansiq.network.services import contacts as manage
from tansiq.network.services import people as people_services
from tansiq.network.services import representatives as representatives_services

router = Router(tags=["network"])


class PersonOut(Schema):
    uuid: str
    name: str
    email: str

    @staticmethod
    def resolve_uuid(person) -> str:
        return str(person.uuid)

    @staticmethod
    def resolve_name(person) -> str:
        return person.get_full_name()


class ContactOut(Schema):
    uuid: str
    name: str
    role: str
    email: str
    phone: str
    visibility: str
    version: int

    @staticmethod
    def resolve_uuid(contact) -> str:
        return str(contact.uuid)


class ContactIn(Schema):
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    visibility: str = "admins"


class ContactPatch(Schema):
    version: int
    name: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    visibility: str | None = None


@router.get(
    "/organisations/{slug}/contacts",
    response=list[ContactOut],
    auth=signed_in_or_visitor,
    summary="An organisation's contacts you may see",
)
def list_contacts(request: HttpRequest, slug: str):
    """Visitors get public contacts, people of fellow members also those for members (the profile
    page's rule); those who keep the organisation's contacts get all of them (the contacts page's)."""
    organisation, _editable = queries.organisation_for(request.user, slug)
    if request.user.is_authenticated and request.user.has_perm("network.manage_contacts", organisation):
        return found.contacts_of(organisation)
    return queries.contacts_visible_to(request.user, organisation).order_by("name", "pk")


@router.post(
    "/organisations/{slug}/contacts",
    response={201: ContactOut},
    summary="Add a contact to your organisation",
)
def create_contact(request: HttpRequest, slug: str, payload: ContactIn):
    """Editors, admins and owners of the organisation, the secretariat, and the admins of its unit.
    ``visibility`` is ``public``, ``members`` or ``admins``."""
    organisation = found.organisation_with_contacts_of(request.user, slug)
    form = validated(ContactForm, payload.dict())  # the contacts page's form: 422 with its messages
    return Status(201, manage.add_contact(organisation, by=request.user, **form.values()))


@router.patch(
    "/organisations/{slug}/contacts/{uuid}",
    response=ContactOut,
    summary="Change one of your organisation's contacts",
)
def update_contact(request: HttpRequest, slug: str, uuid: str, payload: ContactPatch):
    """Send the ``version`` you read: a change made on an older version is refused with 409."""
    organisation = found.organisation_with_contacts_of(request.user, slug)
    contact = found.contact_of(organisation, uuid)
    values = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    form = validated(ContactForm, values, instance=contact, partial=True)
    changed = {name: form.cleaned_data[name] for name in values if name != "version"}
    return manage.update_contact(contact, by=request.user, version=payload.version, **changed)


@router.delete(
    "/organisations/{slug}/contacts/{uuid}",
    response={204: None},
    summary="Delete one of your organisation's contacts",
)
def delete_contact(request: HttpRequest, slug: str, uuid: str, version: int | None = None):
    """With ``?version=``, only if nobody changed the contact since you read it (409 otherwise)."""
    organisation = found.organisation_with_contacts_of(request.user, slug)
    contact = found.contact_of(organisation, uuid)
    manage.delete_contact(contact, by=request.user, version=version)
    return Status(204, None)


# --- Representatives ----------------------------------------------------------------------------


class SeatOut(Schema):
    committee: str
    committee_name: str
    representative: PersonOut | None


class RepresentationOut(Schema):
    membership: str
    network: str
    network_name: str
    status: str
    unit: str | None
    representative: PersonOut | None
    alternate: PersonOut | None
    seats: list[SeatOut]


class RepresentativesIn(Schema):
    """Every field is required (``null`` for nobody): the two people to name, and the two named
    when you read them (compare-and-set)."""

    representative: UUID | None
    alternate: UUID | None
    expected_representative: UUID | None
    expected_alternate: UUID | None


class RepresentativeInvitationIn(Schema):
    email: str
    seat: str
    role: str = "viewer"
    language: str


class RepresentativeInvitationOut(Schema):
    uuid: str
    email: str
    seat: str
    role: str
    language: str
    expires_at: dt.datetime

    @staticmethod
    def resolve_uuid(invitation) -> str:
        return str(invitation.uuid)

    @staticmethod
    def resolve_seat(invitation) -> str:
        return invitation.represents_as


def _representation_out(membership, seats, *, representative, alternate) -> dict:
    return {
        "membership": str(membership.uuid),
        "network": membership.network.slug,
        "network_name": str(membership.network.name),
        "status": membership.status,
        "unit": membership.unit.slug if membership.unit_id else None,
        "representative": representative,
        "alternate": alternate,
        "seats": [
            {
                "committee": seat.committee.slug,
                "committee_name": str(seat.committee.name),
                "representative": seat.representative,
            }
            for seat in seats
        ],
    }


@router.get(
    "/organisations/{slug}/representatives",
    response=list[RepresentationOut],
    summary="Your organisation's representative and alternate in each network",
)
def list_representatives(request: HttpRequest, slug: str):
    """One entry per network the organisation is a member of (admitted or suspended), with its
    committee seats. The organisation's owners and admins, the secretariat and the admins of the
    membership's unit; anyone else gets 404."""
    organisation, memberships = found.organisation_represented_by(request.user, slug)
    seats = found.seats_by_network(organisation, memberships)
    return [
        _representation_out(
            membership,
            seats[membership.network_id],
            representative=membership.representative,
            alternate=membership.alternate,
        )
        for membership in memberships
    ]


@router.get(
    "/organisations/{slug}/representatives/people",
    response=list[PersonOut],
    summary="The people who may be named representative or alternate",
)
@paginate(Pages, page_size=100)
def representative_choices(request: HttpRequest, slug: str):
    """Those who act for the organisation (any role), as the page offers them; name them by ``uuid``."""
    organisation, _memberships = found.organisation_represented_by(request.user, slug)
    return found.people_who_may_represent(organisation)


def _uuid_or_empty(uuid: UUID | None) -> str:
    return "" if uuid is None else str(uuid)


def _expected_id(named, expected: UUID | None) -> int | None:
    """The id the service compares with the one named now (compare-and-set)."""
    if expected is None:
        return None
    if named is not None and named.uuid == expected:
        return named.pk
    # Not who is named now: no one has this id, so the service refuses the change as made on what
    # someone else has changed since.
    return -1


@router.put(
    "/organisations/{slug}/representatives/{uuid:membership}",
    response=RepresentationOut,
    summary="Name your organisation's representative and alternate in a network",
)
def name_representatives(request: HttpRequest, slug: str, membership: UUID, payload: RepresentativesIn):
    """``membership`` is the ``membership`` of ``GET …/representatives``. Name people who act for
    the organisation (``…/representatives/people``), by ``uuid``, or ``null``; the alternate must
    be someone else. Send ``expected_representative`` and ``expected_alternate`` as you read them:
    if someone changed them meanwhile, the change is refused with 409. Committee seats held by the
    outgoing representative pass to the new one."""
    organisation, memberships = found.organisation_represented_by(request.user, slug)
    membership = found.membership_to_represent(memberships, membership)
    # The representatives page's form, naming people by ``uuid``: someone who does not act for the
    # organisation, or the same person twice, is 422 with its messages.
    form = RepresentativesForm(
        data={
            "representative": _uuid_or_empty(payload.representative),
            "alternate": _uuid_or_empty(payload.alternate),
            "expected_representative": _expected_id(membership.representative, payload.expected_representative),
            "expected_alternate": _expected_id(membership.alternate, payload.expected_alternate),
        },
        membership=membership,
        people=found.people_who_may_represent(organisation),
        prefix=None,
    )
    for name in ("representative", "alternate"):
        form.fields[name].to_field_name = "uuid"
    valid(form)
    representative, alternate = form.cleaned_data["representative"], form.cleaned_data["alternate"]
    representatives_services.name_representatives(
        membership, by=request.user, representative=representative, alternate=alternate, expected=form.expected()
    )
    return _representation_out(
        membership, found.seats_of(membership), representative=representative, alternate=alternate
    )


@router.post(
    "/organisations/{slug}/representatives/{uuid:membership}/invitations",
    response={201: RepresentativeInvitationOut},
    summary="Invite someone by e-mail to be your organisation's representative or alternate",
)
def invite_representative(request: HttpRequest, slug: str, membership: UUID, payload: RepresentativeInvitationIn):
    """For someone who does not act for the organisation yet. ``seat``: ``representative`` or
    ``alternate``; ``role`` in the organisation (``viewer`` is enough to represent it);
    ``language`` of the invitation (``ar``, ``en`` or ``ms``: the invitee's). On accepting they act
    for the organisation and take the seat. Same rules as naming representatives."""
    _organisation, memberships = found.organisation_represented_by(request.user, slug)
    membership = found.membership_to_represent(memberships, membership)
    form = validated(RepresentativeInvitationForm, payload.dict(), membership=membership, prefix=None)
    invitation = people_services.invite_representative(
        membership, by=request.user, base_url=request.build_absolute_uri("/"), **form.cleaned_data
    )
    return Status(201, invitation)
