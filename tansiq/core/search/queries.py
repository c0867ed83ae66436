"""Reads of the search index, scoped to what the reader may see."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from tansiq.core.countries import country_name
from tansiq.core.rules import group_names
from tansiq.core.search.backends import COLUMNS, PUBLIC, Audience, backend_for, filter_clause, visibility_clause
from tansiq.core.search.parsing import ParsedQuery, parse
from tansiq.core.search.registry import _pk, audience_providers, kind_label, searchable
from tansiq.core.search.services import TITLE_JOINER
from tansiq.core.search.snippets import Highlighter

STAFF_GROUPS = ("secretariat", "analyst", "verifier", "judge")
MAX_LIMIT = 100
# Counting and ranking consider at most the newest CANDIDATES visible matches of a query: every
# answer is exact below that, and a query matching more is too broad for ranking to help (the
# page says so). It is what keeps a frequent word as fast as a rare one on a large index.
CANDIDATES = 1_000
MAX_OFFSET = CANDIDATES - 1
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
FILTER_NAMES = frozenset({"kind", "country", "language", "network_id", "organisation_id", "date_from", "date_to"})


@dataclass(frozen=True)
class Hit:
    kind: str
    key: str
    title: str
    url: str
    snippet: SafeString
    score: float
    title_html: SafeString
    language: str = ""
    country: str = ""
    date: dt.date | None = None
    # When the title is the name in the reader's language and the query matched another of the
    # names: that name, marked, so the reader sees why the result was found.
    matched_html: SafeString | None = None

    @property
    def href(self) -> str:
        """The link in the reader's language: a path is indexed without its language prefix."""
        if not self.url.startswith("/") or self.url.startswith("//"):
            return self.url
        language = translation.get_language() or ""
        first = self.url.split("/", 2)[1]
        if not language or first in LANGUAGE_CODES:
            return self.url
        return f"/{language}{self.url}"

    @property
    def kind_label(self) -> str | Promise:
        return kind_label(self.kind)

    @property
    def country_name(self) -> str:
        return _country_name(self.country) if self.country else ""


@dataclass(frozen=True)
class Facet:
    value: str
    count: int
    selected: bool = False
    label: str | Promise = ""


@dataclass
class Results:
    query: ParsedQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    more: bool = False  # more than CANDIDATES matches: ``total`` is CANDIDATES, counts are among them
    facets: dict[str, list[Facet]] = field(default_factory=lambda: {"kind": [], "country": []})
    limit: int = 20
    offset: int = 0

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


def audience_for(user) -> Audience:
    """What ``user`` may see beyond public documents: staff documents for platform staff, network and
    organisation documents where the registered providers say the user is a member."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return PUBLIC
    staff = bool(user.is_staff or user.is_superuser) or bool(group_names(user) & set(STAFF_GROUPS))
    networks: set[int] = set()
    organisations: set[int] = set()
    for provider in audience_providers():
        network_ids, organisation_ids = provider(user)
        networks.update(int(pk) for pk in network_ids)
        organisations.update(int(pk) for pk in organisation_ids)
    return Audience(staff=staff, network_ids=frozenset(networks), organisation_ids=frozenset(organisations))


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value if item not in (None, "")]


def search(
    query: str | ParsedQuery,
    *,
    user=None,
    kinds: Iterable[str] | None = None,
    filters: dict[str, Any] | None = None,
    limit: int = 20,
    offset: int = 0,
    as_you_type: bool = False,
    audience: Audience | None = None,
) -> Results:
    """Search what ``user`` (None: a visitor) may see.

    ``query`` is what a person typed (``parsing`` says what it understands). ``kinds`` restricts
    the search to these kinds; ``filters`` narrows it: ``kind`` and ``country`` (a value or a
    list; their facet counts are computed without their own filter, so a reader can switch),
    ``language``, ``network_id``, ``organisation_id``, ``date_from``, ``date_to``.

    Returns the hits of the page in rank order, the total and facet counts by kind and country,
    all counting only documents the user may see. Raises ``QueryTooLong`` (a ``TansiqError``) for
    a query over ``parsing.MAX_QUERY_LENGTH`` characters, and nothing else for any text.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse(query, as_you_type=as_you_type)
    filters = dict(filters or {})
    unknown = set(filters) - FILTER_NAMES
    if unknown:
        raise TypeError(f"Unknown search filters: {', '.join(sorted(unknown))}")
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    results = Results(query=parsed, limit=limit, offset=offset)
    if parsed.is_empty:
        return results
    audience = audience if audience is not None else audience_for(user)
    selected_kinds = _as_list(filters.pop("kind", None))
    selected_countries = [code.upper() for code in _as_list(filters.pop("country", None))]
    found = backend_for(connection).search(
        connection,
        parsed,
        audience,
        kinds=None if kinds is None else list(kinds),
        filters=filters,
        selected_kinds=selected_kinds,
        selected_countries=selected_countries,
        limit=limit,
        offset=offset,
        window=CANDIDATES,
    )
    results.total = found.total
    results.more = found.more
    results.facets = _facets(found.counts, selected_kinds, selected_countries)
    markers: dict[str, Highlighter] = {}
    for row in found.hits:
        language = row[COLUMNS.index("language")] or ""
        if language not in markers:
            markers[language] = Highlighter(parsed.highlight_terms, parsed.highlight_prefixes, language or None)
        results.hits.append(_hit(row, markers[language]))
    results.hits = _in_readers_language(results.hits, markers)
    return results


def _in_readers_language(hits: list[Hit], markers: dict[str, Highlighter]) -> list[Hit]:
    """Each hit titled by its kind's ``title`` (the name in the reader's language), where it has one."""
    keys: dict[str, set[str]] = {}
    for hit in hits:
        keys.setdefault(hit.kind, set()).add(hit.key)
    titles: dict[tuple[str, str], str] = {}
    for kind, wanted in keys.items():
        found = searchable(kind)
        # Only kinds keyed by primary key (the default) can be looked up from their hits.
        if found is None or found.title is None or found.key is not _pk:
            continue
        for obj in found.queryset().filter(pk__in=[key for key in wanted if key.isdigit()]):
            titles[(kind, _pk(obj))] = str(found.title(obj) or "")
    localised = []
    for hit in hits:
        title = titles.get((hit.kind, hit.key))
        if not title:
            localised.append(hit)
            continue
        marker = markers[hit.language or ""]
        title_html = marker.highlight(title)
        matched_html = None
        if "<mark" not in title_html:
            for name in hit.title.split(TITLE_JOINER):
                marked = marker.highlight(name)
                if "<mark" in marked and name != title:
                    matched_html = marked
                    break
        localised.append(replace(hit, title=title, title_html=title_html, matched_html=matched_html))
    return localised


def _facets(counts: Sequence[tuple[str, str, int]], kinds: list[str], countries: list[str]) -> dict[str, list[Facet]]:
    by_kind: Counter[str] = Counter()
    by_country: Counter[str] = Counter()
    for kind, country, number in counts:
        if not countries or country in countries:
            by_kind[kind] += number
        if country and (not kinds or kind in kinds):
            by_country[country] += number
    return {
        "kind": [
            Facet(kind, number, kind in kinds, kind_label(kind))
            for kind, number in sorted(by_kind.items(), key=lambda item: (-item[1], item[0]))
        ],
        "country": [
            Facet(country, number, country in countries, _country_name(country))
            for country, number in sorted(by_country.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


def _country_name(code: str) -> str:
    # The directory's source, not django-countries' catalogue: that has no Malay, and Django falls
    # back to the default language's (Arabic) names for a catalogue it lacks.
    return country_name(code)


def _hit(row: tuple, marker: Highlighter) -> Hit:
    _id, kind, key, title, body, url, language, country, date, score = row
    if isinstance(date, str):  # SQLite's raw cursor returns dates as text
        date = dt.date.fromisoformat(date)
    return Hit(
        kind=kind,
        key=key,
        title=title,
        url=url,
        snippet=marker.snippet(body) if body else marker.highlight(""),
        score=float(score),
        title_html=marker.highlight(title),
        language=language,
        country=country,
        date=date,
    )


@dataclass
class Matches:
    """Objects a query finds, best first, among those the reader may see (``matching``)."""

    query: ParsedQuery
    ids: list[int] = field(default_factory=list)
    more: bool = False  # more than ``window`` matches: the newest ``window`` were ranked

    @property
    def searched(self) -> bool:
        return not self.query.is_empty


def matching(
    text: str,
    *,
    kind: str,
    audience: Audience,
    window: int,
    within: QuerySet | None = None,
    filters: dict[str, Any] | None = None,
) -> Matches:
    """Primary keys of the objects of ``kind`` that ``text`` finds for ``audience``, in rank order;
    one statement. For an app whose own page narrows what it lists (a directory's filters).

    Visibility is part of the SQL, as in every search. ``filters`` are the index's own
    (``FILTER_NAMES``: country, language …). With ``within`` (a queryset of the kind's model, whose
    primary key is the document's key), the statement also asks of each match whether its object
    is in it, and only those are kept: the app's filters are applied inside the search, not to
    ids read back. The window is taken before ``within`` (the best ``window`` of the newest
    ``window + 1`` matches), so a narrowed list is the whole one with the others left out. A query
    with no searchable word finds nothing and reports ``searched`` False. Raises ``QueryTooLong``
    for an over-long query.
    """
    parsed = parse(text)
    matches = Matches(query=parsed)
    if parsed.is_empty:
        return matches
    visible, visible_params = visibility_clause(audience)
    narrowed, narrowed_params = filter_clause([kind], filters or {})
    backend = backend_for(connection)
    plan = backend.plan(connection, parsed, window + 1)
    candidates, params = backend.candidates(
        parsed, f"{visible} AND {narrowed}", [*visible_params, *narrowed_params], window + 1, ranked=True, plan=plan
    )
    kept, kept_params = "", []
    if within is not None:
        # Correlated on the object's primary key: a few index lookups per match, where a join
        # would let PostgreSQL hash every object and every document first.
        key = RawSQL("CAST(s.key AS BIGINT)", [])
        inner = within.filter(pk=key).prefetch_related(None).order_by().values("pk")
        exists, kept_params = inner.query.sql_with_params()
        kept = f" AND EXISTS ({exists})"
    # Each match's object, or NULL when ``within`` leaves it out.
    sql = (
        f"SELECT (SELECT CAST(s.key AS BIGINT) FROM search_document s WHERE s.id = c.id{kept}) "  # noqa: S608
        f"FROM ({candidates}) c ORDER BY c.score DESC, c.id DESC"
    )
    rows = backend.execute(connection, sql, [*kept_params, *params], plan)
    matches.ids = [row[0] for row in rows[:window] if row[0] is not None]
    matches.more = len(rows) > window
    return matches
