"""Writes behind the unit admins' pages: a network's units, their admins, members placed in them.

Same rhythm as every module of ``services/``: check the ``rules`` predicate and the input, change
inside a transaction (compare-and-set where two people may edit the same thing), write the audit entry.
Errors a user can cause are ``TansiqError``s carrying a translated message and the field at fault.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.network.models import (
    Network,
    NetworkMembership,
    Unit,
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
        audit.record(
            "update", by=by, obj=unit, changes={"fields": ["admins"], "admins": {"added": audit.actor_label(user)}}
        )
    return user


def remove_unit_admin(unit: Unit, *, by, user) -> None:
    require(by, "network.manage_unit", unit)
    with transaction.atomic():
        if not unit.admins.filter(pk=user.pk).exists():
            raise Conflict(_("This person is no longer an admin of the unit."))
        unit.admins.remove(user)
        audit.record(
            "update", by=by, obj=unit, changes={"fields": ["admins"], "admins": {"removed": audit.actor_label(user)}}
        )


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
