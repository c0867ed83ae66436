"""The index and its Python API: variants are found, titles rank first, snippets mark and escape,
documents are replaced and removed, and no text makes search fail."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tansiq.core.search import QueryTooLong, index_document, remove_document, search
from tansiq.core.search.models import SearchDocument
from tansiq.core.search.parsing import MAX_QUERY_LENGTH

FILLER = [
    ("en", "Annual report", "The network published its report on community contributions and impact."),
    ("ar", "التقرير السنوي", "نشرت الشبكة تقريرها عن المساهمات المجتمعية وأثرها."),
    ("ms", "Laporan tahunan", "Rangkaian menerbitkan laporan sumbangan komuniti dan impaknya."),
    ("en", "Training calendar", "Workshops on financial management for small associations."),
    ("ar", "ورشة الحوار", "ورشة عمل حول الحوار بين الثقافات في المدينة."),
]


@pytest.fixture
def documents(db):
    index_document(
        "news",
        "conference",
        title="المؤتمر الإسلامي للمنظمات الحكومية",
        body="تضامن المنظمات مع المتطوعين في عام ٢٠٢٤ على مستوى الشبكة كلها.",
        language="ar",
        country="SA",
        date=dt.date(2024, 3, 1),
    )
    index_document(
        "news",
        "penyelarasan",
        title="Penyelarasan badan-badan bukan kerajaan",
        body="Kepimpinan belia mengumpul sumbangan untuk menyelaraskan program kerjasama.",
        language="ms",
        country="MY",
    )
    index_document("news", "anatomy", title="Anatomi tubuh manusia", body="Kelas sains untuk pelajar.", language="ms")
    for number, (language, title, body) in enumerate(FILLER):
        index_document("page", f"filler-{number}", title=title, body=body, language=language)


def keys(query: str, **options) -> list[str]:
    return [hit.key for hit in search(query, **options).hits]


PRESENTATION_FORMS = "\ufe8d\ufedf\ufee4\ufe98\ufec4\ufeee\ufecb\ufef4\ufee6"  # ﺍﻟﻤﺘﻄﻮﻋﻴﻦ pasted from a PDF


@pytest.mark.parametrize(
    "query",
    [
        "الاسلامي",  # without hamza
        "الحكوميه",  # taa marbuta written as haa
        "مستوي",  # alef maqsura written as yaa
        "المُؤْتَمَــر",  # diacritics and tatweel
        "2024",  # Latin digits for Arabic-Indic ones
        "والمؤتمر",  # clitics
        "بالتضامن",
        "للمتطوعين",
        PRESENTATION_FORMS,
        "مؤتمرات المنظمات",
    ],
)
def test_arabic_variants_find_the_document(documents, query):
    assert keys(query) == ["conference"]


def test_the_presentation_form_query_really_is_one():
    assert PRESENTATION_FORMS != "المتطوعين" and unicodedata.normalize("NFKC", PRESENTATION_FORMS) == "المتطوعين"


@pytest.mark.parametrize(
    "query", ["menyelaraskan", "selaras", "penyelarasan", "pemimpin", "kumpul", "badan", "sumbangan belia"]
)
def test_malay_variants_find_the_document(documents, query):
    assert keys(query) == ["penyelarasan"]


def test_pertubuhan_does_not_meet_tubuh(documents):
    assert keys("pertubuhan") == []
    assert keys("tubuh") == ["anatomy"]


def test_a_match_in_the_title_ranks_above_a_match_in_the_text(db):
    for language, title, body in FILLER:
        index_document("page", title, title=title, body=body, language=language)
    index_document("news", "body", title="Monthly letter", body="Thanks to our volunteers, partners, donors and staff.")
    index_document("news", "title", title="Volunteers of the year", body="Thanks to everyone who took part.")
    assert keys("volunteer") == ["title", "body"]
    assert keys("المتطوعين") == []


def test_phrases_alternatives_exclusions_and_beginnings(documents):
    assert keys('"المؤتمر الإسلامي"') == ["conference"]
    assert keys('"الإسلامي المؤتمر"') == []
    assert sorted(keys("المؤتمر OR kerjasama")) == ["conference", "penyelarasan"]
    assert keys("badan -kerjasama") == []
    assert keys("penyela*") == ["penyelarasan"]
    assert keys("المتطو*") == ["conference"]


def test_a_document_indexed_again_is_replaced(documents):
    index_document("news", "conference", title="ملتقى الشباب", body="لقاء سنوي", language="ar")
    assert keys("المؤتمر") == []
    assert keys("الشباب") == ["conference"]
    assert SearchDocument.objects.filter(kind="news", key="conference").count() == 1


def test_a_removed_document_is_no_longer_found(documents):
    remove_document("news", "conference")
    remove_document("news", "never-indexed")
    assert keys("المؤتمر") == []


def test_hits_carry_what_a_result_list_shows(documents):
    hit = search("المؤتمر").hits[0]
    assert (hit.kind, hit.key, hit.language) == ("news", "conference", "ar")
    assert (hit.country, hit.date) == ("SA", dt.date(2024, 3, 1))
    assert hit.score > 0
    assert "<mark>المؤتمر</mark>" in hit.title_html


def test_snippets_mark_matched_words_and_escape_everything_else(db):
    body = "<script>alert(1)</script> نشاط المنظمات (الأهلية)، & co"
    index_document("news", "x", title="<b>Bold</b> title", body=body, language="ar")
    hit = search("الأهلي").hits[0]
    assert "&lt;script&gt;" in hit.snippet and "<script>" not in hit.snippet
    assert "(<mark>الأهلية</mark>)،" in hit.snippet
    assert "&amp; co" in hit.snippet
    assert hit.title_html == "&lt;b&gt;Bold&lt;/b&gt; title"


def test_a_snippet_is_the_stretch_of_a_long_text_where_the_words_are(db):
    words = [f"kata{n}" for n in range(300)]
    words[200] = "pertubuhan"
    index_document("news", "long", title="Laporan", body=" ".join(words), language="ms")
    snippet = search("pertubuhan").hits[0].snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>pertubuhan</mark>" in snippet
    assert len(snippet.split()) < 40


def test_pages_are_counted_once_and_sliced(db):
    for number in range(7):
        index_document("news", str(number), title=f"Pertubuhan {number}", body="kerjasama")
    first = search("kerjasama", limit=3)
    third = search("kerjasama", limit=3, offset=6)
    assert first.total == third.total == 7
    assert len(first.hits) == 3 and len(third.hits) == 1
    everything = [hit.key for hit in search("kerjasama", limit=10).hits]
    assert [hit.key for hit in first.hits] + [hit.key for hit in third.hits] == everything[:3] + everything[6:]


def test_an_unsafe_url_is_refused(db):
    with pytest.raises(ValueError):
        index_document("news", "x", title="t", url="javascript:alert(1)")
    with pytest.raises(ValueError):
        index_document("news", "x", title="t", url="//evil.example/")
    index_document("news", "x", title="t", url="/ar/organisations/x/")
    index_document("news", "y", title="t", url="https://example.org/x")


def test_unknown_facets_and_filters_are_programming_errors(db):
    with pytest.raises(TypeError):
        index_document("news", "x", title="t", colour="red")
    with pytest.raises(TypeError):
        search("t", filters={"colour": "red"})
    with pytest.raises(ValueError):
        index_document("news", "x", title="t", visibility="friends")


def test_a_too_long_query_is_refused_with_a_translated_error(db):
    with pytest.raises(QueryTooLong) as refused:
        search("تنسيق" * 3000)
    assert refused.value.status == 400 and refused.value.code == "query_too_long"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=MAX_QUERY_LENGTH))
def test_no_text_makes_search_fail(documents, text):
    results = search(text, as_you_type=True)
    assert results.total >= len(results.hits)


HOSTILE = [
    '"',
    '"unbalanced',
    "*",
    "-",
    "OR",
    "NOT",
    "AND",
    "NEAR(a b)",
    "title:المؤتمر",
    "^المؤتمر",
    "(المؤتمر",
    "المؤتمر)",
    "\x00",
    "المؤتمر\x00الإسلامي",
    "'; DROP TABLE search_document; --",
    "a' & !b | c:*",
    "{title}: x",
    "\\",
    "%",
    "_",
    "x" * MAX_QUERY_LENGTH,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_are_searched_as_text(documents, text):
    search(text)
    assert SearchDocument.objects.count() == 8


def test_a_query_matching_more_than_the_window_counts_and_ranks_the_newest(db, monkeypatch):
    from tansiq.core.search import queries

    monkeypatch.setattr(queries, "CANDIDATES", 5)
    for number in range(12):
        index_document(
            "news",
            f"{number:02d}",
            title="Kerjasama",
            body="Rancangan kerjasama belia",
            language="ms",
            country="SA" if number % 2 == 0 else "MY",
        )
    results = search("kerjasama")
    assert (results.total, results.more) == (5, True)
    assert {hit.key for hit in results.hits} == {"07", "08", "09", "10", "11"}
    assert {facet.value: facet.count for facet in results.facets["country"]} == {"MY": 3, "SA": 2}
    narrowed = search("kerjasama", filters={"country": "SA"})
    assert (narrowed.total, narrowed.more) == (5, True)
    assert {hit.key for hit in narrowed.hits} == {"02", "04", "06", "08", "10"}  # its own newest five
    assert {facet.value: facet.count for facet in narrowed.facets["country"]} == {"MY": 3, "SA": 2}
    exact = search("kerjasama", filters={"country": "SA", "date_to": "2000-01-01"})
    assert (exact.total, exact.more) == (0, False)


def test_the_newest_matches_are_found_exactly_however_far_back_they_lie(db):
    # Ids spread over some 90 000, so that on PostgreSQL the matches lie in several windows of eras.
    from tansiq.core.search.services import document

    kinds = ("news", "event", "need")
    numbers = range(1, 2_401)
    rows = []
    for number in numbers:
        words = ["kerjasama" if number % 2 else "belia"] + (["dakwah"] if number % 40 == 0 else [])
        row = document(
            kinds[number % 3],
            str(number),
            title=" ".join(words),
            language="ms",
            visibility="staff" if number % 7 == 0 else "public",
            country="MY",
        )
        row.id = number * 37
        rows.append(row)
    SearchDocument.objects.bulk_create(rows)
    public = [number for number in reversed(numbers) if number % 7]  # newest first

    frequent = search("kerjasama")
    newest = [number for number in public if number % 2][:1_000]
    assert (frequent.total, frequent.more) == (1_000, True)
    assert {facet.value: facet.count for facet in frequent.facets["kind"]} == {
        kind: sum(1 for number in newest if kinds[number % 3] == kind) for kind in kinds
    }
    assert {int(hit.key) for hit in search("kerjasama", limit=100, offset=900).hits} <= set(newest)
    needs = search("kerjasama", filters={"kind": "need"})
    assert (needs.total, needs.more) == (sum(1 for number in public if number % 2 and number % 3 == 2), False)
    rare = search("belia dakwah", limit=100)
    assert {int(hit.key) for hit in rare.hits} == {number for number in public if number % 40 == 0}
    assert rare.total == len(rare.hits) > 30
    assert search("kerjasama dakwah").total == 0
