"""The assignment solver against brute force, its constraints, edge cases and input checks."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tansiq.volunteers.assignment import solve


def brute_force_best(score, capacity, slot, max_per_person) -> float:
    """The greatest total over every assignment, by enumeration (tiny instances only)."""
    people, shifts = score.shape
    options = []
    for person in range(people):
        allowed = [s for s in range(shifts) if not np.isnan(score[person, s])]
        choices = []
        for size in range(min(max_per_person, len(allowed)) + 1):
            for chosen in itertools.combinations(allowed, size):
                if len({slot[s] for s in chosen}) == len(chosen):
                    choices.append(chosen)
        options.append(choices)
    best = 0.0
    for plan in itertools.product(*options):
        seats = np.zeros(shifts, dtype=int)
        for chosen in plan:
            seats[list(chosen)] += 1
        if (seats <= capacity).all():
            best = max(best, sum(score[p, s] for p, chosen in enumerate(plan) for s in chosen))
    return best


def assert_feasible(pairs, score, capacity, slot, max_per_person):
    assert len(set(pairs)) == len(pairs)
    seats = np.zeros(len(capacity), dtype=int)
    per_person: dict[int, list[int]] = {}
    for person, shift in pairs:
        assert not np.isnan(score[person, shift])
        seats[shift] += 1
        per_person.setdefault(person, []).append(shift)
    assert (seats <= capacity).all()
    for shifts in per_person.values():
        assert len(shifts) <= max_per_person
        assert len({slot[s] for s in shifts}) == len(shifts)


@st.composite
def instances(draw):
    people = draw(st.integers(1, 4))
    shifts = draw(st.integers(1, 4))
    cell = st.one_of(st.just(np.nan), st.just(0.0), st.floats(0, 10), st.floats(0, 1e300))
    score = np.array(draw(st.lists(cell, min_size=people * shifts, max_size=people * shifts)), dtype=float)
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=shifts, max_size=shifts)))
    slot = np.array(draw(st.lists(st.integers(0, 2), min_size=shifts, max_size=shifts)))
    return score.reshape(people, shifts), capacity, slot, draw(st.integers(0, 3))


@settings(max_examples=300, deadline=None)
@given(instances())
def test_total_equals_brute_force_and_constraints_hold(instance):
    score, capacity, slot, max_per_person = instance
    pairs = solve(score, capacity, slot, max_per_person)
    assert_feasible(pairs, score, capacity, slot, max_per_person)
    total = sum(score[p, s] for p, s in pairs)
    # Scores are compared at 2**-30 of the largest score (the solver quantises them).
    assert total == pytest.approx(brute_force_best(score, capacity, slot, max_per_person), rel=1e-7, abs=1e-7)


@settings(max_examples=100, deadline=None)
@given(instances())
def test_a_free_seat_is_given_to_an_eligible_person_even_at_score_zero(instance):
    score, capacity, slot, max_per_person = instance
    pairs = set(solve(score, capacity, slot, max_per_person))
    seats = np.bincount([s for _, s in pairs], minlength=len(capacity))
    for person, shift in zip(*np.nonzero(~np.isnan(score)), strict=True):
        mine = [s for p, s in pairs if p == person]
        could_add = (
            (person, shift) not in pairs
            and seats[shift] < capacity[shift]
            and len(mine) < max_per_person
            and slot[shift] not in {slot[s] for s in mine}
        )
        assert not could_add, f"{person} could still take shift {shift}"


def test_highest_scores_win_a_contested_seat():
    score = np.array([[0.2], [0.9], [0.5]])
    assert solve(score, np.array([1]), np.array([0]), 1) == [(1, 0)]


def test_one_shift_per_time_slot_and_the_personal_maximum():
    score = np.array([[5.0, 4.0, 3.0, 2.0]])
    slot = np.array([0, 0, 1, 2])
    assert solve(score, np.ones(4, dtype=int), slot, 2) == [(0, 0), (0, 2)]
    assert solve(score, np.ones(4, dtype=int), slot, 9) == [(0, 0), (0, 2), (0, 3)]


def test_a_lower_score_now_for_a_greater_total():
    # Greedy would give person 0 shift 0 (score 10) and leave person 1 without a seat.
    score = np.array([[10.0, 9.0], [8.0, np.nan]])
    assert solve(score, np.array([1, 1]), np.array([0, 1]), 1) == [(0, 1), (1, 0)]


def test_never_a_nan_pair():
    score = np.array([[np.nan, 1.0], [np.nan, np.nan]])
    assert solve(score, np.array([5, 5]), np.array([0, 1]), 2) == [(0, 1)]


@pytest.mark.parametrize(
    ("score", "capacity", "slot", "max_per_person"),
    [
        (np.zeros((0, 0)), np.zeros(0, dtype=int), np.zeros(0, dtype=int), 1),
        (np.zeros((3, 0)), np.zeros(0, dtype=int), np.zeros(0, dtype=int), 1),
        (np.zeros((0, 2)), np.array([1, 1]), np.array([0, 1]), 1),
        (np.full((2, 2), np.nan), np.array([1, 1]), np.array([0, 1]), 1),
        (np.ones((2, 2)), np.array([0, 0]), np.array([0, 1]), 1),
        (np.ones((2, 2)), np.array([1, 1]), np.array([0, 1]), 0),
    ],
    ids=["empty", "no shifts", "no people", "all nan", "capacity 0", "maximum 0"],
)
def test_nothing_to_assign(score, capacity, slot, max_per_person):
    assert solve(score, capacity, slot, max_per_person) == []


def test_same_input_same_output():
    rng = np.random.default_rng(7)
    score = rng.integers(0, 3, (60, 30)).astype(float)  # many ties
    score[rng.random(score.shape) < 0.3] = np.nan
    capacity = rng.integers(0, 4, 30)
    slot = rng.integers(0, 8, 30)
    first = solve(score, capacity, slot, 2)
    assert first == sorted(first)
    assert all(solve(score.copy(), capacity.copy(), slot.copy(), 2) == first for _ in range(3))


@pytest.mark.parametrize(
    ("score", "capacity", "slot", "max_per_person", "message"),
    [
        (np.ones(3), np.ones(3, dtype=int), np.zeros(3, dtype=int), 1, "matrix"),
        (np.ones((2, 3)), np.ones(2, dtype=int), np.zeros(3, dtype=int), 1, "capacity"),
        (np.ones((2, 3)), np.ones(3, dtype=int), np.zeros((3, 1), dtype=int), 1, "slot"),
        (np.ones((2, 3)), np.ones(3), np.zeros(3, dtype=int), 1, "integers"),
        (np.ones((2, 3)), np.array([1, -1, 1]), np.zeros(3, dtype=int), 1, "negative"),
        (np.array([[1.0, -0.5]]), np.ones(2, dtype=int), np.zeros(2, dtype=int), 1, "≥ 0"),
        (np.array([[1.0, np.inf]]), np.ones(2, dtype=int), np.zeros(2, dtype=int), 1, "finite"),
        (np.ones((2, 3)), np.ones(3, dtype=int), np.zeros(3, dtype=int), -1, "negative"),
        (np.ones((2, 3)), np.ones(3, dtype=int), np.zeros(3, dtype=int), 1.5, "integer"),
    ],
)
def test_bad_input_is_refused(score, capacity, slot, max_per_person, message):
    with pytest.raises(ValueError, match=message):
        solve(score, capacity, slot, max_per_person)
