"""What the registry keeps in the shared cache: every key, how long it is kept, and what forgets it.

Reads (``queries/``, ``rules.py``, ``search.py``) fill these entries; the signal handlers
(``signals.py``) and the services that change many rows at once (the member import) forget them
through the ``forget_*`` functions below, and nowhere else. Pages ask for the entries a page will
read in one cache read (``prime_*``): the database cache answers a batch in one query.

Two kinds of entry:
- **kept until changed** (the default network, focus areas, a network's committees): deleted by
  name when what they hold changes, and refreshed once a day in any case;
- **versioned** (unit admins, the unlisted organisations, visitors' directory searches and their
  rendered results): the entry carries the version it was computed under; forgetting writes a new
  random version (not an increment: two changes at once must not both write the same number), so
  every entry computed before is stale without being found and deleted.

The keys read on every request (``keys_read_on_every_request``) are registered with
``core.cache.read_on_every_request`` from ``NetworkConfig.ready()``.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.utils import translation

from tansiq.core.search.services import VERSION_KEY, index_changed
from tansiq.core.templatetags.tansiq import num

# Entries forgotten by signals when what they hold changes are still refreshed once a day.
KEPT_UNTIL_CHANGED = 24 * 3600
# Versioned entries are recomputed at least this often.
VERSIONED_SECONDS = 600

DEFAULT_NETWORK_KEY = "tansiq:network:default"
REGISTRY_VERSION_KEY = "tansiq:network:directory-version"
UNITS_VERSION_KEY = "tansiq:network:units-version"
UNIT_ADMINS_KEY = "tansiq:network:unit-admins"
UNLISTED_KEY = "tansiq:network:unlisted"
FOCUS_KEY = "tansiq:network:focus-areas"
COMMITTEES_KEY = "tansiq:network:committee-choices"
MEMBER_COUNTRIES_KEY = "tansiq:network:member-countries"

STATS_SECONDS = 60
WORLD_MAP_SECONDS = 300
MAY_APPLY_SECONDS = 60
# The directory's filter lists (``_directory_filters.html``, a template fragment kept 300 s).
DIRECTORY_CHOICES_FRAGMENT = "directory-choices"
DIRECTORY_CHOICES_VARY = ("country", "type", "focus", "committee", "category", "status")
# A visitor's directory results (count, rows and pagination, ``_directory_rows.html`` rendered).
VISITOR_RESULTS_SECONDS = 300


# --- Keys ----------------------------------------------------------------------------------------


def units_key(user) -> str:
    return f"tansiq:network:units:{user.pk}"


def focus_key(language: str | None = None) -> str:
    return f"{FOCUS_KEY}:{language or translation.get_language()}"


def committees_key(network) -> str:
    return f"{COMMITTEES_KEY}:{network.pk}:{translation.get_language()}"


def member_countries_key(network, *, staff: bool, language: str | None = None) -> str:
    """The directory's country list: countries with members (staff: in any status), named in the
    reader's language."""
    audience = "staff" if staff else "public"
    return f"{MEMBER_COUNTRIES_KEY}:{network.pk}:{audience}:{language or translation.get_language()}"


def _stats_key(key) -> str:
    return f"tansiq:network:stats:{key}"


def network_stats_key(network, *, slug: str = "") -> str:
    return _stats_key(network.pk if network is not None else slug)


def world_map_key(request, network) -> str:
    """Per network, language and the reader's digits."""
    language = translation.get_language() or "en"
    return f"tansiq:network:worldmap:{network.pk}:{language}:{num({'request': request}, 0)}"


def may_apply_key(user, network) -> str:
    return f"tansiq:network:may-apply:{network.pk}:{user.pk}:{translation.get_language()}"


def directory_choices_vary(request, *, staff: bool) -> str:
    """What the directory's filter lists vary with (the fragment's cache key)."""
    return "|".join(
        [request.path, translation.get_language() or "", "staff" if staff else "public"]
        + [request.GET.get(name, "") for name in DIRECTORY_CHOICES_VARY]
    )


def visitor_results_key(request, network) -> str | None:
    """A visitor's rendered directory results: per network, path, language, digits and query
    string, under the registry's version (``forget_directory_searches``) and the search index's.
    Both versions are among the keys read on every request, so building the key reads nothing more.
    Signed-in readers may see more than visitors: ``None``, not cached."""
    if getattr(request.user, "is_authenticated", False):
        return None
    found = cache.get_many([REGISTRY_VERSION_KEY, VERSION_KEY])
    versions = f"{registry_version(found)}:{found.get(VERSION_KEY) or index_changed()}"
    query = hashlib.sha256(
        "&".join(f"{name}={value}" for name, value in sorted(request.GET.lists())).encode()
    ).hexdigest()
    language = translation.get_language() or ""
    digits = num({"request": request}, 0)
    return f"tansiq:network:directory-results:{network.pk}:{versions}:{language}:{digits}:{query}"


# --- Versions -----------------------------------------------------------------------------------


def _new_version(key: str) -> str:
    token = uuid.uuid4().hex
    cache.set(key, token, None)
    return token


def forget_directory_searches() -> str:
    """A membership, an organisation, a seat, a committee or a focus area changed: what visitors'
    searches found (``queries.directory``) and the unlisted organisations (``search.py``) are no
    longer good. The signal handlers call it on save and again on commit (a reader may have
    searched in between). Returns the new version."""
    return _new_version(REGISTRY_VERSION_KEY)


def forget_unit_admins() -> str:
    """Units or their admins changed: every cached answer of ``rules.administered_unit_ids`` is
    stale. Returns the new version."""
    return _new_version(UNITS_VERSION_KEY)


def registry_version(found: dict) -> str:
    """The registry's version from a batch read that asked for ``REGISTRY_VERSION_KEY``."""
    return found.get(REGISTRY_VERSION_KEY) or forget_directory_searches()


def units_version(found: dict) -> str:
    """The units' version from a batch read that asked for ``UNITS_VERSION_KEY``."""
    return found.get(UNITS_VERSION_KEY) or forget_unit_admins()


# --- Forgetting entries kept until changed ------------------------------------------------------


def forget_default_network() -> None:
    cache.delete(DEFAULT_NETWORK_KEY)


def forget_network_stats(network) -> None:
    """Called when a membership or a member's country changes, so the figures and the directory's
    country list stay live."""
    countries = [
        member_countries_key(network, staff=staff, language=code)
        for code, _name in settings.LANGUAGES
        for staff in (False, True)
    ]
    cache.delete_many([_stats_key(network.pk), _stats_key(network.slug), *countries])


def forget_focus_areas() -> None:
    cache.delete_many([focus_key(code) for code, _name in settings.LANGUAGES])


def forget_committees(network_id: int) -> None:
    cache.delete_many([f"{COMMITTEES_KEY}:{network_id}:{code}" for code, _name in settings.LANGUAGES])


# --- Reading in batches -------------------------------------------------------------------------


def units_keys_of_reader(request) -> list[str]:
    """Who administers units, and the signed-in reader's units."""
    user = getattr(request, "user", None)
    return [UNIT_ADMINS_KEY, units_key(user)] if getattr(user, "is_authenticated", False) else []


def focus_key_of_reader(request) -> list[str]:
    """The focus areas in the reader's language."""
    return [focus_key()]


def unlisted_keys_of_reader(request) -> list[str]:
    """Staff (the secretariat among them) search the whole register: what it holds beyond the
    public directory."""
    user = getattr(request, "user", None)
    return [UNLISTED_KEY] if getattr(user, "is_authenticated", False) and user.is_staff else []


def keys_read_on_every_request() -> list:
    """For ``core.cache.read_on_every_request``: keys, and functions of the request giving keys."""
    return [
        DEFAULT_NETWORK_KEY,
        REGISTRY_VERSION_KEY,
        UNITS_VERSION_KEY,
        units_keys_of_reader,
        focus_key_of_reader,
        unlisted_keys_of_reader,
    ]


def prime_network_home(request, network) -> None:
    """What a network's home keeps in the cache, asked for in one read."""
    keys = [network_stats_key(network), world_map_key(request, network)]
    if request.user.is_authenticated:
        keys.append(may_apply_key(request.user, network))
    cache.get_many(keys)


def prime_directory(request, network, *, staff: bool) -> tuple[str, str | None]:
    """What the directory keeps in the cache (the network's committees, its member countries, the
    filter lists' fragment and a visitor's rendered results), asked for in one read. Returns what
    the fragment varies with, for the template, and the results' key (``None`` for a signed-in
    reader)."""
    vary = directory_choices_vary(request, staff=staff)
    results = visitor_results_key(request, network)
    keys = [
        committees_key(network),
        member_countries_key(network, staff=staff),
        make_template_fragment_key(DIRECTORY_CHOICES_FRAGMENT, [vary]),
    ]
    cache.get_many([*keys, results] if results else keys)
    return vary, results
