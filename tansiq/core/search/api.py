from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tansiq.core.search import queries
from tansiq.core.search.parsing import MAX_QUERY_LENGTH

router = Router(tags=["search"])
PER_PAGE = 20
MAX_PAGE = -(-queries.CANDIDATES // PER_PAGE)


class HitOut(Schema):
    kind: str
    key: str
    title: str
    url: str
    snippet: str = Field(description="An excerpt of the text, HTML-escaped, with the matched words in <mark>")
    score: float = Field(description="Relevance: higher is better; comparable within one response only")
    language: str
    country: str
    date: dt.date | None


class FacetOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetsOut(Schema):
    kind: list[FacetOut]
    country: list[FacetOut]


class SearchOut(Schema):
    query: str
    total: int = Field(description="Documents matching the query and filters that you may see")
    more: bool = Field(
        description="More documents match than are counted and ranked (the most recent ones are): narrow the query"
    )
    page: int
    pages: int
    per_page: int
    hits: list[HitOut]
    facets: FacetsOut


class SearchParams(Schema):
    # No max_length here: a longer query gets search's own message (400 query_too_long), not a 422.
    q: str = Field("", description=f"What to look for, as typed in a search box (≤ {MAX_QUERY_LENGTH} characters)")
    kind: str = Field("", max_length=50, description="Only documents of this kind")
    country: str = Field("", max_length=2, description="Only documents about this country (ISO 3166 code)")
    page: int = Field(1, ge=1, le=MAX_PAGE)


@router.get(
    "/search",
    response=SearchOut,
    summary="Search everything you may see",
    description=(
        'Words are all required; "a phrase" in quotes, `OR` between alternatives, `-word` to leave one '
        "out, `word*` for words beginning so. Arabic and Malay spelling variants and word forms are found "
        "(hamza, taa marbuta, diacritics, clitics, Malay affixes). Like every route of this API it needs "
        "a session or a personal access token; you find public documents and what your networks, "
        "organisations and role let you see. Totals and facet counts never include anything else."
    ),
)
def search(request: HttpRequest, params: Query[SearchParams]):
    results = queries.search(
        params.q,
        user=request.user,
        filters={"kind": params.kind, "country": params.country},
        limit=PER_PAGE,
        offset=(params.page - 1) * PER_PAGE,
    )
    reachable = min(results.total, queries.CANDIDATES)
    return {
        "query": results.query.text,
        "total": results.total,
        "more": results.more,
        "page": params.page,
        "pages": (reachable + PER_PAGE - 1) // PER_PAGE,
        "per_page": PER_PAGE,
        "hits": [
            {
                "kind": hit.kind,
                "key": hit.key,
                "title": hit.title,
                "url": request.build_absolute_uri(hit.url) if hit.url.startswith("/") else hit.url,
                "snippet": str(hit.snippet),
                "score": round(hit.score, 6),
                "language": hit.language,
                "country": hit.country,
                "date": hit.date,
            }
            for hit in results.hits
        ],
        "facets": {
            name: [{"value": f.value, "label": str(f.label), "count": f.count, "selected": f.selected} for f in facets]
            for name, facets in results.facets.items()
        },
    }
