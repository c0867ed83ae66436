"""Reads behind the units pages, scoped to the user.

Each helper returns the object or raises 404 when the user may not manage it: a page never
reveals that a unit exists to someone who may not act on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from tansiq.core.rules import is_secretariat
from tansiq.network.models import Network, NetworkMembership, Unit
from tansiq.network.queries import directory as queries
from tansiq.network.rules import administered_unit_ids, allowed

# --- Units --------------------------------------------------------------------------------------


@dataclass
class UnitRow:
    """What the tree shows of a unit, read as plain values: a couple of hundred model instances
    (each through modeltranslation's constructor) cost more than the query that reads them."""

    pk: int
    parent_id: int | None
    slug: str
    kind: str
    archived_at: object
    name_ar: str
    name_en: str
    name_ms: str
    name: str

    FIELDS = ("pk", "parent_id", "slug", "kind", "archived_at", "name_ar", "name_en", "name_ms", "name")

    def translated_name(self) -> str:
        # modeltranslation's own descriptor: the reader's language, then the configured fallbacks.
        return Unit.__dict__["name"].__get__(self, Unit)


@dataclass
class UnitNode:
    unit: UnitRow
    depth: int
    members: int
    name: str = ""
    kind: str = ""  # the kind's label in the reader's language
    children: list[UnitNode] = field(default_factory=list)
    admins: list[str] = field(default_factory=list)  # their names, as the page shows them
    # What the viewer may do here, computed without further queries.
    may_change: bool = False
    may_add: bool = False
    may_place: bool = False

    @property
    def indent(self) -> int:
        # Bootstrap's padding steps (ps-0 … ps-5), logical so the tree reads right-to-left in Arabic.
        return min(self.depth * 2, 5)


def network_with_units_for(user, slug: str) -> Network:
    network = queries.network_for(user, slug)
    if not allowed(user, "network.see_units", network):
        raise Http404
    return network


def default_units_network(user) -> str | None:
    """The network whose units page the header links to: the unit admin's own, else the first."""
    units = administered_unit_ids(user)
    if units and not is_secretariat(user):
        return Unit.objects.filter(pk__in=units).values_list("network__slug", flat=True).first()
    return queries.default_network_slug()


def unit_tree(user, network: Network, *, archived: bool = False) -> list[UnitNode]:
    """The network's units depth-first (archived ones only when asked), with their member counts.

    Two queries whatever the size of the tree: the units with counts, and the names of their admins
    (read as plain values: a tree of two hundred units is drawn on every visit).
    """
    units = network.units.annotate(
        members=Count("memberships", filter=Q(memberships__status=NetworkMembership.Status.ADMITTED))
    )
    if not archived:
        units = units.filter(archived_at=None)
    units = units.values_list(*UnitRow.FIELDS, "members")
    secretariat = is_secretariat(user)
    # The secretariat may do everything everywhere: its branch need not be looked up.
    branch = frozenset() if secretariat else administered_unit_ids(user)
    kinds = {value: str(label) for value, label in Unit.Kind.choices}
    nodes = {}
    for *values, members in units:
        unit = UnitRow(*values)
        nodes[unit.pk] = UnitNode(
            unit=unit, depth=0, members=members, name=str(unit.translated_name()), kind=kinds.get(unit.kind, "")
        )
    admins = (
        Unit.admins.through.objects.filter(unit__network=network)
        .values_list("unit_id", "user__display_name", "user__email")
        .order_by("user__display_name", "user__email", "user_id")
    )
    for unit_id, name, email in admins:
        if unit_id in nodes:
            nodes[unit_id].admins.append(name or email)
    roots: list[UnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id)
        (parent.children if parent else roots).append(node)
        active = node.unit.archived_at is None
        node.may_change = secretariat or node.unit.parent_id in branch
        node.may_add = active and (secretariat or node.unit.pk in branch)
        node.may_place = node.may_add
    ordered: list[UnitNode] = []

    def walk(level: list[UnitNode], depth: int) -> None:
        for node in sorted(level, key=lambda item: (item.name.casefold(), item.unit.pk)):
            node.depth = depth
            ordered.append(node)
            walk(node.children, depth + 1)

    walk(roots, 0)
    return ordered


def top_units(network: Network) -> list[UnitNode]:
    """The network's active top-level units, as its home page lists them to anyone (names and
    kinds only: member counts, admins and archived units are for those who keep the tree)."""
    kinds = {value: str(label) for value, label in Unit.Kind.choices}
    nodes = []
    for values in network.units.filter(parent=None, archived_at=None).values_list(*UnitRow.FIELDS):
        unit = UnitRow(*values)
        nodes.append(
            UnitNode(unit=unit, depth=0, members=0, name=str(unit.translated_name()), kind=kinds.get(unit.kind, ""))
        )
    return sorted(nodes, key=lambda node: (node.name.casefold(), node.unit.pk))


def unit_of_network(network: Network, slug: str) -> Unit | None:
    """A unit of the network by its slug (a place named in a form or a request), or ``None``."""
    return network.units.filter(slug=slug).first()


def units_inside(unit: Unit) -> list[Unit]:
    """The unit's active units, by name in the reader's language (as its page lists them)."""
    return sorted(unit.children.filter(archived_at=None), key=lambda child: (str(child.name).casefold(), child.pk))


def unit_for(user, network: Network, slug: str) -> Unit:
    """A unit of the network in the user's branch (any unit, for the secretariat); or 404.

    Its page lists the unit's admins and every member in it, applicants included: only for those
    who manage it.
    """
    try:
        unit = network.units.select_related("parent", "network").prefetch_related("admins").get(slug=slug)
    except Unit.DoesNotExist:
        raise Http404 from None
    if not _may_see_unit(user, unit):
        raise Http404
    return unit


def _may_see_unit(user, unit: Unit) -> bool:
    return allowed(user, "network.see_units", unit.network) and (
        is_secretariat(user) or unit.pk in administered_unit_ids(user)
    )


def unit_page_for(user, network_slug: str, slug: str) -> tuple[Unit, list[Unit]]:
    """The unit (with its network, parent and admins) and its active units, as ``unit_for`` decides.

    The unit and the units inside it come in one query (the page's budget is ten in all).
    """
    rows = list(
        Unit.objects.filter(network__slug=network_slug)
        .filter(Q(slug=slug) | Q(parent__slug=slug, archived_at=None))
        .select_related("parent", "network")
    )
    unit = next((row for row in rows if row.slug == slug), None)
    if unit is None or not _may_see_unit(user, unit):
        raise Http404
    prefetch_related_objects([unit], "admins")
    children = sorted(
        (row for row in rows if row.parent_id == unit.pk), key=lambda child: (str(child.name).casefold(), child.pk)
    )
    return unit, children


def units_to_place_under(
    user, network: Network, *, moving: Unit | None = None, nodes: list[UnitNode] | None = None
) -> list[tuple[str, str]]:
    """(slug, indented name) of active units the user may put a unit (or an organisation) under.

    ``nodes``: the tree already read for the page (``unit_tree``), so it is not read twice.
    """
    nodes = nodes if nodes is not None else unit_tree(user, network)
    excluded: set[int] = set()
    if moving is not None:
        # The unit and its branch, from the tree already read (active units hang under active ones:
        # a unit is archived only once the units inside it are).
        excluded.add(moving.pk)
        stack = [node for node in nodes if node.unit.pk == moving.pk]
        while stack:
            node = stack.pop()
            excluded.add(node.unit.pk)
            stack.extend(node.children)
    return [
        (node.unit.slug, "— " * node.depth + node.name)
        for node in nodes
        if node.may_add and node.unit.pk not in excluded and node.unit.archived_at is None
    ]


def unit_choices(network: Network, *, moving: Unit | None = None) -> list[tuple[str, str]]:
    """(slug, name) of every unit of the network, archived ones too, but not ``moving`` nor the
    units inside it: what an API client may name as a place in the tree.

    The API's forms check only that the value names a place at all (422 otherwise); whether the user
    may put something there (403) and whether the place is open (409) stay the service's answers.
    """
    rows = list(network.units.values_list("pk", "parent_id", "slug", "name"))
    excluded: set[int] = set()
    if moving is not None:
        children: dict[int | None, list[int]] = {}
        for pk, parent_id, _slug, _name in rows:
            children.setdefault(parent_id, []).append(pk)
        stack = [moving.pk]
        while stack:
            pk = stack.pop()
            excluded.add(pk)
            stack.extend(children.get(pk, ()))
    return [(slug, name) for pk, _parent_id, slug, name in rows if pk not in excluded]


def members_for_unit(user, unit: Unit, *, here: bool) -> QuerySet[NetworkMembership]:
    """Members in the unit (``here``), or members elsewhere in the network the user may place in it."""
    memberships = NetworkMembership.objects.filter(network=unit.network_id).select_related("organisation", "unit")
    if here:
        return memberships.filter(unit=unit)
    memberships = memberships.exclude(unit=unit).filter(
        status__in=[NetworkMembership.Status.ADMITTED, NetworkMembership.Status.SUSPENDED]
    )
    if is_secretariat(user):
        return memberships
    return memberships.filter(unit_id__in=administered_unit_ids(user))


def membership_in_network(unit: Unit, uuid) -> NetworkMembership:
    try:
        return NetworkMembership.objects.select_related("organisation", "unit").get(network=unit.network_id, uuid=uuid)
    except (NetworkMembership.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def admin_of(unit: Unit, uuid):
    for user in unit.admins.all():
        if str(user.uuid) == str(uuid):
            return user
    raise Http404
