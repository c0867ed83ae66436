"""The optimal assignment of applicants to a big event's shifts (pure: numpy and SciPy, no Django).

``solve(score, capacity, slot, max_per_person)`` returns the (person, shift) pairs of an assignment
with the greatest total score such that no shift takes more people than its seats, nobody takes two
shifts of the same time slot or more than ``max_per_person`` shifts, and nobody takes a shift whose
score is ``nan`` (a gate they do not pass, or a shift they did not choose).

It is the min-cost flow source → person (≤ max_per_person) → (person, slot) (≤ 1) → shift (≤ 1 per
pair) → sink (≤ capacity), written as its linear programme: one variable per allowed pair, one row
per person, per (person, slot) and per shift. The constraint matrix is a network matrix (two laminar
families of rows: person ⊃ person-slot, and shifts), hence totally unimodular, so the simplex
method's basic optimal solution is already whole: no branching, and the solution is exact.

Exactness and ties (docs/decisions/0031-assignment-solver.md):

- Scores are quantised to integers (``QUANTUM_LEVELS`` of the largest score, or finer when the event
  is small); with integer costs on a totally unimodular matrix, a basis that is optimal within the
  solver's tolerance is exactly optimal for the quantised scores.
- Every pair carries one extra unit below the score's resolution, so among assignments with the same
  total score the one that fills more seats wins: a pair scored 0 is assigned when a seat is free and
  the person can still take it (they passed every gate; an empty seat helps nobody).
- Remaining ties go the way the solver's pivoting runs over a matrix built in a fixed order: the same
  input gives the same output, every time. The result is sorted by person, then shift.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, sparse

# The quantised total must stay far below 2**53 so that the simplex's arithmetic on it is exact.
EXACT_TOTAL = 2**50
QUANTUM_LEVELS = 2**30  # resolution of a score, relative to the largest: finer than any score means


def solve(score: np.ndarray, capacity: np.ndarray, slot: np.ndarray, max_per_person: int) -> list[tuple[int, int]]:
    """The (person, shift) pairs of an assignment with the greatest total score (see the module)."""
    score, capacity, slot, max_per_person = _validated(score, capacity, slot, max_per_person)
    people, shifts = score.shape
    if people == 0 or shifts == 0 or max_per_person == 0:
        return []
    allowed = ~np.isnan(score) & (capacity > 0)[np.newaxis, :]
    person, shift = np.nonzero(allowed)  # row-major: sorted by person, then shift
    if person.size == 0:
        return []
    cost = _costs(score[person, shift], upper_bound=min(person.size, int(capacity.sum()), people * max_per_person))
    rows, bounds = _constraints(person, shift, slot, capacity, max_per_person)
    result = optimize.linprog(
        cost,
        A_ub=rows,
        b_ub=bounds,
        bounds=(0, 1),
        method="highs-ds",  # dual simplex: a basic (vertex) solution, which is whole
        options={"presolve": True},
    )
    if result.status != 0:  # cannot happen: x = 0 is feasible and the objective is bounded
        raise RuntimeError(f"the assignment solver failed: {result.message}")
    chosen = result.x > 0.5
    return [(int(p), int(s)) for p, s in zip(person[chosen], shift[chosen], strict=True)]


def _validated(score, capacity, slot, max_per_person) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    score = np.asarray(score, dtype=float)
    capacity = np.asarray(capacity)
    slot = np.asarray(slot)
    if score.ndim != 2:
        raise ValueError(f"score must be a people × shifts matrix, not an array of shape {score.shape}")
    shifts = score.shape[1]
    for name, array in (("capacity", capacity), ("slot", slot)):
        if array.shape != (shifts,):
            raise ValueError(f"{name} must have one entry per shift ({shifts}), not shape {array.shape}")
        if array.size and not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"{name} must hold integers, not {array.dtype}")
    if capacity.size and capacity.min() < 0:
        raise ValueError("capacity must not be negative")
    if isinstance(max_per_person, bool) or not isinstance(max_per_person, int | np.integer):
        raise ValueError(f"max_per_person must be an integer, not {max_per_person!r}")
    if max_per_person < 0:
        raise ValueError("max_per_person must not be negative")
    known = score[~np.isnan(score)]
    if known.size and (known.min() < 0 or not np.isfinite(known).all()):
        raise ValueError("scores must be finite and ≥ 0 (nan where the person may not take the shift)")
    return score, capacity.astype(np.int64), slot.astype(np.int64), int(max_per_person)


def _costs(values: np.ndarray, *, upper_bound: int) -> np.ndarray:
    """Integer costs to minimise: the quantised score, then one unit per pair (more seats filled)."""
    unit = upper_bound + 1  # more than the pairs of any assignment: the seat bonus never outweighs a quantum
    levels = min(QUANTUM_LEVELS, EXACT_TOTAL // (unit * unit))
    largest = values.max()
    quantised = np.rint(values / largest * levels) if largest > 0 else np.zeros_like(values)
    return -(quantised * unit + 1)


def _constraints(person, shift, slot, capacity, max_per_person) -> tuple[sparse.csr_array, np.ndarray]:
    """The rows that can bind: a person with more slots than ``max_per_person``, a (person, slot) with
    two or more shifts, a shift with more candidates than seats (the others hold by themselves)."""
    pairs = np.arange(person.size)
    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (row of each pair, pair, bound per row)

    group, group_of_pair, group_size = np.unique(
        np.stack([person, slot[shift]]), axis=1, return_inverse=True, return_counts=True
    )
    keep = group_size[group_of_pair] > 1
    blocks.append(_block(group_of_pair[keep], pairs[keep], np.ones(group.shape[1], dtype=np.int64)))

    slots_of_person = np.bincount(group[0], minlength=person.max() + 1)
    keep = slots_of_person[person] > max_per_person
    blocks.append(_block(person[keep], pairs[keep], np.full(slots_of_person.size, max_per_person)))

    candidates = np.bincount(shift, minlength=capacity.size)
    keep = candidates[shift] > capacity[shift]
    blocks.append(_block(shift[keep], pairs[keep], capacity))

    offsets = np.cumsum([0] + [bound.size for _, _, bound in blocks])
    row_of_pair = np.concatenate([row + offset for (row, _, _), offset in zip(blocks, offsets, strict=False)])
    pair = np.concatenate([pair for _, pair, _ in blocks])
    bound = np.concatenate([bound for _, _, bound in blocks])
    matrix = sparse.csr_array((np.ones(pair.size), (row_of_pair, pair)), shape=(bound.size, person.size))
    return matrix, bound.astype(float)


def _block(row: np.ndarray, pair: np.ndarray, bound: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Renumber the rows that have pairs as 0…n−1 and keep their bounds."""
    used, row = np.unique(row, return_inverse=True)
    return row, pair, bound[used]
