"""Matching: gates, the score's parts and reasons, spreading across organisations, both directions."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from benchmarks.volunteers_matching import synthetic_opportunities, synthetic_volunteers
from tansiq.volunteers import matching
from tansiq.volunteers.matching import Vocabulary, opportunities_for, volunteers_for

TODAY = dt.date(2026, 12, 7)
VOCABULARY = Vocabulary(
    skills=("first aid", "teaching", "driving"), languages=("ar", "en", "ms"), causes=("health", "education")
)
KL = (3.139, 101.687)
SATURDAY_MORNING = 1 << (5 * 3 + 0)
SUNDAY_EVENING = 1 << (6 * 3 + 2)


def opportunities(n=1, *, required=(), preferred=(), **columns) -> matching.Opportunities:
    def skills(wanted):
        matrix = np.zeros((n, 3))
        matrix[:, list(wanted)] = 1
        return sparse.csr_array(matrix)

    defaults = dict(
        id=np.arange(1, n + 1),
        organisation=np.arange(n),
        sector=np.full(n, -1),
        languages=np.zeros(n),
        qualifications=np.zeros(n),
        min_age=np.zeros(n),
        gender=np.zeros(n),
        remote=np.zeros(n, dtype=bool),
        latitude=np.full(n, KL[0]),
        longitude=np.full(n, KL[1]),
        when=np.zeros(n),
        open=np.ones(n, dtype=bool),
    )
    defaults.update({name: np.broadcast_to(value, (n,)) for name, value in columns.items()})
    return matching.Opportunities(
        required=skills(required), preferred=skills(preferred), vocabulary=VOCABULARY, **defaults
    )


def volunteer(**fields) -> matching.Volunteer:
    defaults = dict(
        skills={},
        languages=0,
        causes=0,
        qualifications=0,
        born=19900101,
        gender=0,
        on_site=True,
        remote=True,
        latitude=KL[0],
        longitude=KL[1],
        max_km=np.inf,
        available=0,
    )
    return matching.Volunteer(**{**defaults, **fields})


def found(v, table) -> list[int]:
    return [m.id for m in opportunities_for(v, table, today=TODAY)]


@pytest.mark.parametrize(
    ("column", "value", "refused", "allowed"),
    [
        ("open", False, {}, None),
        ("qualifications", 0b101, {"qualifications": 0b001}, {"qualifications": 0b111}),
        ("min_age", 18, {"born": 20081208}, {"born": 20081207}),
        ("min_age", 18, {"born": 0}, {"born": 19700101}),
        ("gender", matching.WOMEN, {"gender": matching.MEN}, {"gender": matching.WOMEN}),
        ("gender", matching.WOMEN, {"gender": 0}, {"gender": matching.WOMEN}),
        ("remote", True, {"remote": False}, {"remote": True, "on_site": False}),
        ("remote", False, {"on_site": False}, {"on_site": True}),
        ("latitude", KL[0] + 0.5, {"max_km": 50.0}, {"max_km": 60.0}),
    ],
)
def test_a_closed_gate_excludes_whatever_the_score(column, value, refused, allowed):
    table = opportunities(**{column: value})
    assert found(volunteer(**refused, skills={0: 3}, causes=0b11), table) == []
    if allowed is not None:
        assert found(volunteer(**allowed), table) == [1]
        assert [m.id for m in volunteers_for(table.row(0), volunteers_of([volunteer(**allowed)]), today=TODAY)] == [1]
    assert volunteers_for(table.row(0), volunteers_of([volunteer(**refused)]), today=TODAY) == []


def volunteers_of(people: list[matching.Volunteer], discoverable=True) -> matching.Volunteers:
    levels = np.zeros((len(people), 3))
    for i, person in enumerate(people):
        for skill, level in person.skills.items():
            levels[i, skill] = level
    columns = {
        name: np.array([getattr(p, name) for p in people])
        for name in matching.Volunteer.__dataclass_fields__
        if name != "skills"
    }
    return matching.Volunteers(
        id=np.arange(1, len(people) + 1),
        skills=sparse.csr_array(levels),
        discoverable=np.full(len(people), discoverable),
        vocabulary=VOCABULARY,
        **columns,
    )


def test_reasons_say_why_in_data_the_page_translates():
    table = opportunities(
        required=(0, 1),
        preferred=(2,),
        languages=0b101,
        latitude=KL[0] + 0.1,
        when=SATURDAY_MORNING | SUNDAY_EVENING,
        sector=1,
    )
    v = volunteer(skills={0: 3, 2: 1}, languages=0b111, available=SATURDAY_MORNING, causes=0b10)
    (match,) = opportunities_for(v, table, today=TODAY)
    assert match.reasons == (
        ("languages", ("ar", "ms")),
        ("skills", 2, 3),
        ("distance_km", 11),
        ("free", (("sat", "morning"),)),
        ("cause", "education"),
    )
    skills = (3 + 0.5 * 1) / (3 * 2.5)
    expected = 0.30 * skills + 0.15 + 0.20 * np.exp(-11.12 / 20) + 0.20 * 0.5 + 0.15
    assert match.score == pytest.approx(expected, abs=1e-3)


def test_remote_opportunity_gives_full_distance_credit_and_says_remote():
    (match,) = opportunities_for(volunteer(), opportunities(remote=True, latitude=np.nan), today=TODAY)
    assert ("remote",) in match.reasons
    assert match.score == pytest.approx(0.30 + 0.15 + 0.20 + 0.20)  # no cause named: no credit for it


def test_every_part_of_the_score_ranks_the_better_fit_first():
    table = opportunities(4, required=(0,), latitude=[KL[0], KL[0], KL[0] + 0.3, KL[0]], languages=0b1)
    v = volunteer(skills={0: 3}, languages=0b1)
    assert found(v, table)[-1] == 3
    closer = opportunities(2, latitude=[KL[0] + 0.3, KL[0] + 0.1])
    assert found(volunteer(), closer) == [2, 1]
    levels = opportunities(1, required=(0,))
    expert, beginner = (opportunities_for(volunteer(skills={0: lv}), levels, today=TODAY)[0].score for lv in (3, 1))
    assert expert > beginner


def test_one_organisation_does_not_fill_the_list():
    organisation = [1] * 6 + [2, 3]
    latitude = [KL[0] + 0.01 * i for i in range(8)]  # organisation 1's are the nearest
    ids = found(volunteer(), opportunities(8, organisation=organisation, latitude=latitude))
    assert ids[:4] == [1, 2, 7, 8]
    assert sorted(ids) == list(range(1, 9))


def test_candidates_are_discoverable_or_included():
    people = volunteers_of([volunteer(), volunteer()], discoverable=False)
    opportunity = opportunities().row(0)
    assert volunteers_for(opportunity, people, today=TODAY) == []
    include = np.array([False, True])
    assert [m.id for m in volunteers_for(opportunity, people, today=TODAY, include=include)] == [2]


def test_columns_must_have_one_entry_per_row():
    fields = _fields(opportunities(2))
    with pytest.raises(ValueError, match="open"):
        matching.Opportunities(**{**fields, "open": np.ones(3, dtype=bool)})


def _fields(table):
    return {name: getattr(table, name) for name in table.__dataclass_fields__ if not name.startswith("_")}


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_both_directions_give_the_same_score(seed):
    table = synthetic_opportunities(60, seed=seed)
    people = synthetic_volunteers(40, seed=seed + 1)
    everyone = np.ones(len(people), dtype=bool)
    forward = {}
    for i in range(len(people)):
        for m in opportunities_for(people.row(i), table, today=TODAY, limit=60, per_organisation=60):
            forward[(i, m.index)] = m
    backward = {}
    for j in range(len(table)):
        for m in volunteers_for(table.row(j), people, today=TODAY, limit=40, include=everyone):
            backward[(m.index, j)] = m
    assert forward.keys() == backward.keys()
    for key, m in forward.items():
        assert backward[key].score == pytest.approx(m.score, abs=1e-6)
        assert backward[key].reasons == m.reasons


def test_best_first_and_deterministic():
    table = synthetic_opportunities(5_000)
    people = synthetic_volunteers(50)
    for i in range(50):
        matches = opportunities_for(people.row(i), table, today=TODAY, per_organisation=10)
        scores = [m.score for m in matches]
        assert scores == sorted(scores, reverse=True)
        assert matches == opportunities_for(people.row(i), table, today=TODAY, per_organisation=10)
