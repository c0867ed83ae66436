"""SQLite FTS5 and PostgreSQL give the same answers: each run checks its database's backend against
one reference evaluation of the stored terms (``reference.py``), on the relevance set's documents,
for the relevance set's queries, for queries using every operator, and for generated queries."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tansiq.core.search import search
from tansiq.core.search.models import SearchDocument
from tansiq.core.search.parsing import MAX_QUERY_LENGTH, parse
from tests.core.search.reference import facet_counts, index_relevance_set, matching
from tests.search.relevance import load_documents, load_queries

LIMIT = 100


@pytest.fixture
def corpus(db):
    documents = index_relevance_set()
    return {"documents": documents, "rows": list(SearchDocument.objects.all())}


def assert_same_as_reference(text: str, rows, **options):
    query = parse(text)
    expected = matching(query, rows)
    results = search(text, limit=LIMIT, **options)
    assert results.total == len(expected), text
    if len(expected) <= LIMIT:
        assert {hit.key for hit in results.hits} == {doc.key for doc in expected}, text
    counts = {name: {facet.value: facet.count for facet in facets} for name, facets in results.facets.items()}
    assert counts == facet_counts(expected), text
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores, reverse=True), text


def test_every_query_of_the_relevance_set_finds_exactly_what_the_reference_finds(corpus):
    for query in load_queries():
        assert_same_as_reference(query.text, corpus["rows"])


OPERATOR_QUERIES = [
    "المنظمات",
    "المنظمات الأهلية",
    '"المنظمات الأهلية"',
    '"الأهلية المنظمات"',
    "المؤتمر OR muktamar",
    "المؤتمر | penyelarasan | volunteers",
    "المنظمات -الأهلية",
    'المنظمات -"العمل الأهلي"',
    "منظ*",
    "penyela*",
    "volunt* -training",
    "ngo",
    '"badan bukan kerajaan"',
    "kerjasama OR pertubuhan -dakwah",
    "Islamophobia OR الإسلاموفوبيا",
    "١٤٤٥ OR 2023",
    "al-* NGO",
]


@pytest.mark.parametrize("text", OPERATOR_QUERIES)
def test_operators_find_exactly_what_the_reference_finds(corpus, text):
    assert_same_as_reference(text, corpus["rows"])


def test_facet_filters_narrow_the_hits_but_not_their_own_facet(corpus):
    expected = matching(parse("المنظمات OR pertubuhan OR organisations"), corpus["rows"])
    everything = search("المنظمات OR pertubuhan OR organisations", limit=LIMIT)
    events = search("المنظمات OR pertubuhan OR organisations", filters={"kind": "event"}, limit=LIMIT)
    assert events.total == sum(1 for doc in expected if doc.kind == "event") > 0
    assert {hit.key for hit in events.hits} == {doc.key for doc in expected if doc.kind == "event"}
    assert [(f.value, f.count, f.selected) for f in events.facets["kind"]] == [
        (f.value, f.count, f.value == "event") for f in everything.facets["kind"]
    ]
    in_malaysia = search("المنظمات OR pertubuhan OR organisations", filters={"kind": "event", "country": "my"})
    assert in_malaysia.total == sum(1 for doc in expected if doc.kind == "event" and doc.country == "MY")
    assert {facet.value: facet.count for facet in in_malaysia.facets["country"]} == {
        facet.value: facet.count for facet in events.facets["country"]
    }


def test_kinds_restrict_everything_including_the_facets(corpus):
    restricted = search("المنظمات OR pertubuhan OR organisations", kinds=["incident"], limit=LIMIT)
    assert {facet.value for facet in restricted.facets["kind"]} == {"incident"}
    assert all(hit.kind == "incident" for hit in restricted.hits)


def _vocabulary(documents) -> list[str]:
    words = sorted({word.strip(".,،؛:()«»\"'") for doc in documents for word in (doc.title + " " + doc.body).split()})
    return [word for word in words if 2 <= len(word) <= 20]


VOCABULARY = _vocabulary(load_documents())
word = st.sampled_from(VOCABULARY)
item = st.one_of(
    word,
    st.builds(lambda a, b: f'"{a} {b}"', word, word),
    st.builds(lambda a, b: f"{a} OR {b}", word, word),
    st.builds(lambda a: f"-{a}", word),
    st.builds(lambda a, n: f"{a[: max(2, n)]}*", word, st.integers(2, 6)),
    st.sampled_from(['"', "*", "-", "OR", "(", "NEAR", "^", ":"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(item, min_size=1, max_size=4))
def test_generated_queries_find_exactly_what_the_reference_finds(corpus, items):
    text = " ".join(items)[:MAX_QUERY_LENGTH]
    assert_same_as_reference(text, corpus["rows"])
