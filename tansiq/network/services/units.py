"""Writes behind the organisation admins' and unit admins' pages: contacts, representatives, units.

Same rhythm as ``services.py``: check the ``rules`` predicate and the input, change inside a
transaction (compare-and-set where two people may edit the same thing), write the audit entry.
Errors a user can cause are ``TansiqError``s carrying a translated message and the field at fault.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.permissions import require
from tansiq.network.models import (
    Committee,
    CommitteeSeat,
    Contact,
    Invitation,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Unit,
)
from tansiq.network.services import committees
from tansiq.network.services import people as services

# --- Contacts -----------------------------------------------------------------------------------

CONTACT_FIELDS = ("name", "role", "email", "phone", "visibility")
# Digits of any script (Arabic-Indic included), spaces and the usual separators; a leading +.
_PHONE = re.compile(r"^\+?[\d\s().\-/]{3,40}$")


def _clean_contact(values: dict) -> dict:
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise TansiqError(_("Unknown field."), field=sorted(unknown)[0])
    clean = {
        name: (value or "").strip() if isinstance(value, str) or value is None else value
        for name, value in values.items()
    }
    if "name" in clean and not clean["name"]:
        raise TansiqError(_("Give the contact's name."), field="name")
    if clean.get("email"):
        clean["email"] = clean["email"].lower()
        try:
            validate_email(clean["email"])
        except ValidationError:
            raise TansiqError(_("Enter a valid e-mail address."), field="email") from None
    if clean.get("phone") and not _PHONE.match(clean["phone"]):
        raise TansiqError(
            _("Enter a phone number with digits only, optionally starting with + (spaces and dashes are fine)."),
            field="phone",
        )
    if "visibility" in clean and clean["visibility"] not in Contact.Visibility.values:
        raise TansiqError(_("Choose who may see the contact."), field="visibility")
    for name in ("name", "role"):
        if len(clean.get(name, "")) > 200:
            raise TansiqError(_("This value is too long."), field=name)
    return clean


def add_contact(organisation: Organisation, *, by, **values) -> Contact:
    """An editor (or the secretariat, or the unit's admin) adds a contact to the organisation.

    A second submission of the same contact (same name and e-mail) is refused, not doubled.
    """
    require(by, "network.manage_contacts", organisation)
    values = {"role": "", "email": "", "phone": "", "visibility": Contact.Visibility.ADMINS, **values}
    clean = _clean_contact(values)
    if "name" not in clean:
        raise TansiqError(_("Give the contact's name."), field="name")
    with transaction.atomic():
        # The organisation's row serialises two submissions of the same form.
        Organisation.objects.select_for_update().only("pk").get(pk=organisation.pk)
        if organisation.contacts.filter(name__iexact=clean["name"], email__iexact=clean["email"]).exists():
            raise Conflict(_("This contact is already listed for the organisation."), field="name")
        contact = Contact.objects.create(organisation=organisation, **clean)
        # Field names only: a contact's details are personal data and the log outlives them.
        audit.record("create", by=by, obj=contact, changes={"organisation": organisation.slug, "fields": sorted(clean)})
    return contact


def update_contact(contact: Contact, *, by, version: int, **values) -> Contact:
    """Change a contact. An edit made on an older version (someone saved meanwhile) is refused."""
    require(by, "network.manage_contacts", contact.organisation)
    clean = _clean_contact(values)
    with transaction.atomic():
        try:
            current = Contact.objects.select_for_update().get(pk=contact.pk)
        except Contact.DoesNotExist:
            raise Conflict(_("This contact has been deleted meanwhile.")) from None
        if current.version != version:
            raise Conflict(
                _(
                    "Someone else saved this contact while you were editing it. "
                    "Reload the page to see their changes, then make yours again."
                )
            )
        changed = sorted(name for name, value in clean.items() if getattr(current, name) != value)
        if not changed:
            return current
        for name in changed:
            setattr(current, name, clean[name])
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db(fields=["version"])
        audit.record(
            "update", by=by, obj=current, changes={"organisation": current.organisation.slug, "fields": changed}
        )
    return current


def delete_contact(contact: Contact, *, by, version: int | None = None) -> None:
    """Remove a contact; with ``version``, only if nobody changed it since it was read."""
    require(by, "network.manage_contacts", contact.organisation)
    with transaction.atomic():
        current = Contact.objects.select_for_update().filter(pk=contact.pk).first()
        if current is None:
            raise Conflict(_("This contact has already been deleted."))
        if version is not None and current.version != version:
            raise Conflict(_("Someone else changed this contact meanwhile. Reload the page before deleting it."))
        audit.record("delete", by=by, obj=current, changes={"organisation": contact.organisation.slug})
        current.delete()


# --- Representatives ----------------------------------------------------------------------------

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


def invite_representative(
    membership: NetworkMembership, *, by, email: str, seat: str, role: str, language: str, base_url: str = ""
) -> Invitation:
    """Invite someone by e-mail to act for the organisation and, on accepting, take the seat
    (``seat``: "representative" or "alternate") in the network. Uses the people invitation."""
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
        invitation, _raw = services.invite_person(
            membership.organisation, by=by, email=email, role=role, language=language, base_url=base_url
        )
        invitation.represents = membership
        invitation.represents_as = seat
        invitation.save(update_fields=["represents", "represents_as"])
        audit.record("update", by=by, obj=membership, changes={"invited": seat, "invitation": str(invitation.uuid)})
    return invitation


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


# --- Units --------------------------------------------------------------------------------------

UNIT_NAME_FIELDS = ("name_ar", "name_en", "name_ms")


def _clean_names(names: dict) -> dict:
    clean = {field: (names.get(field) or "").strip() for field in UNIT_NAME_FIELDS}
    if not any(clean.values()):
        raise TansiqError(_("Give the unit's name in at least one language."), field="name_ar")
    for field, value in clean.items():
        if len(value) > 200:
            raise TansiqError(_("This value is too long."), field=field)
    return clean


def _check_kind(kind: str) -> None:
    if kind not in Unit.Kind.values:
        raise TansiqError(_("Choose the kind of unit."), field="kind")


def _free_slug(network: Network, names: dict) -> str:
    base = slugify(names["name_en"] or names["name_ms"])[:50] or "unit"
    taken = set(network.units.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _same_name_here(network: Network, parent: Unit | None, names: dict, *, exclude: int | None = None) -> bool:
    same = Q()
    for field, value in names.items():
        if value:
            same |= Q(**{f"{field}__iexact": value})
    return network.units.filter(same, parent=parent, archived_at=None).exclude(pk=exclude).exists()


def add_unit(network: Network, *, by, parent: Unit | None = None, kind: str, **names) -> Unit:
    """The secretariat adds a unit anywhere; a unit admin adds one inside its branch."""
    if parent is None:
        require(by, "network.add_top_unit", network)
    else:
        require(by, "network.add_subunit", parent)
        if parent.network_id != network.pk:
            raise TansiqError(_("Choose a unit of this network."), field="parent")
    _check_kind(kind)
    names = _clean_names(names)
    with transaction.atomic():
        # The network's row serialises additions: a double submission finds the first one.
        Network.objects.select_for_update().only("pk").get(pk=network.pk)
        if parent is not None and Unit.objects.filter(pk=parent.pk, archived_at=None).count() == 0:
            raise Conflict(_("This unit is archived: restore it before adding units to it."), field="parent")
        if _same_name_here(network, parent, names):
            raise Conflict(_("A unit with this name already exists at this place in the tree."), field="name_ar")
        unit = Unit.objects.create(network=network, parent=parent, kind=kind, slug=_free_slug(network, names), **names)
        audit.record(
            "create",
            by=by,
            obj=unit,
            changes={"network": network.slug, "parent": parent.slug if parent else "", "kind": kind},
        )
    return unit


def _locked(unit: Unit, version: int) -> Unit:
    current = Unit.objects.select_for_update().get(pk=unit.pk)
    if current.version != version:
        raise Conflict(
            _(
                "Someone else changed this unit while you were editing it. "
                "Reload the page to see their changes, then make yours again."
            )
        )
    return current


def _bump(unit: Unit, fields: list[str]) -> Unit:
    unit.version = F("version") + 1
    unit.save(update_fields=[*fields, "version"])
    unit.refresh_from_db(fields=["version"])
    return unit


def rename_unit(unit: Unit, *, by, version: int, kind: str, **names) -> Unit:
    """Change a unit's names (Arabic, English, Malay) and kind."""
    require(by, "network.manage_unit", unit)
    _check_kind(kind)
    names = _clean_names(names)
    with transaction.atomic():
        current = _locked(unit, version)
        if _same_name_here(current.network, current.parent, names, exclude=current.pk):
            raise Conflict(_("A unit with this name already exists at this place in the tree."), field="name_ar")
        wanted = {**names, "kind": kind}
        changed = sorted(field for field, value in wanted.items() if getattr(current, field) != value)
        if not changed:
            return current
        for field in changed:
            setattr(current, field, wanted[field])
        _bump(current, changed)
        audit.record("update", by=by, obj=current, changes={"fields": changed})
    return current


def subtree_ids(unit: Unit) -> set[int]:
    """The unit and every unit below it (one query for the network's units)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.filter(network=unit.network_id).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = set(), [unit.pk]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, ()))
    return found


def move_unit(unit: Unit, *, by, version: int, parent: Unit | None) -> Unit:
    """Put a unit (with its branch) under another unit of the network, or at the top."""
    require(by, "network.manage_unit", unit)
    if parent is None:
        require(by, "network.add_top_unit", unit.network)
    else:
        require(by, "network.add_subunit", parent)
        if parent.network_id != unit.network_id:
            raise TansiqError(_("Choose a unit of this network."), field="parent")
    with transaction.atomic():
        # Every unit of the network is locked: two moves at once cannot make a loop.
        list(Unit.objects.select_for_update().filter(network=unit.network_id).values_list("pk"))
        current = _locked(unit, version)
        if parent is not None:
            if parent.pk in subtree_ids(current):
                raise TansiqError(_("A unit cannot be placed inside itself or one of its own units."), field="parent")
            if Unit.objects.filter(pk=parent.pk).exclude(archived_at=None).exists():
                raise Conflict(_("This unit is archived: restore it before adding units to it."), field="parent")
        if current.parent_id == (parent.pk if parent else None):
            return current
        previous = current.parent
        current.parent = parent
        _bump(current, ["parent"])
        audit.record(
            "update",
            by=by,
            obj=current,
            changes={
                "fields": ["parent"],
                "parent": {"from": previous.slug if previous else "", "to": parent.slug if parent else ""},
            },
        )
    return current


def archive_unit(unit: Unit, *, by, version: int, reason: str = "") -> Unit:
    """Archive a unit that has no active subunit and no member organisation left in it."""
    require(by, "network.manage_unit", unit)
    with transaction.atomic():
        current = _locked(unit, version)
        if current.archived_at is not None:
            raise Conflict(_("This unit is already archived."))
        if current.children.filter(archived_at=None).exists():
            raise Conflict(_("Archive or move the units inside this one first."))
        if current.memberships.exists():
            raise Conflict(_("Place the organisations of this unit in another unit first."))
        current.archived_at = timezone.now()
        _bump(current, ["archived_at"])
        audit.record("update", by=by, obj=current, from_state="active", to_state="archived", reason=reason.strip())
    return current


def restore_unit(unit: Unit, *, by, version: int) -> Unit:
    require(by, "network.manage_unit", unit)
    with transaction.atomic():
        current = _locked(unit, version)
        if current.archived_at is None:
            raise Conflict(_("This unit is not archived."))
        if current.parent is not None and current.parent.archived_at is not None:
            raise Conflict(_("Restore the unit it belongs to first."))
        current.archived_at = None
        _bump(current, ["archived_at"])
        audit.record("update", by=by, obj=current, from_state="archived", to_state="active")
    return current


def add_unit_admin(unit: Unit, *, by, email: str):
    """Make the person with this e-mail address an admin of the unit (they need an account)."""
    require(by, "network.manage_unit", unit)
    email = (email or "").strip().lower()
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise TansiqError(
            _("Nobody has an account with this e-mail address. Ask them to create one, then add them."),
            field="email",
        )
    if unit.archived_at is not None:
        raise Conflict(_("This unit is archived: restore it first."))
    with transaction.atomic():
        if unit.admins.filter(pk=user.pk).exists():
            raise Conflict(_("This person is already an admin of the unit."), field="email")
        unit.admins.add(user)
        audit.record("update", by=by, obj=unit, changes={"fields": ["admins"], "admins": {"added": _label(user)}})
    return user


def remove_unit_admin(unit: Unit, *, by, user) -> None:
    require(by, "network.manage_unit", unit)
    with transaction.atomic():
        if not unit.admins.filter(pk=user.pk).exists():
            raise Conflict(_("This person is no longer an admin of the unit."))
        unit.admins.remove(user)
        audit.record("update", by=by, obj=unit, changes={"fields": ["admins"], "admins": {"removed": _label(user)}})


def place_member(membership: NetworkMembership, *, by, unit: Unit | None) -> NetworkMembership:
    """Put a member organisation in a unit of its network. A unit admin moves organisations of its
    branch between units of its branch; the secretariat places anyone anywhere (or in no unit)."""
    require(by, "network.move_member", membership)
    require(by, "network.place_members", unit)
    if unit is not None:
        if unit.network_id != membership.network_id:
            raise TansiqError(_("Choose a unit of this network."), field="unit")
        if unit.archived_at is not None:
            raise Conflict(_("This unit is archived: restore it first."), field="unit")
    with transaction.atomic():
        current = NetworkMembership.objects.select_for_update(of=("self",)).select_related("unit").get(pk=membership.pk)
        if current.unit_id == (unit.pk if unit else None):
            return current
        previous = current.unit
        current.unit = unit
        current.save(update_fields=["unit"])
        audit.record(
            "update",
            by=by,
            obj=current,
            changes={
                "fields": ["unit"],
                "unit": {"from": previous.slug if previous else "", "to": unit.slug if unit else ""},
            },
        )
    return current
