"""A network's units in the API: the units pages' rules, reads and services.

Mounted on the registry's router (``api/registry.py``), so the paths sit under ``/networks``. The
secretariat keeps the whole tree; a unit's admins keep the units below their own (``rules.py``).
As on the pages, a unit the user may not keep is not found (404); a change the user may not make
to a unit they see is refused by the service (403, the API's error shape).
"""

# No ``from __future__ import annotations``: ninja reads a paginated endpoint's annotations in the
# pagination module's namespace, where ``Literal`` (as a string) would mean nothing.
import datetime as dt
from typing import Literal
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tansiq.core.apitools import Pages, signed_in_or_visitor
from tansiq.core.errors import validated
from tansiq.network.api.representatives import PersonOut
from tansiq.network.forms.units import (
    MoveUnitForm,
    NewUnitForm,
    UnitAdminForm,
    UnitMembersFilterForm,
    UnitNamesForm,
    UnitVersionForm,
)
from tansiq.network.models import Network, Unit
from tansiq.network.queries import directory as queries
from tansiq.network.queries import units as found
from tansiq.network.services import units as manage

router = Router(tags=["network"])


class UnitOut(Schema):
    slug: str
    name: str
    name_ar: str
    name_en: str
    name_ms: str
    kind: str
    kind_label: str
    parent: str | None
    depth: int
    archived: bool
    members: int | None
    admins: list[str] | None
    may_change: bool
    may_add: bool


class UnitDetailOut(Schema):
    slug: str
    name: str
    name_ar: str
    name_en: str
    name_ms: str
    kind: str
    kind_label: str
    parent: str | None
    archived: bool
    archived_at: dt.datetime | None
    version: int
    admins: list[PersonOut]
    units: list[str]
    may_change: bool
    may_add: bool


class UnitIn(Schema):
    parent: str | None = None
    kind: str
    name_ar: str = ""
    name_en: str = ""
    name_ms: str = ""


class UnitPatch(Schema):
    version: int
    kind: str | None = None
    name_ar: str | None = None
    name_en: str | None = None
    name_ms: str | None = None


class UnitMoveIn(Schema):
    version: int
    parent: str | None


class UnitArchiveIn(Schema):
    version: int
    reason: str = ""


class UnitRestoreIn(Schema):
    version: int


class UnitAdminIn(Schema):
    email: str


class UnitMemberOut(Schema):
    membership: str
    organisation: str
    name: str
    country: str
    status: str
    status_label: str
    unit: str | None

    @staticmethod
    def resolve_membership(membership) -> str:
        return str(membership.uuid)

    @staticmethod
    def resolve_organisation(membership) -> str:
        return membership.organisation.slug

    @staticmethod
    def resolve_name(membership) -> str:
        return str(membership.organisation.name)

    @staticmethod
    def resolve_country(membership) -> str:
        return membership.organisation.country.code

    @staticmethod
    def resolve_status_label(membership) -> str:
        return str(membership.get_status_display())

    @staticmethod
    def resolve_unit(membership) -> str | None:
        return membership.unit.slug if membership.unit_id else None


def _row_out(node: found.UnitNode, slugs: dict[int, str], *, kept: bool) -> dict:
    unit = node.unit
    return {
        "slug": unit.slug,
        "name": node.name,
        "name_ar": unit.name_ar or "",
        "name_en": unit.name_en or "",
        "name_ms": unit.name_ms or "",
        "kind": unit.kind,
        "kind_label": node.kind,
        "parent": slugs.get(unit.parent_id),
        "depth": node.depth,
        "archived": unit.archived_at is not None,
        # What only the keepers of the tree see on the units page.
        "members": node.members if kept else None,
        "admins": node.admins if kept else None,
        "may_change": node.may_change,
        "may_add": node.may_add,
    }


def _unit_out(request: HttpRequest, unit: Unit, children: list[Unit] | None = None) -> dict:
    """One unit as its page shows it: its names, place, admins and the active units inside it."""
    if children is None:
        children = found.units_inside(unit)
    parent = unit.parent if unit.parent_id else None
    return {
        "slug": unit.slug,
        "name": str(unit.name),
        "name_ar": unit.name_ar or "",
        "name_en": unit.name_en or "",
        "name_ms": unit.name_ms or "",
        "kind": unit.kind,
        "kind_label": str(unit.get_kind_display()),
        "parent": parent.slug if parent else None,
        "archived": unit.archived_at is not None,
        "archived_at": unit.archived_at,
        "version": unit.version,
        "admins": list(unit.admins.all()),
        "units": [child.slug for child in children],
        "may_change": request.user.has_perm("network.manage_unit", unit),
        "may_add": request.user.has_perm("network.add_subunit_to_open_unit", unit),
    }


def _unit_action(request: HttpRequest, slug: str, unit_slug: str) -> tuple[Network, Unit]:
    """The network and a unit the user keeps (404 otherwise), as the unit pages' actions read them."""
    network = found.network_with_units_for(request.user, slug)
    return network, found.unit_for(request.user, network, unit_slug)


def _place(network: Network, slug: str) -> Unit | None:
    """The unit a valid form names as a place in the tree (``""``: the top level)."""
    return found.unit_of_network(network, slug) if slug else None


@router.get(
    "/networks/{slug}/units",
    response=list[UnitOut],
    auth=signed_in_or_visitor,
    summary="A network's units, as a tree",
)
@paginate(Pages, page_size=100)
def list_units(request: HttpRequest, slug: str, archived: bool = False):
    """Depth first: each unit after the one it belongs to (``parent``, ``depth``), siblings by name
    in the reader's language. The secretariat and unit admins get the whole tree (``archived=true``
    adds the archived units) with the admitted ``members`` and the ``admins`` of each unit, and
    ``may_change`` / ``may_add`` for what they may do there (``may_add``: they may add a unit
    inside it, move a unit under it or place an organisation in it). Anyone else, signed in or not,
    gets the active top-level units (as the network's home page lists them), without members or
    admins."""
    network = queries.network_for(request.user, slug)
    kept = request.user.is_authenticated and request.user.has_perm("network.see_units", network)
    nodes = found.unit_tree(request.user, network, archived=archived) if kept else found.top_units(network)
    slugs = {node.unit.pk: node.unit.slug for node in nodes}
    return [_row_out(node, slugs, kept=kept) for node in nodes]


@router.post("/networks/{slug}/units", response={201: UnitDetailOut}, summary="Add a unit")
def create_unit(request: HttpRequest, slug: str, payload: UnitIn):
    """``parent``: the slug of the unit it belongs to, or ``null`` for the top level (the secretariat
    only); a unit admin adds units inside its own unit and the units below it. ``kind``:
    ``country``, ``council``, ``international`` or ``other``; a name in at least one language."""
    network = found.network_with_units_for(request.user, slug)
    # The units page's form, offered every unit of the network: an unknown place or kind, or no
    # name, is 422 with its messages; a place the user may not add to stays the service's 403.
    form = validated(
        NewUnitForm, {**payload.dict(), "parent": payload.parent or ""}, places=found.unit_choices(network), top=True
    )
    unit = manage.add_unit(
        network,
        by=request.user,
        parent=_place(network, form.cleaned_data["parent"]),
        kind=form.cleaned_data["kind"],
        **form.names(),
    )
    return Status(201, _unit_out(request, unit, children=[]))


@router.get("/networks/{slug}/units/{unit}", response=UnitDetailOut, summary="One unit you keep")
def get_unit(request: HttpRequest, slug: str, unit: str):
    """With its ``version`` (send it back with a change), its admins and the active units inside it.
    The secretariat, and the admins of the unit or of a unit above it; anyone else gets 404."""
    found_unit, children = found.unit_page_for(request.user, slug, unit)
    return _unit_out(request, found_unit, children)


@router.patch("/networks/{slug}/units/{unit}", response=UnitDetailOut, summary="Rename a unit or change its kind")
def update_unit(request: HttpRequest, slug: str, unit: str, payload: UnitPatch):
    """Send the ``version`` you read (409 if the unit changed since) and what changes: a name left
    out (or ``null``) stays as it is, ``""`` removes it (one name must remain). The secretariat, and
    the admins of a unit above this one (not of this unit itself: 403)."""
    _network, current = _unit_action(request, slug, unit)
    values = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    version = values.pop("version")
    wanted = {name: getattr(current, name) or "" for name in ("kind", *manage.UNIT_NAME_FIELDS)}
    wanted.update(values)
    form = validated(UnitNamesForm, wanted)  # the unit page's form: 422 with its messages
    changed = manage.rename_unit(
        current, by=request.user, version=version, kind=form.cleaned_data["kind"], **form.names()
    )
    return _unit_out(request, changed)


@router.post("/networks/{slug}/units/{unit}/move", response=UnitDetailOut, summary="Move a unit with its branch")
def move_unit(request: HttpRequest, slug: str, unit: str, payload: UnitMoveIn):
    """``parent``: the slug of the unit to put it under (one the list marks ``may_add``), or
    ``null`` for the top level (the secretariat only). Not inside itself or its own units (422);
    send the ``version`` you read (409 if it changed since)."""
    network, current = _unit_action(request, slug, unit)
    form = validated(
        MoveUnitForm,
        {"parent": payload.parent or "", "version": payload.version},
        unit=current,
        places=found.unit_choices(network, moving=current),
        top=True,
    )
    moved = manage.move_unit(
        current, by=request.user, version=payload.version, parent=_place(network, form.cleaned_data["parent"])
    )
    return _unit_out(request, moved)


@router.post("/networks/{slug}/units/{unit}/archive", response=UnitDetailOut, summary="Archive a unit")
def archive_unit(request: HttpRequest, slug: str, unit: str, payload: UnitArchiveIn):
    """Once no active unit and no organisation is left in it (409 otherwise), with a ``reason`` for
    the audit log. Its admins no longer act for it."""
    _network, current = _unit_action(request, slug, unit)
    form = validated(UnitVersionForm, payload.dict())
    archived = manage.archive_unit(
        current, by=request.user, version=payload.version, reason=form.cleaned_data["reason"]
    )
    return _unit_out(request, archived)


@router.post("/networks/{slug}/units/{unit}/restore", response=UnitDetailOut, summary="Restore an archived unit")
def restore_unit(request: HttpRequest, slug: str, unit: str, payload: UnitRestoreIn):
    """The unit it belongs to must be active (409 otherwise)."""
    _network, current = _unit_action(request, slug, unit)
    validated(UnitVersionForm, payload.dict())
    return _unit_out(request, manage.restore_unit(current, by=request.user, version=payload.version))


@router.post("/networks/{slug}/units/{unit}/admins", response={201: PersonOut}, summary="Add an admin to a unit")
def add_unit_admin(request: HttpRequest, slug: str, unit: str, payload: UnitAdminIn):
    """By the e-mail address of their account (they create it first). The secretariat, and the
    admins of a unit above this one."""
    _network, current = _unit_action(request, slug, unit)
    form = validated(UnitAdminForm, payload.dict())
    return Status(201, manage.add_unit_admin(current, by=request.user, email=form.cleaned_data["email"]))


@router.delete(
    "/networks/{slug}/units/{unit}/admins/{uuid:person}", response={204: None}, summary="Remove an admin of a unit"
)
def remove_unit_admin(request: HttpRequest, slug: str, unit: str, person: UUID):
    """``person``: the admin's ``uuid`` as the unit lists it."""
    _network, current = _unit_action(request, slug, unit)
    manage.remove_unit_admin(current, by=request.user, user=found.admin_of(current, person))
    return Status(204, None)


@router.get(
    "/networks/{slug}/units/{unit}/members",
    response=list[UnitMemberOut],
    summary="The organisations in a unit, or those you may place in it",
)
@paginate(Pages, page_size=50)
def list_unit_members(
    request: HttpRequest,
    slug: str,
    unit: str,
    where: Literal["here", "elsewhere"] = "here",
    q: str = Query("", max_length=100),
):
    """``where=here``: the network's organisations in the unit, whatever their status.
    ``where=elsewhere``: the members (admitted or suspended) elsewhere in the network that you may
    place in it (for a unit admin, those of its branch). ``q`` filters by name or acronym."""
    found_unit, _children = found.unit_page_for(request.user, slug, unit)
    members = found.members_for_unit(request.user, found_unit, here=where == "here")
    if q.strip():
        # The page's filter, given values already checked above (so the form is valid).
        form = UnitMembersFilterForm({"q": q, "where": where})
        form.full_clean()
        members = form.apply(members)
    return members.order_by("organisation__name", "pk")


@router.put(
    "/networks/{slug}/units/{unit}/members/{uuid:membership}",
    response=UnitMemberOut,
    summary="Place a member organisation in a unit",
)
def place_member(request: HttpRequest, slug: str, unit: str, membership: UUID):
    """``membership``: as ``…/members?where=elsewhere`` lists it. The secretariat places any member in
    any unit; a unit admin moves the organisations of its branch between the units of its branch.
    Placing it where it already is changes nothing."""
    _network, current = _unit_action(request, slug, unit)
    found_membership = found.membership_in_network(current, membership)
    if not request.user.has_perm("network.move_member", found_membership):
        raise Http404
    placed = manage.place_member(found_membership, by=request.user, unit=current)
    placed.organisation = found_membership.organisation
    return placed
