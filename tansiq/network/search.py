"""Organisations in the search index, and who may find what (``tansiq.core.search``).

One document per organisation (kind ``organisation``, key its primary key): its names in every
language, legal name and acronym as the title, its descriptions, city and region as the body.
Each name is analysed on its own, so the English name's function words ("of", "the") do not make
the Malay name's words stemmed as English.

Who finds it follows ``queries.organisations_visible_to``: an organisation admitted to a network
is public; any other (an applicant, a suspended or former member) is an ``organisation`` document,
found by its own people, the admins of its unit and the secretariat (the audience provider below
tells the index who they are). The index follows saves of organisations and of their network
memberships after commit, through the background task of the search registry.

The directory and the API ask ``matching_organisations``: every visible organisation the query
finds, best first, among those the registry's own filters keep (category, status, focus area,
committee, which the index does not know), in one statement.
"""

from __future__ import annotations

import functools
import re
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tansiq.core.rules import is_secretariat
from tansiq.core.search import register, register_audience_provider
from tansiq.core.search.backends import Audience
from tansiq.core.search.queries import Matches, matching
from tansiq.core.search.tasks import refresh_document
from tansiq.core.text import analyze, normalize
from tansiq.network import caching
from tansiq.network.models import NetworkMembership, Organisation, Unit
from tansiq.network.rules import administered_unit_ids

KIND = "organisation"
# The directory ranks every match up to this many organisations (the union at benchmark scale);
# past it, the newest this many matches are ranked and the page says there are more.
WINDOW = 10_000


def _listed() -> Exists:
    return Exists(NetworkMembership.objects.admitted().filter(organisation=OuterRef("pk")))


def searchable_organisations():
    return Organisation.objects.annotate(listed=_listed())


def _profile_path(organisation: Organisation) -> str:
    # Without the language prefix: the reader's own language is added when the link is followed.

    with translation.override(settings.LANGUAGE_CODE):
        return reverse("network:organisation", args=[organisation.slug]).removeprefix(f"/{settings.LANGUAGE_CODE}")


def organisation_document(organisation: Organisation) -> dict:
    """What the index keeps of ``organisation`` (``index_document``'s keyword arguments)."""
    listed = getattr(organisation, "listed", None)
    if listed is None:
        listed = NetworkMembership.objects.admitted().filter(organisation=organisation).exists()
    names = _unique(
        [
            organisation.name_ar,
            organisation.name_en,
            organisation.name_ms,
            organisation.name,
            organisation.legal_name,
            organisation.acronym,
        ]
    )
    body = _unique(
        [
            organisation.description_ar,
            organisation.description_en,
            organisation.description_ms,
            organisation.city,
            organisation.region,
        ]
    )
    return {
        "title": names,
        "body": body,
        "url": _profile_path(organisation),
        "visibility": "public" if listed else "organisation",
        "organisation_id": organisation.pk,
        "country": organisation.country.code if organisation.country else "",
    }


def _unique(texts: list[str | None]) -> list[str]:
    seen: list[str] = []
    for text in texts:
        text = (text or "").strip()
        if text and text not in seen:
            seen.append(text)
    return seen


def audience(user) -> tuple[set[int], set[int]]:
    """The networks and organisations whose non-public documents ``user`` may find.

    Networks: those where the user acts for an admitted member. Organisations: those the user acts
    for, those in the units the user administers and, for the secretariat, every organisation
    that is not public (the secretariat sees the whole register).
    """

    if not getattr(user, "is_authenticated", False):
        return set(), set()
    # One query, asked on every search a signed-in person makes: each organisation the user acts
    # for with its networks and its status in each, and whether the user administers a unit (only
    # then is more read).
    rows = list(
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(administers=Exists(Unit.admins.through.objects.filter(user_id=OuterRef("pk"))))
        .values_list(
            "administers",
            "memberships__organisation_id",
            "memberships__organisation__network_memberships__network_id",
            "memberships__organisation__network_memberships__status",
        )
    )
    organisations = {row[1] for row in rows if row[1] is not None}
    networks = {row[2] for row in rows if row[3] == NetworkMembership.Status.ADMITTED}
    administers = rows[0][0] if rows else False
    if administers:
        units = administered_unit_ids(user)
        if units:
            organisations.update(
                NetworkMembership.objects.filter(unit_id__in=units).values_list("organisation_id", flat=True)
            )
    if is_secretariat(user):
        organisations.update(unlisted_ids())
    return networks, organisations


def unlisted_ids() -> frozenset[int]:
    """Organisations that are not public (applicants, suspended or former members): the secretariat
    finds them too. Cached with the registry's version (``caching.forget_directory_searches``,
    changed whenever a membership or an organisation is saved), read in the same cache read."""

    found = cache.get_many([caching.REGISTRY_VERSION_KEY, caching.UNLISTED_KEY])
    version = caching.registry_version(found)
    kept = found.get(caching.UNLISTED_KEY)
    if kept is not None and kept[0] == version:
        return kept[1]
    ids = frozenset(Organisation.objects.exclude(_listed()).values_list("pk", flat=True))
    cache.set(caching.UNLISTED_KEY, (version, ids), caching.VERSIONED_SECONDS)
    return ids


def organisation_audience(user) -> Audience:
    """Who ``user`` is to the index, for organisation documents (never staff-only: staff status
    does not matter to them, so it is not looked up)."""
    networks, organisations = audience(user)
    return Audience(network_ids=frozenset(networks), organisation_ids=frozenset(organisations))


def _membership_changed(instance: NetworkMembership, using: str, **kwargs) -> None:
    # Admission, suspension or withdrawal changes who may find the organisation.

    transaction.on_commit(partial(refresh_document.enqueue, KIND, str(instance.organisation_id)), using=using)


def register_organisations() -> None:
    """Called from ``NetworkConfig.ready()``."""
    register(
        KIND,
        Organisation,
        build=organisation_document,
        queryset=searchable_organisations,
        label=_("Organisations"),
        title=lambda organisation: organisation.name,  # in the reader's language
    )
    register_audience_provider(audience)
    post_save.connect(_membership_changed, sender=NetworkMembership, dispatch_uid="tansiq-network-search-membership")
    post_delete.connect(
        _membership_changed, sender=NetworkMembership, dispatch_uid="tansiq-network-search-membership-delete"
    )


def matching_organisations(
    text: str, *, user, country: str = "", within: QuerySet[Organisation] | None = None, window: int = WINDOW
) -> Matches:
    """Ids of the organisations ``text`` finds in the index for ``user``, in rank order; one
    statement (``core.search.queries.matching``). ``within`` is the registry's own filters
    (network, membership status and category, type, focus area, committee), applied inside the
    search. Raises ``QueryTooLong`` for an over-long query."""
    return matching(
        text,
        kind=KIND,
        audience=organisation_audience(user),
        window=window,
        within=within,
        filters={"country": country.upper()} if country else {},
    )


# Two names whose index terms overlap this much (shared terms over all terms) are probably one
# organisation's: "جمعية الإغاثة الإسلامية" and "جمعيه الاغاثه الاسلاميه" have the same terms,
# "جمعية الأمل للتنمية" shares one term of five with it.
SIMILAR_NAMES = 0.6


def name_terms(name: str) -> frozenset[str]:
    """A name as the search analyser reads it: spelling variants (hamza on alef, taa marbuta, alef
    maqsura, diacritics, case, accents) folded, stop words dropped, words stemmed."""
    return frozenset(analyze(name or ""))


@functools.lru_cache(maxsize=4096)
def _hamza_pattern(term: str) -> re.Pattern:
    # The analyser keeps a hamza (on its seat ؤ ئ, folded to ء) apart from no hamza, as searches
    # need; a person typing a name again writes it on another seat or leaves it out (مؤسسة/موسسة,
    # هيئة/هيأة): here a hamza stands for any seat or none.
    return re.compile("".join("[ءاوي]?" if char == "ء" else re.escape(char) for char in term))


def _same_term(first: str, second: str) -> bool:
    return first == second or bool(_hamza_pattern(first).fullmatch(second) or _hamza_pattern(second).fullmatch(first))


def similar_names(first: frozenset[str], second: frozenset[str]) -> bool:
    if not first or not second:
        return False
    shared = sum(1 for term in first if any(_same_term(term, other) for other in second))
    return shared / (len(first) + len(second) - shared) >= SIMILAR_NAMES


def acronym_key(acronym: str) -> str:
    """An acronym with case, dots and spaces folded: "U.N.I.W." and "uniw" are one."""
    return normalize(acronym or "").replace(".", "").replace(" ", "")


def probable_duplicates(*, country: str, names: list[str], acronym: str = "", limit: int = 5) -> list[Organisation]:
    """Organisations already registered in ``country`` whose name (in any language, or legal name)
    is similar to one of ``names``, or whose acronym is the same. Read live from the registry, not
    from the index: an organisation registered a moment ago is found too. Every organisation of
    the country is compared (its names only: a few hundred rows at most)."""
    wanted = [terms for terms in map(name_terms, names) if terms]
    acronym = acronym_key(acronym)
    if not country or not (wanted or acronym):
        return []
    found = []
    rows = Organisation.objects.filter(country=country).values_list(
        "pk", "name_ar", "name_en", "name_ms", "legal_name", "acronym"
    )
    for pk, *their_names, their_acronym in rows.iterator():
        same_acronym = bool(acronym) and acronym_key(their_acronym) == acronym
        if same_acronym or any(
            similar_names(mine, name_terms(theirs)) for theirs in their_names if theirs for mine in wanted
        ):
            found.append(pk)
            if len(found) >= limit:
                break
    return list(Organisation.objects.filter(pk__in=found).order_by("name"))
