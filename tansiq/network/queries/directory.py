"""Reads of the registry, already limited to what the user may see.

Visitors and people outside an organisation see admitted members only, their public fields and
their public contacts. Applicants and former members are visible to the secretariat, to the
admins of their unit, and to their own people.
"""

from __future__ import annotations

import json
import threading
import time
from array import array
from collections import OrderedDict
from dataclasses import dataclass

import rules
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone, translation

from tansiq.core.countries import country_choices
from tansiq.core.rules import is_secretariat
from tansiq.core.search.parsing import parse
from tansiq.core.search.services import VERSION_KEY, index_changed
from tansiq.core.workflow import allowed_targets
from tansiq.network import caching, search
from tansiq.network.models import (
    Committee,
    CommitteeSeat,
    Contact,
    FocusArea,
    Invitation,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
)
from tansiq.network.rules import administered_unit_ids, remember_role
from tansiq.network.search import Matches


def default_network_slug() -> str | None:
    """The slug of the first network (the one the header links to); cached."""
    slug = cache.get(caching.DEFAULT_NETWORK_KEY)
    if slug is None:
        slug = Network.objects.values_list("slug", flat=True).first() or ""
        cache.set(caching.DEFAULT_NETWORK_KEY, slug, caching.KEPT_UNTIL_CHANGED)
    return slug or None


def own_organisation_ids(user):
    return Membership.objects.filter(user=user).values("organisation_id")


def sees_everything(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and is_secretariat(user))


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Organisations the user may see: admitted members for everyone, more for their own people and staff."""
    organisations = Organisation.objects.all()
    if sees_everything(user):
        return organisations
    visible = Q(Exists(NetworkMembership.objects.admitted().filter(organisation=OuterRef("pk"))))
    if getattr(user, "is_authenticated", False):
        visible |= Q(pk__in=own_organisation_ids(user))
        units = administered_unit_ids(user)
        if units:
            visible |= Q(Exists(NetworkMembership.objects.filter(organisation=OuterRef("pk"), unit_id__in=units)))
    return organisations.filter(visible)


def directory_for(user, network: Network) -> QuerySet[NetworkMembership]:
    """The network's members as the user may list them (one row per organisation)."""
    memberships = NetworkMembership.objects.filter(network=network).select_related("organisation")
    if sees_everything(user):
        return memberships
    visible = Q(status=NetworkMembership.Status.ADMITTED)
    units = administered_unit_ids(user)
    if units:
        visible |= Q(unit_id__in=units)
    return memberships.filter(visible)


@dataclass(frozen=True)
class DirectoryFilters:
    """What a reader narrows the members list by (the directory's filter bar, the API's parameters)."""

    q: str = ""
    country: str = ""
    type: str = ""
    focus: str = ""
    committee: str = ""  # a committee's slug
    category: str = ""
    status: str = ""  # only for those who may see every status


SEARCH_SECONDS = 60
SEARCHES_KEPT = 200
# What visitors' searches found, in this process: {key: ((index, registry versions), expiry, ids, more)};
# the ids as 8-byte integers (at most 80 kB an answer).
_searches: OrderedDict[str, tuple] = OrderedDict()
_searches_lock = threading.Lock()


def _visitor_matches(network: Network, filters: DirectoryFilters, organisations: QuerySet[Organisation]) -> Matches:
    """What a visitor's directory search finds, kept for a minute and shared by every visitor.

    A page of a broad search otherwise ranks its thousand matches again, and people page through
    the same search. The answer is good while the index (``core.search.services.index_version``)
    and the registry (``caching.forget_directory_searches``) are as they were when it was found: both
    versions are read from the shared cache in one read, before searching, and compared with the
    ones the answer was found under. The answers themselves stay in the process (a few hundred,
    least recently used first out): storing them in the database cache would cost five queries
    on each miss. Signed-in readers may see more than visitors and are not cached. The page's rows
    are read live in any case, with the reader's visibility (``MemberList.rows``).
    """

    parsed = parse(filters.q)
    if parsed.is_empty:
        return search.Matches(query=parsed)
    wanted = [network.pk, filters.q.strip(), filters.country, filters.type, filters.focus, filters.committee]
    key = json.dumps([*wanted, filters.category, search.WINDOW], ensure_ascii=False)
    found = cache.get_many([VERSION_KEY, caching.REGISTRY_VERSION_KEY])
    versions = (
        found.get(VERSION_KEY) or index_changed(),
        caching.registry_version(found),
    )
    now = time.monotonic()
    with _searches_lock:
        kept = _searches.get(key)
        if kept is not None and kept[0] == versions and kept[1] > now:
            _searches.move_to_end(key)
            return search.Matches(query=parsed, ids=list(kept[2]), more=kept[3])
    matches = search.matching_organisations(filters.q, user=None, country=filters.country, within=organisations)
    with _searches_lock:
        _searches[key] = (versions, now + SEARCH_SECONDS, array("q", matches.ids), matches.more)
        _searches.move_to_end(key)
        while len(_searches) > SEARCHES_KEPT:
            _searches.popitem(last=False)
    return matches


def members_of(user, network: Network, filters: DirectoryFilters, *, see_all_statuses: bool = False):
    """The network's memberships the user may see, narrowed by the filters that are the
    membership's own (category, and status for those who may see every status)."""
    memberships = directory_for(user, network)
    if filters.category:
        memberships = memberships.filter(category=filters.category)
    if see_all_statuses and filters.status:
        memberships = memberships.filter(status=filters.status)
    return memberships


def narrowed(organisations: QuerySet[Organisation], filters: DirectoryFilters, *, network: Network | None):
    """Organisations narrowed by the directory's filters that are the organisation's own (country,
    type, focus area, a seat on one of ``network``'s committees). The directory's page, its exports
    and ``GET /api/v1/organisations`` all narrow through here, with filters validated by the same
    form (``forms.registry.DirectoryFilterForm``). Each filter is an EXISTS, so no row repeats."""
    if filters.country:
        organisations = organisations.filter(country=filters.country)
    if filters.type:
        organisations = organisations.filter(type=filters.type)
    if filters.focus:
        focus = Organisation.focus_areas.through.objects.filter(
            organisation_id=OuterRef("pk"), focusarea__slug=filters.focus
        )
        organisations = organisations.filter(Exists(focus))
    if filters.committee:
        if network is None:
            return organisations.none()
        seats = CommitteeSeat.objects.filter(
            organisation=OuterRef("pk"), committee__network=network, committee__slug=filters.committee
        )
        organisations = organisations.filter(Exists(seats))
    return organisations


class MemberList:
    """A network's members as one reader may list them: filtered, found by a search, paged, exported.

    Without a search the list is in name order; with one, in the order of relevance the index gives.
    It is read in steps whose cost does not grow with the network: the total (a count over the
    memberships, or the length of the search's matches), the ids of one page (read from the
    organisations by name, which an index keeps in order, or sliced from the matches), then the
    page's rows. A search is one statement that ranks the matches and applies the filters
    (``search.matching_organisations`` with ``within``); what it found for visitors is kept for a
    minute (``_visitor_matches``). Paginator and the exports take it as they would a queryset.
    """

    def __init__(self, user, network: Network, filters: DirectoryFilters, *, see_all_statuses: bool = False):

        memberships = members_of(user, network, filters, see_all_statuses=see_all_statuses)
        self._memberships = memberships
        organisations = Organisation.objects.filter(
            Exists(memberships.order_by().filter(organisation=OuterRef("pk")).values("pk"))
        )
        self._narrowed = bool(filters.type or filters.focus or filters.committee)
        organisations = narrowed(organisations, filters, network=network)
        self._organisations = organisations
        self._country = filters.country
        self.matches: Matches | None = None
        self._ranked: list[int] | None = None
        if filters.q.strip():
            # The index applies the reader's visibility and ranks; the registry's own filters are
            # part of the same statement (an EXISTS on each match), so only the kept ids come back.
            if getattr(user, "is_authenticated", False):
                self.matches = search.matching_organisations(
                    filters.q, user=user, country=filters.country, within=organisations
                )
            else:
                self.matches = _visitor_matches(network, filters, organisations)
            if self.matches.searched:
                self._ranked = self.matches.ids
        self._count: int | None = None

    @property
    def searched(self) -> bool:
        return self._ranked is not None

    def count(self) -> int:
        if self._count is None:
            if self._ranked is not None:
                self._count = len(self._ranked)
            elif not self._narrowed and not self._country:
                self._count = self._memberships.count()  # one network's rows of one table: no join
            else:
                self._count = self._organisations.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def all(self) -> MemberList:
        return self

    def organisation_ids(self, start: int, stop: int) -> list[int]:
        if self._ranked is not None:
            return self._ranked[start:stop]
        return list(self._organisations.order_by(F("name"), "pk").values_list("pk", flat=True)[start:stop])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        return self.rows(self.organisation_ids(start, stop), only=PAGE_FIELDS)

    def rows(
        self, ids: list[int], *, prefetch: tuple[str, ...] = (), only: tuple[str, ...] = ()
    ) -> list[NetworkMembership]:
        """The memberships of these organisations, in this order, with their organisations (only
        ``only``'s columns, when given)."""
        if not ids:
            return []
        found = self._memberships.select_related("organisation")
        if only:
            found = found.only(*only)
        if prefetch:
            found = found.prefetch_related(*prefetch)
        return in_order(found, ids, key="organisation_id")

    def __iter__(self):
        """Every row, a chunk at a time (exports)."""
        chunk = 1000
        if self._ranked is not None:
            ids = self._ranked
        else:
            ids = list(self._organisations.order_by(F("name"), "pk").values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            yield from self.rows(ids[start : start + chunk], prefetch=("organisation__focus_areas",))


# What a page of the directory shows (views.directory._member_rows): the 25 rows read only these
# columns of the 36 an organisation has (a page's rows were a third of its time).
PAGE_FIELDS = (
    "organisation_id",
    "network_id",
    "category",
    "status",
    *(f"organisation__{name}" for name in ("slug", "name", "name_ar", "name_en", "name_ms", "acronym")),
    *(f"organisation__{name}" for name in ("country", "city", "type")),
)


def in_order(queryset: QuerySet, ids: list[int], *, key: str = "pk") -> list:
    """The rows of ``queryset`` whose ``key`` is among ``ids``, in the order of ``ids`` (a search's
    rank); ids the queryset leaves out are skipped. One query."""
    if not ids:
        return []
    found = {getattr(row, key): row for row in queryset.filter(**{f"{key}__in": ids}).order_by()}
    return [found[pk] for pk in ids if pk in found]


class Ranked:
    """A queryset in the order of a search's ranked ids, paged like a queryset (the API's pages;
    ``MemberList`` is the same for the directory's memberships). The ids are those of
    ``search.matching_organisations(…, within=queryset)``: already among the queryset's, so only a
    page's rows are read (again through the queryset)."""

    def __init__(self, queryset: QuerySet, ids: list[int]):
        self._queryset = queryset
        self._ids = list(ids)

    def all(self) -> Ranked:
        return self

    def count(self) -> int:
        return len(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index: slice) -> list:
        return in_order(self._queryset, self._ids[index])


def may_see_all_statuses(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and rules.has_perm("network.view_all_statuses", user)


@dataclass(frozen=True)
class NetworkStats:
    members: int
    countries: int
    by_category: dict[str, int]


def network_stats(network: Network | None = None, *, slug: str = "") -> NetworkStats:
    """Live figures: admitted members, their countries, members per category.

    Computed by one aggregate over the memberships (tens of milliseconds at 10 000 members on a
    busy machine), kept for a minute and forgotten as soon as a membership changes.
    """
    key = caching.network_stats_key(network, slug=slug)
    stats = cache.get(key)
    if stats is None:
        stats = _compute_network_stats(network, slug=slug)
        cache.set(key, stats, caching.STATS_SECONDS)
    return stats


def _compute_network_stats(network: Network | None, *, slug: str) -> NetworkStats:
    admitted = NetworkMembership.objects.admitted()
    admitted = admitted.filter(network=network) if network is not None else admitted.filter(network__slug=slug)
    figures = admitted.aggregate(
        members=Count("pk"),
        countries=Count("organisation__country", distinct=True),
        **{category: Count("pk", filter=Q(category=category)) for category in NetworkMembership.Category.values},
    )
    return NetworkStats(
        members=figures["members"],
        countries=figures["countries"],
        by_category={category: figures[category] for category in NetworkMembership.Category.values},
    )


def networks_visible_to(user) -> QuerySet[Network]:
    # Networks are public: their names, committees and figures describe no one in particular.
    return Network.objects.all()


def network_for(user, slug: str) -> Network:
    try:
        return networks_visible_to(user).get(slug=slug)
    except Network.DoesNotExist:
        raise Http404 from None


def organisation_for(user, slug: str) -> tuple[Organisation, bool]:
    """The organisation (or 404) and whether the user may edit its profile."""
    organisations = organisations_visible_to(user)
    if getattr(user, "is_authenticated", False):
        # The user's own role comes with the organisation: one query fewer on every page.
        mine = Membership.objects.filter(user=user, organisation=OuterRef("pk")).values("role")[:1]
        organisations = organisations.annotate(my_role=Subquery(mine))
    try:
        organisation = organisations.get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None
    if getattr(user, "is_authenticated", False):
        remember_role(user, organisation, organisation.my_role)
    return organisation, rules.has_perm("network.change_organisation_profile", user, organisation)


def organisation_managed_by(user, slug: str) -> Organisation:
    """An organisation whose people the user manages, or 404 (never reveals that it exists)."""
    organisation, _editable = organisation_for(user, slug)
    if not rules.has_perm("network.manage_people", user, organisation):
        raise Http404
    return organisation


def membership_of_person(user, organisation: Organisation, uuid) -> Membership:
    try:
        return Membership.objects.select_related("user", "organisation").get(organisation=organisation, uuid=uuid)
    except (Membership.DoesNotExist, ValueError):
        raise Http404 from None


def network_membership_for(user, uuid) -> tuple[NetworkMembership, list[str]]:
    """A network membership the user may see (or 404) and the status changes the user may make."""

    try:
        membership = NetworkMembership.objects.select_related("organisation", "network").get(uuid=uuid)
    except (NetworkMembership.DoesNotExist, ValueError):
        raise Http404 from None
    if not organisations_visible_to(user).filter(pk=membership.organisation_id).exists():
        raise Http404
    return membership, allowed_targets(membership, user) if user.is_authenticated else []


def contacts_visible_to(user, organisation: Organisation) -> QuerySet[Contact]:
    contacts = organisation.contacts.all()
    if not getattr(user, "is_authenticated", False):
        return contacts.filter(visibility=Contact.Visibility.PUBLIC)
    levels = [Contact.Visibility.PUBLIC]
    if rules.has_perm("network.manage_people", user, organisation):
        return contacts
    if rules.has_perm("network.view_private_details", user, organisation) or _acts_for_a_fellow_member(
        user, organisation
    ):
        levels.append(Contact.Visibility.MEMBERS)
    return contacts.filter(visibility__in=levels)


def _acts_for_a_fellow_member(user, organisation: Organisation) -> bool:
    """The user acts for an admitted member of a network this organisation is admitted to."""
    networks = NetworkMembership.objects.admitted().filter(organisation=organisation).values("network_id")
    return (
        NetworkMembership.objects.admitted()
        .filter(network_id__in=networks, organisation_id__in=own_organisation_ids(user))
        .exists()
    )


def people_of(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.people.select_related("user").order_by("role", "user__email")


def pending_invitations_of(organisation: Organisation) -> QuerySet[Invitation]:

    return organisation.invitations.filter(accepted_at=None, expires_at__gt=timezone.now()).select_related("invited_by")


def committees_of(network: Network) -> QuerySet[Committee]:
    return network.committees.annotate(seat_count=Count("seats"))


def committee_for(user, network: Network, slug: str) -> tuple[Committee, bool]:
    """The committee (or 404) and whether the user may manage its seats."""
    try:
        committee = network.committees.select_related("chair", "vice_chair").get(slug=slug)
    except Committee.DoesNotExist:
        raise Http404 from None
    return committee, bool(user.is_authenticated and rules.has_perm("network.manage_committee", user, committee))


def seats_visible_to(user, committee: Committee) -> QuerySet[CommitteeSeat]:
    """Seats of organisations the user may see; representatives' names only to the network's people."""
    visible = organisations_visible_to(user).values("pk")
    return committee.seats.filter(organisation_id__in=visible).select_related("organisation", "representative")


def may_see_representatives(user, network: Network) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if sees_everything(user):
        return True
    return NetworkMembership.objects.filter(
        network=network, status=NetworkMembership.Status.ADMITTED, organisation_id__in=own_organisation_ids(user)
    ).exists()


def organisations_of(user) -> QuerySet[Organisation]:
    """The organisations the user acts for."""
    return Organisation.objects.filter(pk__in=own_organisation_ids(user))


# Where the home page's "needs my action" provider leaves the organisations it read, for the
# "My organisations" section of the same page to take (once) instead of reading them again.
KEPT_FOR_THE_PAGE = "_tansiq_organisations_of_person"


def organisations_of_person(user) -> list[Organisation]:
    """In one query: the organisations the person acts for (``my_role``) and those that invited
    them at their address (``invited_as``, ``invited_until``: the newest pending invitation), each
    with ``places``, its state in each network (one row per organisation and network, joined)."""
    invitations = (
        Invitation.objects.filter(accepted_at=None, expires_at__gt=timezone.now(), email__iexact=user.email or "-")
        .filter(organisation=OuterRef("pk"))
        .order_by("-created_at")
    )
    role = Membership.objects.filter(user=user, organisation=OuterRef("pk")).values("role")[:1]
    networks = {f"place_{code}": F(f"network_memberships__network__name_{code}") for code, _name in settings.LANGUAGES}
    rows = (
        Organisation.objects.filter(Exists(role) | Exists(invitations))
        .annotate(
            my_role=Subquery(role),
            invited_as=Subquery(invitations.values("role")[:1]),
            invited_until=Subquery(invitations.values("expires_at")[:1]),
            place_status=F("network_memberships__status"),
            **networks,
        )
        .order_by("pk", "network_memberships__network__position", "network_memberships__network_id")
    )
    statuses = dict(NetworkMembership.Status.choices)
    found: dict[int, Organisation] = {}
    for row in rows:
        organisation = found.setdefault(row.pk, row)
        if organisation is row:
            organisation.places = []
        if row.place_status:
            organisation.places.append(
                Place(
                    network=_in_language(vars(row), "place"), status=row.place_status, label=statuses[row.place_status]
                )
            )
    return list(found.values())


@dataclass(frozen=True)
class Place:
    """An organisation's state in one network, for "My organisations"."""

    network: str
    status: str
    label: str


@dataclass(frozen=True)
class ActingFor:
    """An organisation the user acts for, their role in it and its places in networks."""

    slug: str
    name: str
    role: str
    role_label: str
    places: list[Place]


def _in_language(values: dict, prefix: str) -> str:
    """A translated name in the reader's language, else the first of the fallback languages."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    for code in (language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"]):
        if values.get(f"{prefix}_{code}"):
            return values[f"{prefix}_{code}"]
    return ""


def acting_for(user) -> list[ActingFor]:
    """ "My organisations": the user's roles, with each organisation and its state in each network,
    in name order. One query, or none on the home page after its "needs my action" provider read
    them (``KEPT_FOR_THE_PAGE``, taken once)."""
    organisations = getattr(user, KEPT_FOR_THE_PAGE, None)
    if organisations is None:
        organisations = organisations_of_person(user)
    else:
        delattr(user, KEPT_FOR_THE_PAGE)
    roles = dict(Membership.Role.choices)
    mine = [
        ActingFor(
            slug=organisation.slug,
            name=organisation.name,
            role=organisation.my_role,
            role_label=roles.get(organisation.my_role, organisation.my_role),
            places=organisation.places,
        )
        for organisation in organisations
        if organisation.my_role
    ]
    return sorted(mine, key=lambda organisation: organisation.name.casefold())


def focus_area_choices() -> list[tuple[str, str]]:
    """(slug, name in the active language) of every focus area; cached per language."""

    key = caching.focus_key()
    choices = cache.get(key)
    if choices is None:
        choices = [(area.slug, area.name) for area in FocusArea.objects.all()]
        cache.set(key, choices, caching.KEPT_UNTIL_CHANGED)
    return choices


def directory_choices(network: Network | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(focus areas, the network's committees) as (slug, name in the active language) for the
    directory's filters: one cache read for both, forgotten when either changes. Without a network
    (the API across networks) there is no committee to choose."""

    if network is None:
        return focus_area_choices(), []
    focus_key, committee_key = caching.focus_key(), caching.committees_key(network)
    found = cache.get_many([focus_key, committee_key])
    focus = found.get(focus_key)
    if focus is None:
        focus = focus_area_choices()
    committees = found.get(committee_key)
    if committees is None:
        committees = [(committee.slug, committee.name) for committee in network.committees.all()]
        cache.set(committee_key, committees, caching.KEPT_UNTIL_CHANGED)
    return focus, committees


def member_country_choices(network: Network, *, staff: bool) -> list[tuple[str, str]]:
    """(code, name in the active language) of the countries the network has members in (for staff,
    members in any status, as their directory shows them), in the reader's alphabetical order: the
    directory's country filter. Kept until a membership or a member's country changes
    (``caching.forget_network_stats``)."""
    key = caching.member_countries_key(network, staff=staff)
    choices = cache.get(key)
    if choices is None:
        memberships = NetworkMembership.objects.filter(network=network)
        if not staff:
            memberships = memberships.admitted()
        codes = set(memberships.values_list("organisation__country", flat=True).distinct())
        choices = [(code, name) for code, name in country_choices() if code in codes]
        cache.set(key, choices, caching.KEPT_UNTIL_CHANGED)
    return choices
