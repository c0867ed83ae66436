"""Who may do what in the registry. Pages, API and back office all ask these predicates.

The platform secretariat acts for every network; a unit's admins act only on the member
organisations of their unit and the units below it; an organisation's people act according to
their role (owner > admin > editor > viewer).
"""

from __future__ import annotations

import rules
from django.core.cache import cache

from tansiq.core.rules import is_secretariat
from tansiq.network import caching
from tansiq.network.models import Application, Membership, NetworkMembership, Organisation, Unit

MANAGERS = ("owner", "admin")
EDITORS = ("owner", "admin", "editor")
ANYONE = ("owner", "admin", "editor", "viewer")


def allowed(user, permission: str, obj=None) -> bool:
    """``has_perm`` for someone who may be a visitor: a visitor is allowed nothing here."""
    return bool(getattr(user, "is_authenticated", False)) and rules.has_perm(permission, user, obj)


def organisation_of(obj):
    """The organisation an object belongs to (an organisation is its own)."""

    if obj is None or isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


def roles_of(user, organisation) -> set[str]:
    """The user's roles for ``organisation``, looked up once per user and request."""
    if organisation is None or not getattr(user, "is_authenticated", False):
        return set()
    # getattr/setattr reach through request.user's lazy wrapper, so the cache is shared per request.
    cache = getattr(user, "_tansiq_org_roles", None)
    if cache is None:
        cache = {}
        user._tansiq_org_roles = cache
    if organisation.pk not in cache:
        cache[organisation.pk] = set(
            Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True)
        )
    return cache[organisation.pk]


def administered_unit_ids(user) -> frozenset[int]:
    """Units the user administers, with every unit below them; cached, and kept for the request.

    Cached answers carry the version they were found under, so one cache read settles it: the
    version, the ids of everyone who administers a unit (most people do not: their answer is then
    known without a query of their own) and, for those who do, their units.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if getattr(user, "_tansiq_unit_ids", None) is None:
        key = caching.units_key(user)
        found = cache.get_many([caching.UNITS_VERSION_KEY, caching.UNIT_ADMINS_KEY, key])
        version = caching.units_version(found)
        admins = found.get(caching.UNIT_ADMINS_KEY)
        if admins is None or admins[0] != version:
            ids = Unit.admins.through.objects.filter(unit__archived_at=None).values_list("user_id", flat=True)
            admins = (version, frozenset(ids))
            cache.set(caching.UNIT_ADMINS_KEY, admins, caching.VERSIONED_SECONDS)
        kept = found.get(key)
        if user.pk not in admins[1]:
            user._tansiq_unit_ids = frozenset()
        elif kept is not None and kept[0] == version:
            user._tansiq_unit_ids = kept[1]
        else:
            user._tansiq_unit_ids = _units_below(user)
            cache.set(key, (version, user._tansiq_unit_ids), caching.VERSIONED_SECONDS)
    return user._tansiq_unit_ids


def _units_below(user) -> frozenset[int]:

    # An archived unit gives its admins no power (archiving needs its subunits archived first).
    rows = list(
        Unit.objects.filter(network__units__admins=user, archived_at=None)
        .distinct()
        .values_list("pk", "parent_id", "admins")
    )
    own = {pk for pk, _parent, admin in rows if admin == user.pk}
    children: dict[int, set[int]] = {}
    for pk, parent, _admin in rows:
        children.setdefault(parent, set()).add(pk)
    found, stack = set(), list(own)
    while stack:
        unit = stack.pop()
        if unit not in found:
            found.add(unit)
            stack.extend(children.get(unit, ()))
    return frozenset(found)


def remember_role(user, organisation, role: str | None) -> None:
    """Seed the per-request role cache from a query that already fetched the user's role."""
    cache = getattr(user, "_tansiq_org_roles", None)
    if cache is None:
        cache = {}
        user._tansiq_org_roles = cache
    cache[organisation.pk] = {role} if role else set()


def _has_role(*wanted: str):
    @rules.predicate(name=f"has_organisation_role_{'_'.join(wanted)}")
    def predicate(user, obj) -> bool:
        return bool(roles_of(user, organisation_of(obj)) & set(wanted))

    return predicate


is_organisation_manager = _has_role(*MANAGERS)
is_organisation_editor = _has_role(*EDITORS)


@rules.predicate
def is_open_unit(user, unit) -> bool:
    """The unit is not archived (object: the Unit)."""
    return unit is not None and unit.archived_at is None


@rules.predicate
def is_pending(user, reference) -> bool:
    """The reference waits for its answer (object: the Reference)."""
    return reference is not None and reference.state == reference.State.PENDING


@rules.predicate
def is_draft(user, application) -> bool:
    """The application is still the applicant's draft (object: the Application)."""
    return application is not None and application.state == Application.State.DRAFT


is_organisation_person = _has_role(*ANYONE)
is_organisation_owner = _has_role("owner")


@rules.predicate
def is_unit_admin_for(user, obj) -> bool:
    """The user administers the unit (or a unit above it) of one of the organisation's memberships.

    For a network membership, only that membership's unit counts: a unit admin acts in its branch.
    """

    units = administered_unit_ids(user)
    if not units or obj is None:
        return False
    if isinstance(obj, NetworkMembership):
        return obj.unit_id in units
    organisation = organisation_of(obj)
    if organisation is None:
        return False
    return organisation.network_memberships.filter(unit_id__in=units).exists()


@rules.predicate
def is_represented_member(user, obj) -> bool:
    """The organisation is (or the membership is) admitted or suspended in a network: it has
    representatives to name. A newly registered organisation has none yet."""
    if isinstance(obj, NetworkMembership):
        return obj.status in NetworkMembership.REPRESENTED_STATUSES
    organisation = organisation_of(obj)
    return organisation is not None and (
        organisation.network_memberships.filter(status__in=NetworkMembership.REPRESENTED_STATUSES).exists()
    )


@rules.predicate
def is_unit_admin(user) -> bool:
    return bool(administered_unit_ids(user))


@rules.predicate
def is_unit_admin_in(user, network) -> bool:
    """The user administers a unit of this network (the object: a Network); a unit admin of one
    network is nobody in another."""
    units = administered_unit_ids(user)
    if not units or network is None:
        return False
    from tansiq.network.models import Unit

    return Unit.objects.filter(network=network, pk__in=units).exists()


@rules.predicate
def is_committee_chair(user, committee) -> bool:
    return committee is not None and user.pk in (committee.chair_id, committee.vice_chair_id)


@rules.predicate
def administers_unit(user, unit) -> bool:
    """The unit is in the user's branch: one they administer, or one below it."""
    return unit is not None and unit.pk in administered_unit_ids(user)


@rules.predicate
def administers_above_unit(user, unit) -> bool:
    """The user administers a unit above this one: they may rename, move or archive it.

    A unit admin does not reshape its own unit (its place in the tree is the secretariat's choice).
    """
    return unit is not None and unit.parent_id is not None and unit.parent_id in administered_unit_ids(user)


staff = is_secretariat | is_unit_admin_for

rules.add_perm("network.view_private_details", rules.is_authenticated & (is_organisation_person | staff))
rules.add_perm("network.change_organisation_profile", rules.is_authenticated & (is_organisation_editor | staff))
rules.add_perm("network.manage_people", rules.is_authenticated & (is_organisation_manager | staff))
# Making someone an owner, or changing what an owner may do, is for owners and the secretariat.
rules.add_perm("network.manage_owners", rules.is_authenticated & (is_organisation_owner | staff))
# Anyone signed in may register an organisation (and becomes its owner); the secretariat may register
# one for someone else and invite its owner by e-mail.
rules.add_perm("network.register_organisation", rules.is_authenticated)
rules.add_perm("network.register_organisation_for_others", rules.is_authenticated & is_secretariat)
rules.add_perm("network.view_all_statuses", rules.is_authenticated & (is_secretariat | is_unit_admin))

rules.add_perm("network.suspend_membership", rules.is_authenticated & staff)
rules.add_perm("network.reinstate_membership", rules.is_authenticated & staff)
rules.add_perm("network.expel_membership", rules.is_authenticated & staff)
# A member organisation may leave on its owners' word.
rules.add_perm("network.withdraw_membership", rules.is_authenticated & (is_organisation_owner | staff))

rules.add_perm("network.manage_committee", rules.is_authenticated & (is_secretariat | is_committee_chair))

# Contacts: whoever may edit the profile keeps its contacts (editors, the secretariat, the unit's admins).
rules.add_perm("network.manage_contacts", rules.is_authenticated & (is_organisation_editor | staff))
# A member's representative and alternate in a network (object: the NetworkMembership) are named by
# the member's owners and admins; the secretariat and the admins of the membership's unit may too.
rules.add_perm("network.name_representatives", rules.is_authenticated & (is_organisation_manager | staff))
# What the management tabs offer: the representatives page of a member that has some to name.
rules.add_perm(
    "network.name_representatives_of_member",
    rules.is_authenticated & (is_organisation_manager | staff) & is_represented_member,
)
# Units: the secretariat keeps the whole tree; a unit admin keeps its branch. Object: the Network for
# "see_units" and top-level units, the parent Unit for "add_subunit", the Unit itself otherwise.
rules.add_perm("network.see_units", rules.is_authenticated & (is_secretariat | is_unit_admin_in))
rules.add_perm("network.add_top_unit", rules.is_authenticated & is_secretariat)
rules.add_perm("network.add_subunit", rules.is_authenticated & (is_secretariat | administers_unit))
# What the units pages and API offer: a subunit of a unit that is not archived. The service asks
# "add_subunit" and answers an archived parent with a Conflict (checked under the network's lock).
rules.add_perm(
    "network.add_subunit_to_open_unit", rules.is_authenticated & (is_secretariat | administers_unit) & is_open_unit
)
rules.add_perm("network.manage_unit", rules.is_authenticated & (is_secretariat | administers_above_unit))
rules.add_perm("network.place_members", rules.is_authenticated & (is_secretariat | administers_unit))
# Moving a member between units (object: the NetworkMembership): its unit must be in the user's branch.
rules.add_perm("network.move_member", rules.is_authenticated & staff)

# Admission (statute): the applicant's owners and admins apply, submit and may withdraw; a referee
# organisation's owners and admins answer the reference addressed to it; the secretariat takes every
# step after "submitted" (the council's and the assembly's decisions are recorded by it).
rules.add_perm("network.apply_for_membership", rules.is_authenticated & is_organisation_manager)
rules.add_perm("network.see_application", rules.is_authenticated & (is_organisation_person | is_secretariat))
rules.add_perm("network.edit_application", rules.is_authenticated & is_organisation_manager)
rules.add_perm("network.submit_application", rules.is_authenticated & is_organisation_manager)
rules.add_perm("network.withdraw_application", rules.is_authenticated & (is_organisation_manager | is_secretariat))
rules.add_perm("network.review_application", rules.is_authenticated & is_secretariat)
rules.add_perm("network.view_application_queue", rules.is_authenticated & is_secretariat)
rules.add_perm("network.answer_reference", rules.is_authenticated & is_organisation_manager)
rules.add_perm("network.answer_pending_reference", rules.is_authenticated & is_organisation_manager & is_pending)
rules.add_perm("network.see_reference", rules.is_authenticated & (is_organisation_person | is_secretariat))
# After a decline the applicant names another referee: the statute leaves the choice to the applicant,
# so its owners and admins do it, not the secretariat. Editors may prepare the documents of a draft.
rules.add_perm("network.replace_referee", rules.is_authenticated & is_organisation_manager)
rules.add_perm("network.upload_application_document", rules.is_authenticated & is_organisation_editor)
# What a page offers includes the state: one question, "may I change this draft now?". The services
# ask the rules above and answer an application that is no longer a draft with a Conflict (checked
# under the row lock, so a change made meanwhile is caught too): to the API that is a 409, a fact
# the user can act on, not a 403.
rules.add_perm("network.edit_draft", rules.is_authenticated & is_organisation_manager & is_draft)
rules.add_perm("network.upload_draft_document", rules.is_authenticated & is_organisation_editor & is_draft)

# The back office: the secretariat keeps the registry.
for model in (
    "network",
    "unit",
    "focusarea",
    "organisation",
    "contact",
    "networkmembership",
    "membership",
    "invitation",
    "committee",
    "committeeseat",
    "application",
    "reference",
):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"network.{action}_{model}", is_secretariat)
