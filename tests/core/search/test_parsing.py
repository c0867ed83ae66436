"""The query language: what a search box understands, and that any text is only ever text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tansiq.core.search.parsing import MAX_QUERY_LENGTH, MAX_TERMS, QueryTooLong, parse
from tansiq.core.text import analyze


def is_word(text: str) -> bool:
    """Letters, digits and the marks that belong to letters: nothing a query syntax could read."""
    return bool(text) and all(char.isalnum() or unicodedata.category(char)[0] == "M" for char in text)


def shape(query) -> list[list[list[tuple[str, bool]]]]:
    return [
        [[(term.text, term.prefix) for term in phrase.terms] for phrase in alternatives.phrases]
        for alternatives in query.required
    ]


def test_every_word_is_required_by_default():
    assert shape(parse("coordination volunteers")) == [[[("coordin", False)]], [[("volunt", False)]]]


def test_a_quoted_phrase_keeps_its_words_together_in_order():
    assert shape(parse('"رابطة العالم الإسلامي"')) == [[[("رابط", False), ("عالم", False), ("اسلام", False)]]]


def test_arabic_and_typographic_quotes_make_phrases_too():
    assert shape(parse("«العمل الأهلي»")) == shape(parse('"العمل الأهلي"'))
    assert shape(parse("“badan bukan kerajaan”")) == shape(parse('"badan bukan kerajaan"'))


def test_or_joins_only_its_two_neighbours():
    query = parse("youth training OR workshop")
    assert shape(query) == [[[("youth", False)]], [[("train", False)], [("workshop", False)]]]


def test_the_or_operator_does_not_make_a_malay_query_english():
    # "or" is an English function word; the operator OR is not, and must not decide the language.
    assert parse("istanbul OR penyelarasan").language is None
    assert shape(parse("istanbul OR penyelarasan"))[0][1] == [("selaras", False)]
    assert parse("youth or volunteers").language == "en"  # the lower-case word still counts


def test_arabic_or_and_the_bar_work_like_or():
    assert shape(parse("شباب أو متطوعين")) == shape(parse("شباب OR متطوعين")) == shape(parse("شباب | متطوعين"))
    assert len(parse("شباب أو متطوعين").required) == 1


def test_a_minus_leaves_a_word_or_a_phrase_out():
    query = parse('مؤتمر -الشباب -"حقوق الإنسان"')
    assert shape(query) == shape(parse("مؤتمر"))
    excluded = [[term.text for term in phrase.terms] for phrase in query.excluded]
    assert excluded == [analyze("الشباب"), analyze("حقوق الإنسان")]


def test_only_exclusions_is_an_empty_query():
    assert parse("-youth").is_empty


def test_a_star_looks_for_the_typed_beginning_and_its_stem():
    alternatives = parse("المتطوع*").required[0]
    starts = {phrase.terms[-1].text for phrase in alternatives.phrases}
    assert starts == {"المتطوع", "متطوع"}
    assert all(phrase.terms[-1].prefix for phrase in alternatives.phrases)


def test_a_hyphenated_beginning_is_a_phrase_ending_in_a_prefix():
    alternatives = parse("al-jou*").required[0]
    assert [(term.text, term.prefix) for term in alternatives.phrases[0].terms] == [("al", False), ("jou", True)]


def test_a_beginning_of_one_or_two_letters_is_not_a_prefix():
    for text in ("k*", "ke*", "مح*"):
        assert all(not term.prefix for a in parse(text).required for p in a.phrases for term in p.terms), text


def test_as_you_type_waits_for_three_letters_of_the_last_word():
    assert shape(parse("pertubuhan be", as_you_type=True)) == shape(parse("pertubuhan"))
    assert parse("pertubuhan bel", as_you_type=True).required[-1].phrases[0].terms[0].prefix


def test_as_you_type_reads_the_last_word_as_a_beginning_until_a_space_follows():
    assert (
        parse("pertubuhan bel", as_you_type=True).required[-1].phrases[0].terms[0]
        == parse("bel*").required[0].phrases[0].terms[0]
    )
    assert not parse("pertubuhan bel ", as_you_type=True).required[-1].phrases[0].terms[0].prefix
    assert not parse("pertubuhan bel").required[-1].phrases[0].terms[0].prefix


@pytest.mark.parametrize("text", ["", " ", "OR", "|", "-", "*", '"', '""', "()", "- * OR", "the and of", "و في من"])
def test_operators_punctuation_and_stop_words_alone_are_an_empty_query(text):
    assert parse(text).is_empty


@pytest.mark.parametrize(
    "text",
    [
        "NEAR(تنسيق مؤتمر, 5)",
        "title:youth ^coordination",
        "{title body}: youth",
        "(youth OR) AND NOT training",
        'youth" OR "training',
        "youth*training*",
        "'; DROP TABLE search_document; --",
        "a\x00b\x01c",
    ],
)
def test_search_engine_syntax_is_read_as_plain_words(text):
    query = parse(text)
    for alternatives in query.required:
        for phrase in alternatives.phrases:
            for term in phrase.terms:
                assert is_word(term.text), term


def test_an_unbalanced_quote_is_ignored():
    assert shape(parse('"youth training')) == shape(parse("youth training"))


def test_nul_bytes_and_control_characters_separate_words():
    assert shape(parse("youth\x00training")) == shape(parse("youth training"))


def test_a_query_longer_than_the_limit_is_refused_with_a_message_saying_the_limit():
    with pytest.raises(QueryTooLong) as refused:
        parse("تنسيق " * 2000)
    assert str(MAX_QUERY_LENGTH) in str(refused.value.message)
    assert refused.value.field == "q"
    parse("x" * MAX_QUERY_LENGTH)  # at the limit is fine


def test_a_query_of_too_many_words_uses_the_first_ones_and_says_so():
    query = parse(" ".join(f"w{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(MAX_TERMS + 10)))
    assert query.truncated
    assert len(query.required) == MAX_TERMS


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=MAX_QUERY_LENGTH))
def test_any_text_parses_into_letters_and_digits_only(text):
    query = parse(text)
    phrases = [p for a in query.required for p in a.phrases] + list(query.excluded)
    for phrase in phrases:
        assert phrase.terms
        for term in phrase.terms:
            assert is_word(term.text), term


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*'"*-|()^:؟،«» \x00', "OR", "NEAR", "تنسيق", "youth", "أو", " "]), max_size=40))
def test_operator_soup_never_raises(parts):
    parse("".join(parts), as_you_type=True)
